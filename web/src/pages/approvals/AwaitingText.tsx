/** What awaits the director's approval, in a line (and the reason given under it). */
import type { AwaitingSummary } from '@shared/app/views';
import { useLabels } from '../../lib/vocab';

export function AwaitingText({ a }: { a: AwaitingSummary }) {
  const L = useLabels();
  switch (a.kind) {
    case 'proposal': {
      const what =
        a.action === 'accept'
          ? `受理${a.deptCode ? `，交${L.department(a.deptCode)}办理` : ''}`
          : a.action === 'decline'
            ? `不予受理${a.route ? `（${L.route(a.route)}）` : ''}`
            : `转送${a.transferTo ?? ''}`;
      return (
        <>
          <span className="what">拟：{what}</span>
          <span className="sub">{a.reason}</span>
        </>
      );
    }
    case 'extension':
      return (
        <>
          <span className="what">申请延期 {a.days} 天</span>
          <span className="sub">{a.reason}</span>
        </>
      );
    case 'reply':
      return (
        <>
          <span className="what">
            {L.department(a.deptCode)}答复：{L.outcome(a.outcome)}
          </span>
        </>
      );
  }
}
