/**
 * The cases behind a number of 统计分析 (#/reports/cases?period=…&figure=…[&part][&dimension&value]
 * [&deptCode]; GET /reports/cases): as many as the number, listed with the same table as 案件查询.
 */
import { useEffect, useState } from 'react';
import type { CaseSummary } from '@shared/app/views';
import { Button, Card, Empty, ErrorBanner, Loading, Page } from '../../components/ui';
import { api } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { Link, useLocation } from '../../lib/router';
import { labelOf, useVocab } from '../../lib/vocab';
import { CaseTable } from '../case/CaseTable';
import '../case/case.css';

interface ReportCasesAnswer {
  period: { key: string; label: string };
  scope: { deptCode: string | null; label: string };
  figure: { id: string; label: string };
  part: 'value' | 'numerator' | 'denominator';
  row?: { dimension: string; key: string };
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
const NONE_LABELS: Record<string, string> = { department: '未交办', locality: '未填写', level: '非来访' };

export default function ReportCases() {
  const vocab = useVocab();
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
  const rowLabel = (d: string, key: string): string => {
    if (key === 'none') return NONE_LABELS[d] ?? '未注明';
    const list = {
      channel: vocab.channels,
      itemType: vocab.itemTypes,
      category: vocab.categories,
      department: vocab.departments,
      locality: vocab.localities,
      level: vocab.petitionLevels,
    }[d];
    return list ? labelOf(list, key) : key;
  };
  const back = new URLSearchParams({ period: loc.query.get('period') ?? '' });
  if (loc.query.get('dimension')) back.set('dimension', loc.query.get('dimension') as string);
  if (loc.query.get('deptCode')) back.set('deptCode', loc.query.get('deptCode') as string);
  return (
    <Page title="统计分析 · 案件明细" actions={<Link to={`/reports?${back.toString()}`}>返回统计分析</Link>}>
      <ErrorBanner error={answer.error} />
      {answer.loading && !a ? <Loading /> : null}
      {a ? (
        <Card
          title={
            <span data-testid="drill-title">
              {a.period.label} · {a.figure.label}
              {PART_LABELS[a.part]}
              {a.row ? ` · ${DIMENSION_LABELS[a.row.dimension] ?? a.row.dimension}：${rowLabel(a.row.dimension, a.row.key)}` : ''}
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
