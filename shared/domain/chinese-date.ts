/**
 * Dates as letters print them. Domain dates are ISO `YYYY-MM-DD` strings (shared/domain/time.ts).
 *
 * - Signature date (成文日期): Chinese numerals with 〇 for zero, `二〇二六年十一月二十一日`, the
 *   long-standing practice of letters-and-visits offices. GB/T 9704-2012 §7.3.5 itself prefers
 *   Arabic numerals (`2026年11月21日`), so an office can choose it (OfficeConfig.signatureDateStyle).
 * - Dates inside the body: Arabic numerals, `2026年11月21日`, month and day without a leading
 *   zero (GB/T 9704: 不编虚位), as numbers in body text are written in current practice.
 */
import { ISO_DATE } from './time';

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

function parts(date: string): { y: number; m: number; d: number } {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) };
}

/** True for an ISO `YYYY-MM-DD` string that names a real day (no 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const t = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === date;
}

/** 1..31 in Chinese numerals: 一, 十, 十一, 二十, 二十一, 三十一. */
export function chineseNumberUpTo99(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`out of range: ${n}`);
  if (n < 10) return DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** `2026-11-21` → `二〇二六年十一月二十一日`. */
export function chineseDate(date: string): string {
  const { y, m, d } = parts(date);
  const year = [...String(y)].map((c) => DIGITS[Number(c)]).join('');
  return `${year}年${chineseNumberUpTo99(m)}月${chineseNumberUpTo99(d)}日`;
}

/** `2026-09-05` → `2026年9月5日`. */
export function bodyDate(date: string): string {
  const { y, m, d } = parts(date);
  return `${y}年${m}月${d}日`;
}
