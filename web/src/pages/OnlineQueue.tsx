/**
 * 网上信访 (the clerk's queue): online submissions awaiting registration review — registered,
 * channel online — oldest first by their notify clock (GET /cases?status=registered&channel=online).
 * Each opens the case page, where the clerk proceeds exactly as with a letter.
 */
import type { CaseSummary } from '@shared/app/views';
import { Button, Empty, ErrorBanner, Loading, Page } from '../components/ui';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { CaseTable } from './case/CaseTable';
import './case/case.css';

export default function OnlineQueue() {
  const list = useLoad(
    (signal) =>
      api
        .get<{ items: CaseSummary[]; cursor?: string }>('/cases', { query: { status: 'registered', channel: 'online', limit: 100 }, signal })
        .then((r) => r.data),
    [],
  );
  return (
    <Page
      title="网上信访"
      actions={
        <Button onClick={() => list.reload()} busy={list.loading && list.data !== undefined}>
          刷新
        </Button>
      }
    >
      <p className="muted">信访人网上提交、待审查受理的信访事项。受理告知期限自提交之日起计算，请核对信访人信息和材料后，与来信一样办理。</p>
      {list.error ? <ErrorBanner error={list.error} /> : null}
      {list.data === undefined && !list.error ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>暂无待审查的网上信访事项。</Empty> : null}
      {list.data && list.data.items.length > 0 ? <CaseTable items={list.data.items} caption="待审查的网上信访事项" /> : null}
    </Page>
  );
}
