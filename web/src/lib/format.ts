/** Dates, sizes and deadlines as the office writes them. */

/** '2026-06-15' → '2026年6月15日'. */
export function chineseDate(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** An instant in Beijing time: '2026-06-15 09:30'. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** '剩 5 天', '今日到期', '逾期 3 天'. */
export function daysLeftText(days: number | undefined): string {
  if (days === undefined) return '';
  if (days > 0) return `剩 ${days} 天`;
  if (days === 0) return '今日到期';
  return `逾期 ${-days} 天`;
}

/** A random Idempotency-Key for one create, kept across retries of the same form. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

// Civil dates in the office's time zone (Asia/Shanghai), for days-left figures and default dates.
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
