/**
 * The department's inbox (待办案件): its open cases ordered by due date, days left (overdue rows
 * red), "load more" with the API's cursor; its open supervisions (督办) on top.
 */
import { useEffect, useState } from 'react';
import type { SupervisionView } from '@shared/app/oversight';
import type { CaseSummary } from '@shared/app/views';
import { Button, Card, Empty, ErrorBanner, Loading, Page } from '../components/ui';
import { ExportButton } from '../components/ExportButton';
import { api } from '../lib/api';
import { chineseDate } from '../lib/format';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { caseLink, Link } from '../lib/router';
import { useLabels } from '../lib/vocab';
import { CaseTable, daysLeftOf, isOverdue } from './case/CaseTable';
import './case/case.css';

interface ListPage<T> {
  items: T[];
  cursor?: string;
}

const PAGE_SIZE = 50;

export default function Inbox({ session }: PageProps) {
  const L = useLabels();
  const first = useLoad((signal) => api.get<ListPage<CaseSummary>>('/inbox', { query: { limit: PAGE_SIZE }, signal }).then((r) => r.data), []);
  const supervisions = useLoad(
    (signal) => api.get<ListPage<SupervisionView>>('/supervisions', { query: { state: 'open' }, signal }).then((r) => r.data.items),
    [],
  );
  const [items, setItems] = useState<CaseSummary[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [more, setMore] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  // The case page is where a row leads: fetch its code while the list is read.
  useEffect(() => {
    const t = setTimeout(() => void import('./CasePage'), 300);
    return () => clearTimeout(t);
  }, []);

  useEffect(() => {
    if (first.data) {
      setItems(first.data.items);
      setCursor(first.data.cursor);
    }
  }, [first.data]);

  async function loadMore(): Promise<void> {
    setMore({ busy: true });
    try {
      const { data } = await api.get<ListPage<CaseSummary>>('/inbox', { query: { limit: PAGE_SIZE, cursor } });
      setItems((prev) => [...prev, ...data.items.filter((c) => !prev.some((p) => p.caseNo === c.caseNo))]);
      setCursor(data.cursor);
      setMore({ busy: false });
    } catch (error) {
      setMore({ busy: false, error });
    }
  }

  const overdue = items.filter(isOverdue).length;
  const soon = items.filter((c) => {
    const d = daysLeftOf(c);
    return d !== undefined && d >= 0 && d <= 7;
  }).length;
  const openSupervisions = supervisions.data ?? [];
  const dept = L.department(session.user.deptCode);

  return (
    <Page
      title={`待办案件${dept ? `（${dept}）` : ''}`}
      actions={
        <>
          <ExportButton path="/exports/inbox" />
          <Button
            onClick={() => {
              first.reload();
              supervisions.reload();
            }}
            busy={first.loading && items.length > 0}
          >
            刷新
          </Button>
        </>
      }
    >
      {first.data ? (
        <div className="list-summary" aria-label="待办统计">
          <div className="stat">
            <b>
              {items.length}
              {cursor ? '+' : ''}
            </b>
            <span>在办案件</span>
          </div>
          <div className="stat stat-overdue">
            <b>{overdue}</b>
            <span>已逾期</span>
          </div>
          <div className="stat stat-soon">
            <b>{soon}</b>
            <span>7日内到期</span>
          </div>
          <div className="stat stat-supervised">
            <b>{openSupervisions.length}</b>
            <span>督办事项</span>
          </div>
        </div>
      ) : null}

      {openSupervisions.length > 0 ? (
        <Card
          title={`督办事项（${openSupervisions.length}）`}
          className={`card-supervision ${openSupervisions.some((s) => s.level === 'flagged') ? 'flagged' : ''}`}
        >
          <ul className="supervision-list" aria-label="督办事项">
            {openSupervisions.map((s) => (
              <li key={`${s.caseNo}/${s.supervisionId}`}>
                <span className={`level level-${s.level}`}>{s.levelLabel}</span>
                <Link to={caseLink(s.caseNo)}>{s.caseNo}</Link>
                <span>{s.subject}</span>
                <span className="muted">
                  {L.clock(s.kind)}
                  {chineseDate(s.due)}届满，{chineseDate(s.openedOn)}起督办
                </span>
                <span className={s.unanswered ? 'days days-overdue' : 'muted'}>{s.unanswered ? '待书面答复' : '已答复'}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {supervisions.error ? <ErrorBanner error={supervisions.error} /> : null}

      <Card title="在办案件（按本单位办理期限排序）">
        <ErrorBanner error={first.error} />
        {first.loading && !first.data ? <Loading /> : items.length === 0 && !first.error ? <Empty>暂无待办案件</Empty> : <CaseTable items={items} />}
        <ErrorBanner error={more.error} />
        {cursor ? (
          <div className="list-more">
            <Button onClick={() => void loadMore()} busy={more.busy}>
              加载更多
            </Button>
          </div>
        ) : items.length > 0 ? (
          <div className="list-more">已显示全部 {items.length} 件</div>
        ) : null}
      </Card>
    </Page>
  );
}
