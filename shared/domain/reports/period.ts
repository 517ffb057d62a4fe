/**
 * Report periods (DESIGN §8): a month (`2026-03`), a quarter (`2026-Q1`), a year (`2026`) or any
 * range of days (`2026-01-05..2026-02-10`), with the period before it (环比) and the same period a
 * year before (同比). Dates are civil dates of the office (Asia/Shanghai); a period covers whole
 * days, both ends included. Pure.
 */
import { z } from 'zod';
import { addDays, daysBetween } from '../time';

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PeriodSchema = z.object({
  kind: z.enum(PERIOD_KINDS),
  /** `2026-03`, `2026-Q1`, `2026` or `2026-01-05..2026-02-10`: the period's name in the API, in keys and in file names. */
  key: z.string(),
  /** First day, `YYYY-MM-DD`. */
  from: z.string(),
  /** Last day, included. */
  to: z.string(),
  /** As people read it: 2026年3月, 2026年第1季度, 2026年, 2026年1月5日至2026年2月10日. */
  label: z.string(),
});
export type Period = z.infer<typeof PeriodSchema>;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** The longest range a report covers (days). */
export const MAX_RANGE_DAYS = 3 * 366;

/** A period key as the API takes it (`period=`): anything else is refused with the reason. */
export const PeriodKeySchema = z
  .string()
  .max(40)
  .transform((key, ctx) => {
    const p = periodOf(key);
    if (typeof p === 'string') {
      ctx.addIssue({ code: 'custom', message: p });
      return z.NEVER;
    }
    return p;
  });

function lastDayOfMonth(y: number, m: number): string {
  return addDays(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`, -1);
}

function realDate(d: string): boolean {
  return !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
}

export function monthPeriod(y: number, m: number): Period {
  const mm = String(m).padStart(2, '0');
  return { kind: 'month', key: `${y}-${mm}`, from: `${y}-${mm}-01`, to: lastDayOfMonth(y, m), label: `${y}年${m}月` };
}

export function quarterPeriod(y: number, q: number): Period {
  const first = (q - 1) * 3 + 1;
  return { kind: 'quarter', key: `${y}-Q${q}`, from: `${y}-${String(first).padStart(2, '0')}-01`, to: lastDayOfMonth(y, first + 2), label: `${y}年第${q}季度` };
}

export function yearPeriod(y: number): Period {
  return { kind: 'year', key: String(y), from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年` };
}

function dateLabel(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

export function rangePeriod(from: string, to: string): Period {
  return { kind: 'range', key: `${from}..${to}`, from, to, label: `${dateLabel(from)}至${dateLabel(to)}` };
}

/** The period a key names, or the reason it names none. */
export function periodOf(key: string): Period | string {
  let m = MONTH.exec(key);
  if (m) return monthPeriod(Number(m[1]), Number(m[2]));
  m = QUARTER.exec(key);
  if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
  m = YEAR.exec(key);
  if (m) return yearPeriod(Number(m[1]));
  m = RANGE.exec(key);
  if (m) {
    const [, from, to] = m as unknown as [string, string, string];
    if (!realDate(from) || !realDate(to)) return 'a range of real dates YYYY-MM-DD..YYYY-MM-DD';
    if (to < from) return 'a range ends on or after the day it starts';
    if (daysBetween(from, to) >= MAX_RANGE_DAYS) return `a range covers at most ${MAX_RANGE_DAYS} days`;
    return rangePeriod(from, to);
  }
  return 'a period like 2026-03 (month), 2026-Q1 (quarter), 2026 (year) or 2026-01-05..2026-02-10 (range)';
}

/** The period before (环比): the month, quarter or year before; a range of the same length just before. */
export function previousPeriod(p: Period): Period {
  const y = Number(p.from.slice(0, 4));
  const m = Number(p.from.slice(5, 7));
  switch (p.kind) {
    case 'month':
      return m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
    case 'quarter': {
      const q = (m - 1) / 3 + 1;
      return q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
    }
    case 'year':
      return yearPeriod(y - 1);
    case 'range': {
      const days = daysBetween(p.from, p.to);
      return rangePeriod(addDays(p.from, -days - 1), addDays(p.from, -1));
    }
  }
}

/** The same period a year before (同比); a range ending on 29 February ends on the 28th. */
export function samePeriodLastYear(p: Period): Period {
  const y = Number(p.from.slice(0, 4));
  const m = Number(p.from.slice(5, 7));
  switch (p.kind) {
    case 'month':
      return monthPeriod(y - 1, m);
    case 'quarter':
      return quarterPeriod(y - 1, (m - 1) / 3 + 1);
    case 'year':
      return yearPeriod(y - 1);
    case 'range':
      return rangePeriod(yearBefore(p.from), yearBefore(p.to));
  }
}

function yearBefore(d: string): string {
  const shifted = `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;
  return realDate(shifted) ? shifted : addDays(`${shifted.slice(0, 8)}01`, 27); // 29 February → 28 February
}

/** The months (`yyyy-mm`) a period touches, oldest first: the fact partitions a report reads. */
export function monthsOf(p: Pick<Period, 'from' | 'to'>): string[] {
  const out: string[] = [];
  let y = Number(p.from.slice(0, 4));
  let m = Number(p.from.slice(5, 7));
  const end = p.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    out.push(month);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** Has the period ended by `today` (its last day is before today)? Only a closed period is frozen. */
export function isClosed(p: Period, today: string): boolean {
  return p.to < today;
}
