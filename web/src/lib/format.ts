/** Dates, sizes and deadlines as the office writes them. */

const BEIJING_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant's calendar day and time in Beijing. */
function beijing(d: Date): { y: string; m: string; d: string; hh: string; mm: string } {
  const parts = BEIJING_PARTS.formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { y: get('year'), m: String(Number(get('month'))), d: String(Number(get('day'))), hh: get('hour'), mm: get('minute') };
}

/** An instant ('…T…Z' or with an offset), as opposed to a civil date ('2026-06-15'). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * '2026-06-15' → '2026年6月15日'. An instant is dated in Beijing: '2026-12-04T16:39:00Z' (00:39 on
 * 5 December in Beijing) → '2026年12月5日', never the UTC day before.
 */
export function chineseDate(iso: string | undefined): string {
  if (!iso) return '';
  if (INSTANT.test(iso)) {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) {
      const b = beijing(d);
      return `${b.y}年${b.m}月${b.d}日`;
    }
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** An instant in Beijing time: '2026年6月15日 09:30'. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const b = beijing(d);
  return `${b.y}年${b.m}月${b.d}日 ${b.hh}:${b.mm}`;
}

/** Every ISO date ('2027-01-05') inside a sentence, as the office writes it ('2027年1月5日'). */
export function chineseDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, (whole) => chineseDate(whole));
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
