/**
 * 系统管理 (#/admin): what the admin role is for (DESIGN §1) — the office's configuration, never
 * case content. Lists the letter templates (GET /admin/templates) with whether the office has
 * changed the wording; the API gives admin no case, document, timeline or list.
 */
import type { TemplateView } from '@shared/app/letters';
import { api } from '../lib/api';
import { dateTime } from '../lib/format';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { Card, ErrorBanner, Loading, Notice, Page, Table } from '../components/ui';
import { usePeople } from '../lib/people';

export default function Admin(_props: PageProps) {
  const person = usePeople();
  const list = useLoad((signal) => api.get<{ templates: TemplateView[] }>('/admin/templates', { signal }).then((r) => r.data), []);
  return (
    <Page title="系统管理">
      <Notice>系统管理员负责本机关的配置（信函模板等），不查看案件内容。</Notice>
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <Card title="信函模板">
          <Table head={['信函', '措辞', '修改人', '修改时间']}>
            {list.data.templates.map((t) => (
              <tr key={t.type}>
                <td>{t.title}</td>
                <td>{t.override ? '本机关修改' : '默认'}</td>
                <td>{t.override ? person(t.override.updatedBy) : '—'}</td>
                <td>{t.override ? dateTime(t.override.updatedAt) : '—'}</td>
              </tr>
            ))}
          </Table>
        </Card>
      ) : null}
    </Page>
  );
}
