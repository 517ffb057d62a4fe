/**
 * A year of the holiday calendar loaded by the office (the State Council notice, entered by an
 * admin), and what it changes on the open cases. Pure: the schema of a year, the re-derivation of
 * a case's provisional clocks on the new calendar, and the notice to whoever's date moved. The use
 * case (shared/app/calendar.ts) reads the clocks, and writes each changed case with its audit event
 * and notice in one transaction.
 */
import { z } from 'zod';
import type { Case } from './case';
import { HolidayDataSchema, rederiveClock, syncDepartmentClock, type ClockKind, type ClockState, type HolidayCalendar, type HolidayData } from './clocks';
import { ValidationError } from './errors';
import { noticeIdOf, type Notice } from './supervision';
import { CLOCK_LABELS, type Recipient } from './sweep';
import { daysBetween } from './time';
import { bodyDate } from './chinese-date';

/** The body of a year as an admin sends it: the holiday blocks' days and the make-up working days. */
export const CalendarYearBodySchema = z.object({
  holidays: z.array(z.string()).max(366),
  makeupWorkdays: z.array(z.string()).max(366),
  /** The notice it comes from (e.g. 国办发明电〔2026〕12号). */
  source: z.string().trim().min(1).max(200),
});
export type CalendarYearBody = z.infer<typeof CalendarYearBodySchema>;

/** A year as stored: the body, validated as the shipped data is, and who loaded it when. */
export const StoredCalendarYearSchema = z.object({
  year: z.number().int(),
  holidays: z.array(z.string()),
  makeupWorkdays: z.array(z.string()),
  source: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type StoredCalendarYear = z.infer<typeof StoredCalendarYearSchema>;

/** Years an office may load: those a clock of an open case can reach. */
export const LOADABLE_YEARS = { from: 2020, to: 2100 } as const;

/**
 * Validates a year with the rules of the shipped data (HolidayDataSchema: real dates in that
 * year, sorted, no duplicates, no day both a holiday and a make-up day, make-up days on a weekend).
 * A ValidationError names each problem by field (`holidays.3`, `makeupWorkdays.0`).
 */
export function validateCalendarYear(year: number, body: CalendarYearBody): HolidayData['years'][string] {
  if (!Number.isInteger(year) || year < LOADABLE_YEARS.from || year > LOADABLE_YEARS.to) {
    throw ValidationError.field('year', `must be a year from ${LOADABLE_YEARS.from} to ${LOADABLE_YEARS.to}`);
  }
  const parsed = HolidayDataSchema.safeParse({ years: { [String(year)]: { holidays: body.holidays, makeupWorkdays: body.makeupWorkdays } } });
  if (!parsed.success) {
    // The issues name the body's fields: the path below `years.<year>`.
    throw ValidationError.fromZod(parsed.error, { skip: 2, root: 'year', message: `Invalid calendar for ${year}` });
  }
  if (body.holidays.length === 0) throw ValidationError.field('holidays', 'a year has holidays: list every day off of every block');
  return { holidays: [...body.holidays], makeupWorkdays: [...body.makeupWorkdays] };
}

export interface ClockChange {
  kind: ClockKind;
  from: string;
  to: string;
  /** Calendar days the due date moved (negative: earlier). */
  days: number;
}

const OPEN_CLOCK: ReadonlySet<string> = new Set(['running', 'paused']);

/** An open clock whose date was derived, not read from official data, for `year`. */
export function isProvisionalFor(clock: ClockState | undefined, year: number): clock is ClockState {
  return clock !== undefined && OPEN_CLOCK.has(clock.status) && (clock.derivation.provisionalYears ?? []).includes(year);
}

/**
 * The case with its open clocks that were provisional for `year` re-derived on `calendar` (the
 * department clock from the re-derived handling due), and the dates that moved. A clock whose date
 * does not move keeps its derivation as it is, so a second run on the same calendar changes
 * nothing (and writes nothing).
 */
export function rederiveCase(c: Case, calendar: HolidayCalendar, year: number): { next: Case; changes: ClockChange[] } {
  const clocks: Case['clocks'] = { ...c.clocks };
  const changes: ClockChange[] = [];
  const set = (kind: ClockKind, after: ClockState): void => {
    const before = c.clocks[kind];
    if (!before || JSON.stringify(before) === JSON.stringify(after)) return;
    clocks[kind] = after;
    if (before.due !== after.due) changes.push({ kind, from: before.due, to: after.due, days: daysBetween(before.due, after.due) });
  };
  for (const [kind, clock] of Object.entries(c.clocks) as [ClockKind, ClockState][]) {
    if (kind === 'departmentDue') continue;
    if (isProvisionalFor(clock, year)) set(kind, rederiveClock(clock, { calendar }));
  }
  const department = c.clocks.departmentDue;
  const handling = clocks.handling;
  if (department && OPEN_CLOCK.has(department.status)) {
    if (handling && handling !== c.clocks.handling) set('departmentDue', syncDepartmentClock(department, handling, { calendar }));
    else if (isProvisionalFor(department, year)) set('departmentDue', rederiveClock(department, { calendar }));
  }
  // A derivation that changed without moving the date (a provisional year now official) is kept too.
  const changed = Object.keys(clocks).some((k) => clocks[k] !== c.clocks[k]);
  return { next: changed ? { ...c, clocks } : c, changes };
}

/**
 * The notice of the moved dates: to the department that holds the case, else to the office's
 * clerks. One per case and year, with a deterministic id, so a re-run writes nothing new.
 */
export function calendarChangeNotice(c: Case, changes: ClockChange[], year: number, source: string, now: Date, today: string): Notice | null {
  const first = changes.find((ch) => ch.kind === 'departmentDue') ?? changes[0];
  if (!first) return null;
  const recipient: Recipient = c.deptCode ? { kind: 'department', deptCode: c.deptCode } : { kind: 'clerk' };
  const key = { caseNo: c.caseNo, clock: first.kind, due: first.to, milestone: `calendar-${year}`, recipient };
  const lines = changes.map((ch) => `${CLOCK_LABELS[ch.kind]}由${bodyDate(ch.from)}调整为${bodyDate(ch.to)}`);
  return {
    noticeId: noticeIdOf(key),
    ...key,
    subject: `期限调整：${c.caseNo}`,
    body: `${year}年节假日安排（${source}）已录入，案件${c.caseNo}（${c.subject}）原按法定节假日推算的期限已重新计算：${lines.join('；')}。`,
    createdOn: today,
    createdAt: now.toISOString(),
    documentIds: [],
  };
}
