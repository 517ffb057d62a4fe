/**
 * The cases behind a number of 统计分析 (#/reports/cases?period=…&figure=…[&part][&dimension&value]
 * [&deptCode]; GET /reports/cases): as many as the number, listed with the same table as 案件查询;
 * 导出Excel exports every one of them (GET /exports/report-cases, the same query without the page).
 */
import { useEffect, useState } from 'react';
import type { CaseSummary } from '@shared/app/views';
import { ExportButton } from '../../components/ExportButton';
import { Button, Card, Empty, ErrorBanner, Loading, Page } from '../../components/ui';
import { api } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { Link, useLocation } from '../../lib/router';
import { drillExportQuery } from '../../lib/report-view';
import { CaseTable } from '../case/CaseTable';
import '../case/case.css';
import './reports.css';

interface ReportCasesAnswer {
  period: { key: string; label: string };
  scope: { deptCode: string | null; label: string };
  figure: { id: string; label: string };
  part: 'value' | 'numerator' | 'denominator';
  row?: { dimension: string; key: string; label: string };
  count: number;
  persons: number;
  items: CaseSummary[];
  withheld: number;
  cursor?: string;
}

const PART_LABELS = { value: '', numerator: '（分子）', denominator: '（分母）' } as const;
const DIMENSION_LABELS: Record<string, string> = {
  channel: '信访形式',
  itemType: '事项类型',
  category: '内容分类',
  department: '承办单位',
  locality: '问题属地',
  level: '信访层级',
};

export default function ReportCases() {
  const loc = useLocation();
  const query = loc.query.toString();
  const answer = useLoad(
    (signal) => api.get<ReportCasesAnswer>('/reports/cases', { query: Object.fromEntries(loc.query), signal }).then((r) => r.data),
    [query],
  );
  const [items, setItems] = useState<CaseSummary[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [more, setMore] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  useEffect(() => {
    setItems(answer.data?.items ?? []);
    setCursor(answer.data?.cursor);
  }, [answer.data]);

  async function loadMore(): Promise<void> {
    setMore({ busy: true });
    try {
      const { data } = await api.get<ReportCasesAnswer>('/reports/cases', { query: { ...Object.fromEntries(loc.query), cursor } });
      setItems((prev) => [...prev, ...data.items]);
      setCursor(data.cursor);
      setMore({ busy: false });
    } catch (error) {
      setMore({ busy: false, error });
    }
  }

  const a = answer.data;
  const back = new URLSearchParams({ period: loc.query.get('period') ?? '' });
  if (loc.query.get('dimension')) back.set('dimension', loc.query.get('dimension') as string);
  if (loc.query.get('deptCode')) back.set('deptCode', loc.query.get('deptCode') as string);
  return (
    <Page
      title="统计分析 · 案件明细"
      actions={
        <span className="rpt-downloads rpt-drill-actions">
          {/* Every case behind the number (not only the pages shown), as the list shows them. */}
          <ExportButton path="/exports/report-cases" query={drillExportQuery(loc.query)} />
          <Link to={`/reports?${back.toString()}`}>返回统计分析</Link>
        </span>
      }
    >
      <ErrorBanner error={answer.error} />
      {answer.loading && !a ? <Loading /> : null}
      {a ? (
        <Card
          title={
            <span data-testid="drill-title">
              {a.period.label} · {a.figure.label}
              {PART_LABELS[a.part]}
              {a.row ? ` · ${DIMENSION_LABELS[a.row.dimension] ?? a.row.dimension}：${a.row.label}` : ''}
              {a.scope.deptCode ? ` · ${a.scope.label}` : ''} — 共 <span data-testid="drill-count">{a.count}</span> 件 {a.persons} 人次
            </span>
          }
        >
          {a.withheld > 0 ? <p className="muted">其中 {a.withheld} 件本单位无权查看（被反映单位），未列出。</p> : null}
          {items.length === 0 ? <Empty>没有案件</Empty> : <CaseTable items={items} showDepartment />}
          <ErrorBanner error={more.error} />
          {cursor ? (
            <div className="list-more">
              <Button onClick={() => void loadMore()} busy={more.busy}>
                加载更多
              </Button>
            </div>
          ) : null}
        </Card>
      ) : null}
    </Page>
  );
}
