/**
 * A table of case summaries (the inbox, the search results): the case number links to the case
 * page, overdue rows are red (`row-overdue`).
 */
import type { CaseSummary } from '@shared/app/views';
import type { Highlight } from '@shared/domain/search/document';
import type { ReactNode } from 'react';
import { DaysLeft, StatusBadge, Table } from '../../components/ui';
import { chineseDate } from '../../lib/format';
import { caseLink, Link } from '../../lib/router';
import { useLabels } from '../../lib/vocab';
import './case.css';

/**
 * Overdue in a list: the statutory clock now counting, or the department's own date (both are
 * what the dashboard counts as overdue).
 */
export function isOverdue(c: CaseSummary): boolean {
  return (c.statutory?.daysLeft ?? 0) < 0 || (c.department?.daysLeft ?? 0) < 0;
}

/** The days left that matter most: the nearer of the statutory and the department's clock. */
export function daysLeftOf(c: CaseSummary): number | undefined {
  const days = [c.statutory?.daysLeft, c.department?.daysLeft].filter((d): d is number => d !== undefined);
  return days.length ? Math.min(...days) : undefined;
}

/** A matched fragment with its words marked (the search's highlights). */
export function Marked({ h }: { h: Highlight }) {
  const parts: ReactNode[] = [];
  let at = 0;
  h.ranges.forEach(([start, end], i) => {
    if (start > at) parts.push(h.text.slice(at, start));
    parts.push(<mark key={i}>{h.text.slice(start, end)}</mark>);
    at = end;
  });
  if (at < h.text.length) parts.push(h.text.slice(at));
  return (
    <span className="hit">
      <span className="hit-label">{h.label}：</span>
      {h.clippedStart ? '…' : ''}
      {parts}
      {h.clippedEnd ? '…' : ''}
    </span>
  );
}

export function CaseTable({
  items,
  showDepartment,
  caption,
}: {
  items: (CaseSummary & { highlights?: Highlight[] })[];
  showDepartment?: boolean;
  caption?: string;
}) {
  const L = useLabels();
  const head = ['案件编号', '标题', '信访人', '状态', ...(showDepartment ? ['承办单位'] : []), '收到日期', '法定期限', '剩余天数'];
  return (
    <div className="case-table">
      <Table head={head} caption={caption}>
        {items.map((c) => {
          const { statutory, department } = c;
          return (
            <tr key={c.caseNo} className={isOverdue(c) ? 'row-overdue' : undefined} data-case-no={c.caseNo}>
              <td className="case-no">
                <Link to={caseLink(c.caseNo)}>{c.caseNo}</Link>
              </td>
              <td>
                <span className="subject">{c.subject}</span>
                <span className="sub">
                  {L.itemType(c.itemType)} · {L.category(c.category)} · {L.channel(c.channel)}
                  {c.collective ? ' · 集体访' : ''}
                </span>
                {c.highlights?.map((h) => (
                  <Marked key={h.field} h={h} />
                ))}
              </td>
              <td className="nowrap">
                {c.petitioners
                  .map((p) => p.name)
                  .slice(0, 2)
                  .join('、')}
                {c.petitioners.length > 2 ? ` 等${c.persons}人` : c.persons > c.petitioners.length ? ` 等${c.persons}人` : ''}
              </td>
              <td>
                <StatusBadge status={c.status} label={c.statusLabel} />
              </td>
              {showDepartment ? <td className="nowrap">{L.department(c.deptCode) || <span className="muted">—</span>}</td> : null}
              <td className="nowrap">{chineseDate(c.receivedOn)}</td>
              <td className="nowrap" data-clock={statutory?.clock}>
                {statutory ? (
                  <>
                    {chineseDate(statutory.due)}
                    <span className="sub">
                      {statutory.label}
                      {statutory.paused ? '（暂停计时）' : ''}
                    </span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
                {department ? (
                  <span className="sub" data-clock="departmentDue">
                    承办单位 {chineseDate(department.due)}
                  </span>
                ) : null}
              </td>
              <td className="nowrap">
                {statutory?.daysLeft !== undefined ? <DaysLeft days={statutory.daysLeft} /> : <span className="muted">—</span>}
                {department?.daysLeft !== undefined ? (
                  <span className="sub">
                    承办单位 <DaysLeft days={department.daysLeft} />
                  </span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
