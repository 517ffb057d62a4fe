/**
 * A table of case summaries (the inbox, the search results): the case number links to the case
 * page, overdue rows are red (`row-overdue`).
 */
import type { CaseSummary } from '@shared/app/views';
import { DaysLeft, StatusBadge, Table } from '../../components/ui';
import { chineseDate } from '../../lib/format';
import { caseLink, Link } from '../../lib/router';
import { useLabels } from '../../lib/vocab';
import './case.css';

/** Statuses in which the department's or the handling due date is still running. */

export function dueOf(c: CaseSummary): string | undefined {
  return c.departmentDue ?? c.handlingDue;
}



export function CaseTable({ items, showDepartment, caption }: { items: CaseSummary[]; showDepartment?: boolean; caption?: string }) {
  const L = useLabels();
  const head = ['案件编号', '标题', '信访人', '状态', ...(showDepartment ? ['承办单位'] : []), '收到日期', '办理期限', '剩余天数'];
  return (
    <div className="case-table">
      <Table head={head} caption={caption}>
        {items.map((c) => {
          const days = c.daysLeft;
          const due = dueOf(c);
          return (
            <tr key={c.caseNo} className={days !== undefined && days < 0 ? 'row-overdue' : undefined} data-case-no={c.caseNo}>
              <td className="case-no">
                <Link to={caseLink(c.caseNo)}>{c.caseNo}</Link>
              </td>
              <td>
                <span className="subject">{c.subject}</span>
                <span className="sub">
                  {L.itemType(c.itemType)} · {L.category(c.category)} · {L.channel(c.channel)}
                  {c.collective ? ' · 集体访' : ''}
                </span>
              </td>
              <td className="nowrap">
                {c.petitioners.map((p) => p.name).slice(0, 2).join('、')}
                {c.petitioners.length > 2 ? ` 等${c.persons}人` : c.persons > c.petitioners.length ? ` 等${c.persons}人` : ''}
              </td>
              <td>
                <StatusBadge status={c.status} label={c.statusLabel} />
              </td>
              {showDepartment ? <td className="nowrap">{L.department(c.deptCode) || <span className="muted">—</span>}</td> : null}
              <td className="nowrap">{chineseDate(c.receivedOn)}</td>
              <td className="nowrap" title={c.departmentDue && c.handlingDue ? `承办单位期限 ${c.departmentDue}；法定办理期限 ${c.handlingDue}` : undefined}>
                {due ? chineseDate(due) : <span className="muted">—</span>}
              </td>
              <td className="nowrap">{days !== undefined ? <DaysLeft days={days} /> : <span className="muted">—</span>}</td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
