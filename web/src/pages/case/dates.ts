/** Civil dates in the office's time zone (Asia/Shanghai), for days-left figures computed in the browser. */

const BEIJING = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Beijing, 'YYYY-MM-DD'. */
export function todayInBeijing(now: Date = new Date()): string {
  return BEIJING.format(now);
}

function utcDay(iso: string): number {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 86_400_000;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(utcDay(to) - utcDay(from));
}
