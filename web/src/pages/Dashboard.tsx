/**
 * 工作台 (#/dashboard): GET /dashboard — four counts (due this week, overdue, under supervision,
 * flagged), the same per department with the cases behind each count (read when a row is opened:
 * GET /dashboard?group=<code|OFFICE>; a department's own are in the first answer), and the chart of cases
 * registered per month (inline SVG, with a table for screen readers). A department sees only its
 * own group; the monthly totals are office-wide for everyone (docs/sweeps.md).
 */
import { Fragment, useState } from 'react';
import type { Dashboard as DashboardData, DashboardClockItem, DashboardGroup, MonthCount, SupervisionView } from '@shared/app/oversight';
import { api } from '../lib/api';
import { chineseDate } from '../lib/format';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { caseLink, Link } from '../lib/router';
import { useLabels } from '../lib/vocab';
import { Card, DaysLeft, Empty, ErrorBanner, Loading, Page, StatusBadge } from '../components/ui';
import ArchiveOverview from './archive/ArchiveOverview';
import './dashboard.css';

type Category = 'dueThisWeek' | 'overdue' | 'underSupervision' | 'flagged';

const CATEGORIES: { key: Category; label: string; hint: string }[] = [
  { key: 'dueThisWeek', label: '本周到期', hint: '本周日前到期的办理期限' },
  { key: 'overdue', label: '已逾期', hint: '已超过期限仍未办结' },
  { key: 'underSupervision', label: '督办中', hint: '逾期后已发出督办' },
  { key: 'flagged', label: '挂牌督办', hint: '逾期较久，挂牌督办' },
];

/** The API as it may answer: a stack started before the monthly counters existed sends no perMonth. */
type DashboardResponse = Omit<DashboardData, 'perMonth'> & { perMonth?: MonthCount[] };

export default function Dashboard({ session }: PageProps) {
  // Archivists read archived cases only (DESIGN §7): their 工作台 is the archive's.
  if (session.user.roles.length > 0 && session.user.roles.every((r) => r === 'archivist')) return <ArchiveOverview />;
  return <OfficeDashboard session={session} />;
}

function OfficeDashboard({ session }: Pick<PageProps, 'session'>) {
  const L = useLabels();
  const roles = session.user.roles;
  const dept = roles.includes('department') ? session.user.deptCode : undefined;
  const { data, error, loading, reload } = useLoad((signal) => api.get<DashboardResponse>('/dashboard', { signal }).then((r) => r.data), []);

  const actions = (
    <>
      {roles.includes('clerk') ? (
        <Link to="/register" className="btn btn-primary dash-action">
          登记新信访
        </Link>
      ) : null}
      {roles.includes('director') ? (
        <Link to="/approvals" className="btn btn-primary dash-action">
          待审批
        </Link>
      ) : null}
      {dept ? (
        <Link to="/inbox" className="btn btn-primary dash-action">
          待办案件
        </Link>
      ) : null}
      <button type="button" className="btn" onClick={reload} disabled={loading}>
        刷新
      </button>
    </>
  );

  return (
    <Page title={dept ? `工作台 · ${L.department(dept)}` : '工作台'} actions={actions}>
      <ErrorBanner error={error} />
      {!data && loading ? <Loading /> : null}
      {data ? (
        <>
          <p className="dash-today muted">
            今天是 {chineseDate(data.today)}；“本周到期”统计至本周日（{chineseDate(data.weekEnd)}）。
          </p>
          <Tiles totals={data.totals} />
          {data.totals.failedNotices ? (
            <p className="dash-failed-notices" role="alert" data-failed-notices={data.totals.failedNotices}>
              有 {data.totals.failedNotices} 条通知经多次发送仍未送达，已停止重试：请检查邮件发送设置和通讯录。
            </p>
          ) : null}
          <Card title={dept ? '本单位情况' : '各承办单位情况'}>
            <DepartmentTable groups={data.departments} single={Boolean(dept)} />
          </Card>
          <Card title="本机关每月登记信访件数（近12个月）">
            <MonthChart months={data.perMonth} />
          </Card>
        </>
      ) : null}
    </Page>
  );
}

function Tiles({ totals }: { totals: DashboardData['totals'] }) {
  return (
    <ul className="dash-tiles" aria-label="统计">
      {CATEGORIES.map((c) => (
        <li key={c.key} className={`dash-tile dash-tile-${c.key} ${totals[c.key] > 0 ? 'dash-tile-nonzero' : ''}`} data-tile={c.key}>
          <span className="dash-tile-label">{c.label}</span>
          <span className="dash-tile-count">
            {totals[c.key]}
            <small> 件</small>
          </span>
          <span className="dash-tile-hint">{c.hint}</span>
        </li>
      ))}
    </ul>
  );
}

function DepartmentTable({ groups, single }: { groups: DashboardGroup[]; single: boolean }) {
  // A department sees its own group opened; the office sees every row closed.
  const [open, setOpen] = useState<Set<string>>(() => new Set(single ? groups.map(groupKey) : []));
  if (groups.length === 0 || (single && groups.every((g) => CATEGORIES.every((c) => g[c.key].count === 0))))
    return <Empty>暂无本周到期、已逾期或督办中的案件。</Empty>;
  const toggle = (k: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  return (
    <div className="table-wrap">
      <table className="dash-table">
        <thead>
          <tr>
            <th scope="col">承办单位</th>
            {CATEGORIES.map((c) => (
              <th key={c.key} scope="col" className="num">
                {c.label}
              </th>
            ))}
            <th scope="col">
              <span className="dash-sr-only">案件清单</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => {
            const k = groupKey(g);
            const isOpen = open.has(k);
            const listId = `dash-cases-${k}`;
            const empty = CATEGORIES.every((c) => g[c.key].count === 0);
            return (
              <Fragment key={k}>
                <tr className={g.overdue.count > 0 ? 'dash-row-overdue' : undefined} data-dept={g.deptCode ?? 'OFFICE'}>
                  <th scope="row">{g.name}</th>
                  {CATEGORIES.map((c) => (
                    <td key={c.key} className={`num ${g[c.key].count > 0 ? `dash-num-${c.key}` : 'muted'}`}>
                      {g[c.key].count}
                    </td>
                  ))}
                  <td className="dash-toggle">
                    {empty ? null : (
                      <button type="button" className="btn btn-link" aria-expanded={isOpen} aria-controls={listId} onClick={() => toggle(k)}>
                        {isOpen ? '收起' : '查看案件'}
                        <span className="dash-sr-only">（{g.name}）</span>
                      </button>
                    )}
                  </td>
                </tr>
                {isOpen && !empty ? (
                  <tr className="dash-detail">
                    <td colSpan={CATEGORIES.length + 2} id={listId}>
                      {g.listed ? <GroupCases group={g} /> : <ListedGroup group={g} />}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function groupKey(g: DashboardGroup): string {
  return g.deptCode ?? 'OFFICE';
}

/** The office's row opened: its lists are read for this group only (GET /dashboard?group=…). */
function ListedGroup({ group }: { group: DashboardGroup }) {
  const k = groupKey(group);
  const { data, error, loading } = useLoad(
    (signal) => api.get<DashboardResponse>(`/dashboard?group=${encodeURIComponent(k)}`, { signal }).then((r) => r.data),
    [k],
  );
  const listed = data?.departments.find((g) => groupKey(g) === k);
  return (
    <>
      <ErrorBanner error={error} />
      {!data && loading ? <Loading /> : null}
      {listed ? <GroupCases group={listed} /> : null}
    </>
  );
}

/** The cases behind a group's counts: clock lists by case (a case with two clocks shows both), then supervisions. */
function GroupCases({ group }: { group: DashboardGroup }) {
  return (
    <div className="dash-lists">
      {(['overdue', 'dueThisWeek'] as const).map((k) =>
        group[k].count > 0 ? (
          <section key={k} className="dash-list">
            <h3>
              {CATEGORIES.find((c) => c.key === k)?.label}（{group[k].count} 件）
            </h3>
            <ClockList items={group[k].items} />
          </section>
        ) : null,
      )}
      {(['flagged', 'underSupervision'] as const).map((k) =>
        group[k].count > 0 ? (
          <section key={k} className="dash-list">
            <h3>
              {CATEGORIES.find((c) => c.key === k)?.label}（{group[k].count} 件）
            </h3>
            <SupervisionList items={group[k].items} />
          </section>
        ) : null,
      )}
    </div>
  );
}

function ClockList({ items }: { items: DashboardClockItem[] }) {
  const byCase = new Map<string, DashboardClockItem[]>();
  for (const i of items) byCase.set(i.caseNo, [...(byCase.get(i.caseNo) ?? []), i]);
  return (
    <ul className="dash-cases">
      {[...byCase.values()].map((clocks) => {
        const first = clocks[0] as DashboardClockItem;
        return (
          <li key={first.caseNo}>
            <Link to={caseLink(first.caseNo)} className="dash-caseno">
              {first.caseNo}
            </Link>
            <span className="dash-subject">{first.subject}</span>
            <StatusBadge status={first.status} label={first.statusLabel} />
            <span className="dash-clocks">
              {clocks.map((c) => (
                <span key={c.clock} className="dash-clock" title={`${c.clockLabel}：${chineseDate(c.due)}`}>
                  {c.clockLabel} {chineseDate(c.due)} <DaysLeft days={c.daysLeft} />
                </span>
              ))}
            </span>
          </li>
        );
      })}
      {items.length >= 100 ? <li className="muted">仅列出前 100 项，请在“案件查询”中查看全部。</li> : null}
    </ul>
  );
}

function SupervisionList({ items }: { items: SupervisionView[] }) {
  return (
    <ul className="dash-cases">
      {items.map((s) => (
        <li key={`${s.caseNo}/${s.supervisionId}`}>
          <Link to={caseLink(s.caseNo)} className="dash-caseno">
            {s.caseNo}
          </Link>
          <span className="dash-subject">{s.subject}</span>
          <span className={`badge ${s.level === 'flagged' ? 'dash-badge-flagged' : 'dash-badge-supervision'}`}>{s.levelLabel}</span>
          <span className="dash-clocks">
            <span className="dash-clock">
              原定期限 {chineseDate(s.due)}，{chineseDate(s.openedOn)} 起督办
            </span>
            {s.unanswered ? <span className="badge dash-badge-unanswered">未书面答复</span> : <span className="badge badge-replied">已答复</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

// ---- the chart of cases per month -------------------------------------------------------------

function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

const CHART = { width: 720, height: 240, left: 40, right: 12, top: 18, bottom: 40 };

/** A round axis maximum and step for the bars (1, 2, 5 × 10^n). */
function axis(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 };
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= raw) ?? 10 * pow;
  const s = Math.max(1, step);
  return { top: Math.ceil(max / s) * s, step: s };
}

function MonthChart({ months }: { months: MonthCount[] | undefined }) {
  if (!months) return <Empty>暂无按月统计数据（服务端尚未提供）。</Empty>;
  if (months.length === 0) return <Empty>暂无按月统计数据。</Empty>;
  const total = months.reduce((n, m) => n + m.count, 0);
  const { top, step } = axis(Math.max(...months.map((m) => m.count)));
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const slot = plotW / months.length;
  const barW = Math.min(36, slot * 0.6);
  const y = (v: number) => CHART.top + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const summary = `近12个月每月登记信访件数，共 ${total} 件：${months.map((m) => `${monthLabel(m.month)} ${m.count} 件`).join('，')}`;
  return (
    <figure className="dash-chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} aria-hidden="true">
            <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(t)} y2={y(t)} className={t === 0 ? 'dash-axis' : 'dash-grid'} />
            <text x={CHART.left - 6} y={y(t) + 4} textAnchor="end" className="dash-tick">
              {t}
            </text>
          </g>
        ))}
        {months.map((m, i) => {
          const cx = CHART.left + slot * i + slot / 2;
          const h = (m.count / top) * plotH;
          const [yy, mm] = m.month.split('-');
          return (
            <g key={m.month} aria-hidden="true">
              <rect x={cx - barW / 2} y={CHART.top + plotH - h} width={barW} height={h} className="dash-bar" rx={2}>
                <title>{`${monthLabel(m.month)}：${m.count} 件`}</title>
              </rect>
              {m.count > 0 ? (
                <text x={cx} y={CHART.top + plotH - h - 4} textAnchor="middle" className="dash-value">
                  {m.count}
                </text>
              ) : null}
              <text x={cx} y={CHART.height - CHART.bottom + 16} textAnchor="middle" className="dash-tick">
                {Number(mm)}月
              </text>
              {i === 0 || mm === '01' ? (
                <text x={cx} y={CHART.height - CHART.bottom + 32} textAnchor="middle" className="dash-tick dash-year">
                  {yy}年
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        共 {total} 件（按收信/来访日期统计，含本月至今）。{total === 0 ? '按月统计自本功能启用后开始累计。' : ''}
      </figcaption>
      <table className="dash-sr-only">
        <caption>每月登记信访件数</caption>
        <thead>
          <tr>
            <th scope="col">月份</th>
            <th scope="col">件数</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthLabel(m.month)}</th>
              <td>{m.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
