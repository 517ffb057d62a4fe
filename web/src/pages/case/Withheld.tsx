/**
 * The actions this user's role could take at this stage that a rule holds back now, each with the
 * server's reason (and so its date, as 2027年1月5日): "复查申请期限至2027年1月5日届满后可办结".
 * No button for them — the case offers exactly the actions that succeed (`actions`).
 */
import type { CaseView } from '../../../../shared/app/views';

export function Withheld({ items }: { items: CaseView['withheld'] }) {
  if (items.length === 0) return null;
  return (
    <ul className="withheld" aria-label="暂不能办理的事项">
      {items.map((w) => (
        <li key={w.action} className="hint" data-action={w.action}>
          {w.reason}
        </li>
      ))}
    </ul>
  );
}
