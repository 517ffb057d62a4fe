/**
 * The due-date engine: from a start date, a length and the calendar to a due date and the
 * derivation that explains it (DESIGN §3: "Every due date keeps its derivation (rule, article,
 * start, length, holidays skipped, pauses), so a clerk can see why it is that date").
 *
 * Counting, with the default policy:
 * - the start day is not counted: day 1 is the day after the event;
 * - calendar days: count forward, skipping the days inside pauses; the last counted day is the
 *   raw due date; if it is a rest day or public holiday, the due date moves to the next working
 *   day (a make-up working day 调休 is a working day, so a due date on it does not move);
 * - working days: count only working days (make-up working days included) outside pauses; the
 *   last counted day is a working day, so nothing moves.
 *
 * A pause `{ from, to }` takes the days after `from` up to and including `to` out of the count
 * (`to − from` days), mirroring "the start day is not counted": the clock ran on the day it was
 * paused and runs again from the day after it resumes. An open pause (no `to` yet) is recorded
 * but moves nothing until it is closed.
 */
import { z } from 'zod';
import { ValidationError } from '../errors';
import { addDays, daysBetween } from '../time';
import type { HolidayCalendar } from './calendar';
import { IsoDateSchema, assertIntegerInRange, assertIsoDate, yearOf } from './dates';
import { editionFor } from './statutory';
import {
  CLOCK_KINDS,
  DAY_UNITS,
  DEFAULT_CLOCK_POLICY,
  LENGTH_SOURCES,
  RULE_SET_VERSIONS,
  resolvePolicy,
  type ClockKind,
  type ClockPolicy,
  type DayUnit,
  type LengthSource,
  type RuleSetVersion,
} from './rules';

/** Longest length the engine accepts, in days; far beyond any rule, it only bounds the loops. */
export const MAX_CLOCK_LENGTH = 3650;

export const PauseSchema = z.object({
  from: IsoDateSchema,
  to: IsoDateSchema.optional(),
  reason: z.string().min(1),
});
export type Pause = z.infer<typeof PauseSchema>;

export const DerivationSchema = z.object({
  /** The rule the date was computed from; null when computeDue was called without one. */
  kind: z.enum(CLOCK_KINDS).nullable(),
  label: z.string().nullable(),
  article: z.string().nullable(),
  ruleSet: z.enum(RULE_SET_VERSIONS).nullable(),
  lengthSource: z.enum(LENGTH_SOURCES).nullable(),
  start: IsoDateSchema,
  /** Days counted, extension included. For a department due date: the lead before the handling due. */
  length: z.number().int().min(0),
  unit: z.enum(DAY_UNITS),
  extendedBy: z.number().int().min(1).optional(),
  startDayCounted: z.boolean(),
  rollForward: z.boolean(),
  /** The last counted day, before any move off a rest day. */
  rawDue: IsoDateSchema,
  roll: z.enum(['none', 'forward', 'backward']),
  /**
   * Rest days and public holidays the date moved over (calendar days), or that were not counted
   * (working days), ascending.
   */
  holidaysSkipped: z.array(IsoDateSchema),
  /** Make-up working days (调休) that were counted as working days, or that the due date fell on. */
  makeupWorkdays: z.array(IsoDateSchema),
  pauses: z.array(PauseSchema),
  /** Days taken out of the count by closed pauses. */
  pausedDays: z.number().int().min(0),
  /** Department due dates only: the statutory handling due they were derived from. */
  handlingDue: IsoDateSchema.optional(),
  /** Department due dates only: false when the lead could not be kept (assigned too late). */
  leadApplied: z.boolean().optional(),
  due: IsoDateSchema,
  /**
   * Years between start and due that the holiday calendar has no official data for: their
   * holidays were derived from the statutory rules (statutory.ts), so the date is provisional.
   */
  provisionalYears: z.array(z.number().int()).optional(),
  /** One sentence in Chinese for the clerk. */
  explanation: z.string(),
});
export type Derivation = z.infer<typeof DerivationSchema>;

/** The rule fields a derivation records (a ResolvedRule from rules.ts fits). */
export interface RuleRef {
  kind: ClockKind;
  label: string;
  article: string;
  ruleSet: RuleSetVersion;
}

export interface ComputeDueInput {
  start: string;
  length: number;
  unit: DayUnit;
  calendar: HolidayCalendar;
  pauses?: readonly Pause[];
  /** Only `startDayCounted` and `rollForward` matter here; defaults fill the rest. */
  policy?: Partial<ClockPolicy>;
  /** Recorded in the derivation. */
  rule?: RuleRef;
  lengthSource?: LengthSource;
  /** Days of an extension already included in `length`; recorded in the derivation. */
  extendedBy?: number;
}

export interface DueResult {
  due: string;
  derivation: Derivation;
}

/** Pauses must start on or after the start, not overlap, and only the last may be open. */
function validatePauses(start: string, pauses: readonly Pause[]): void {
  pauses.forEach((pause, i) => {
    assertIsoDate(pause.from, `pauses[${i}].from`);
    if (pause.to !== undefined) assertIsoDate(pause.to, `pauses[${i}].to`);
    if (pause.from < start) throw ValidationError.field(`pauses[${i}].from`, `a pause cannot begin (${pause.from}) before the clock starts (${start})`);
    if (pause.to !== undefined && pause.to < pause.from)
      throw ValidationError.field(`pauses[${i}].to`, `a pause cannot end (${pause.to}) before it begins (${pause.from})`);
    if (pause.to === undefined && i !== pauses.length - 1) throw ValidationError.field(`pauses[${i}].to`, 'only the last pause may still be open');
    const previous = pauses[i - 1];
    if (previous?.to !== undefined && pause.from < previous.to) {
      throw ValidationError.field(`pauses[${i}].from`, `pauses overlap: ${pause.from} is before the end of the previous pause (${previous.to})`);
    }
  });
}

function closedPauses(pauses: readonly Pause[]): { from: string; to: string }[] {
  return pauses.flatMap((p) => (p.to === undefined ? [] : [{ from: p.from, to: p.to }]));
}

function restKind(calendar: HolidayCalendar, date: string): string {
  return calendar.isHoliday(date) ? '法定节假日' : '休息日';
}

/** The due date of a clock, and why. See the module comment for the counting rules. */
export function computeDue(input: ComputeDueInput): DueResult {
  const { start, length, unit, calendar } = input;
  const pauses = input.pauses ?? [];
  const policy = resolvePolicy({ startDayCounted: input.policy?.startDayCounted, rollForward: input.policy?.rollForward });
  assertIsoDate(start, 'start');
  assertIntegerInRange(length, 'length', 1, MAX_CLOCK_LENGTH);
  if (!(DAY_UNITS as readonly string[]).includes(unit)) throw ValidationError.field('unit', `must be one of ${DAY_UNITS.join(', ')}`);
  validatePauses(start, pauses);

  const closed = closedPauses(pauses);
  const isPaused = (date: string): boolean => closed.some((p) => date > p.from && date <= p.to);
  const pausedDays = closed.reduce((sum, p) => sum + daysBetween(p.from, p.to), 0);

  const holidaysSkipped: string[] = [];
  const makeupWorkdays: string[] = [];
  // The day before the first day that may count.
  let day = policy.startDayCounted ? addDays(start, -1) : start;
  let counted = 0;
  while (counted < length) {
    day = addDays(day, 1);
    if (isPaused(day)) continue;
    if (unit === 'calendarDays') {
      counted += 1;
    } else if (calendar.isWorkingDay(day)) {
      counted += 1;
      if (calendar.isMakeupWorkday(day)) makeupWorkdays.push(day);
    } else {
      holidaysSkipped.push(day);
    }
  }
  const rawDue = day;

  let due = rawDue;
  if (unit === 'calendarDays') {
    if (policy.rollForward) {
      // Off rest days, and off days inside a pause (the due date of a clock cannot be a day on
      // which it was stopped).
      while (isPaused(due) || !calendar.isWorkingDay(due)) {
        if (!isPaused(due)) holidaysSkipped.push(due);
        due = addDays(due, 1);
      }
    } else {
      // Not moved, but the calendar must still know the day: a guess is never silent.
      calendar.isWorkingDay(due);
    }
    if (calendar.isMakeupWorkday(due)) makeupWorkdays.push(due);
  }

  const provisionalYears = uncoveredYears(calendar, start, due);
  let explanation = explain({
    start,
    length,
    unit,
    calendar,
    pauses,
    pausedDays,
    policy,
    extendedBy: input.extendedBy,
    rawDue,
    due,
    holidaysSkipped,
    makeupWorkdays,
  });
  if (provisionalYears.length > 0) explanation += provisionalNote(provisionalYears);
  const derivation: Derivation = {
    kind: input.rule?.kind ?? null,
    label: input.rule?.label ?? null,
    article: input.rule?.article ?? null,
    ruleSet: input.rule?.ruleSet ?? null,
    lengthSource: input.lengthSource ?? (input.rule ? 'statute' : null),
    start,
    length,
    unit,
    ...(input.extendedBy === undefined ? {} : { extendedBy: input.extendedBy }),
    startDayCounted: policy.startDayCounted,
    rollForward: policy.rollForward,
    rawDue,
    roll: due === rawDue ? 'none' : 'forward',
    holidaysSkipped,
    makeupWorkdays,
    pauses: pauses.map((p) => ({ ...p })),
    pausedDays,
    due,
    ...(provisionalYears.length > 0 ? { provisionalYears } : {}),
    explanation,
  };
  return { due, derivation };
}

/** Years from `from` to `to` that the calendar has no official data for. */
function uncoveredYears(calendar: HolidayCalendar, from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = yearOf(from < to ? from : to); y <= yearOf(from < to ? to : from); y++) if (!calendar.covers(y)) years.push(y);
  return years;
}

/** Says which years were derived, and by which rule (the citation of statutory.ts). */
function provisionalNote(years: number[]): string {
  const citations = [...new Set(years.map((y) => editionFor(y).citation))].join('、');
  return `（${years.join('、')}年节假日安排尚未公布，暂按${citations}推算法定节假日及补假，未含调休，公布后应复核）`;
}

interface ExplainInput {
  start: string;
  length: number;
  unit: DayUnit;
  calendar: HolidayCalendar;
  pauses: readonly Pause[];
  pausedDays: number;
  policy: ClockPolicy;
  extendedBy: number | undefined;
  rawDue: string;
  due: string;
  holidaysSkipped: readonly string[];
  makeupWorkdays: readonly string[];
}

function explain(x: ExplainInput): string {
  const from = x.policy.startDayCounted ? `自${x.start}（含当日）起算` : `自${x.start}起算`;
  const extended = x.extendedBy ? `（含延长的${x.extendedBy}日）` : '';
  const paused = x.pausedDays > 0 ? `，中止计时${x.pausedDays}日不计入` : '';
  const open = x.pauses.find((p) => p.to === undefined);
  const openNote = open ? `；${open.from}起中止计时，恢复后顺延` : '';

  if (x.unit === 'workingDays') {
    const notes: string[] = [];
    if (x.holidaysSkipped.length > 0) notes.push(`不计休息日和法定节假日${x.holidaysSkipped.length}日`);
    if (x.makeupWorkdays.length > 0) notes.push(`调休工作日${x.makeupWorkdays.join('、')}计入`);
    const noteText = notes.length > 0 ? `（${notes.join('，')}）` : '';
    return `${from}${x.length}个工作日${extended}${noteText}${paused}，届满日为${x.due}${openNote}`;
  }

  let tail: string;
  if (x.due !== x.rawDue) {
    tail = `，届满日${x.rawDue}为${restKind(x.calendar, x.rawDue)}，顺延至${x.due}`;
  } else if (x.calendar.isMakeupWorkday(x.rawDue)) {
    tail = `，届满日${x.rawDue}为调休工作日，不顺延`;
  } else if (!x.calendar.isWorkingDay(x.rawDue)) {
    tail = `，届满日${x.rawDue}为${restKind(x.calendar, x.rawDue)}，按本机关规定不顺延`;
  } else {
    tail = `，届满日为${x.due}`;
  }
  return `${from}${x.length}日${extended}${paused}${tail}${openNote}`;
}

export interface DepartmentDueInput {
  /** The statutory handling due date (its own pauses and extension already in it). */
  handlingDue: string;
  /** The day the case was assigned to the department; the department clock starts here. */
  assignedOn: string;
  calendar: HolidayCalendar;
  /** Days before the handling due; default `DEFAULT_CLOCK_POLICY.departmentLeadDays` (10). */
  leadDays?: number;
  /** Pauses of the department clock itself; each closed one gives the department its days back. */
  pauses?: readonly Pause[];
  rule?: RuleRef;
  lengthSource?: LengthSource;
}

/**
 * The department's internal due date (office policy): the statutory handling due minus the lead
 * days (plus the days the department clock itself was paused), moved BACKWARD to the previous
 * working day when it lands on a rest day. Backward, not forward: the lead exists so the office
 * has time to review the answer before the statutory due, and moving forward would eat into it.
 * When the result is not after the assignment day (a case assigned late), the lead cannot be kept:
 * the department's due date is the statutory handling due itself (`leadApplied: false`).
 */
export function computeDepartmentDue(input: DepartmentDueInput): DueResult {
  const { handlingDue, assignedOn, calendar } = input;
  const leadDays = input.leadDays ?? DEFAULT_CLOCK_POLICY.departmentLeadDays;
  const pauses = input.pauses ?? [];
  assertIsoDate(handlingDue, 'handlingDue');
  assertIsoDate(assignedOn, 'assignedOn');
  assertIntegerInRange(leadDays, 'leadDays', 0, MAX_CLOCK_LENGTH);
  validatePauses(assignedOn, pauses);
  const pausedDays = closedPauses(pauses).reduce((sum, p) => sum + daysBetween(p.from, p.to), 0);

  const rollBack = (date: string): { due: string; skipped: string[] } => {
    const skipped: string[] = [];
    let day = date;
    while (!calendar.isWorkingDay(day)) {
      skipped.unshift(day);
      day = addDays(day, -1);
    }
    return { due: day, skipped };
  };

  const withPauses = pausedDays > 0 ? `，加中止计时${pausedDays}日` : '';
  let rawDue = addDays(handlingDue, pausedDays - leadDays);
  let { due, skipped } = rollBack(rawDue);
  const leadApplied = due > assignedOn;
  let explanation: string;
  if (!leadApplied) {
    rawDue = addDays(handlingDue, pausedDays);
    ({ due, skipped } = rollBack(rawDue));
    explanation = `按法定办理期限届满日${handlingDue}提前${leadDays}日计算的日期不晚于交办之日${assignedOn}，不再提前${withPauses}，承办单位办理期限为${due}`;
  } else if (due !== rawDue) {
    explanation = `法定办理期限届满日${handlingDue}提前${leadDays}日${withPauses}为${rawDue}，该日为${restKind(calendar, rawDue)}，向前调整至${due}`;
  } else {
    explanation = `法定办理期限届满日${handlingDue}提前${leadDays}日${withPauses}，承办单位办理期限为${due}`;
  }
  const open = pauses.find((p) => p.to === undefined);
  if (open) explanation += `；${open.from}起中止计时，恢复后顺延`;
  const provisionalYears = uncoveredYears(calendar, assignedOn, handlingDue);
  if (provisionalYears.length > 0) explanation += provisionalNote(provisionalYears);

  const derivation: Derivation = {
    kind: input.rule?.kind ?? null,
    label: input.rule?.label ?? null,
    article: input.rule?.article ?? null,
    ruleSet: input.rule?.ruleSet ?? null,
    lengthSource: input.lengthSource ?? (input.rule ? 'policy' : null),
    start: assignedOn,
    length: leadDays,
    unit: 'calendarDays',
    startDayCounted: false,
    rollForward: false,
    rawDue,
    roll: due === rawDue ? 'none' : 'backward',
    holidaysSkipped: skipped,
    makeupWorkdays: calendar.isMakeupWorkday(due) ? [due] : [],
    pauses: pauses.map((p) => ({ ...p })),
    pausedDays,
    handlingDue,
    leadApplied,
    due,
    ...(provisionalYears.length > 0 ? { provisionalYears } : {}),
    explanation,
  };
  return { due, derivation };
}

/**
 * Working days after `from` up to and including `to` (so `from` itself never counts, like the
 * start day of a clock). Negative when `to` is before `from`; 0 when they are the same day.
 * For the sweep's "remind N working days before the due date".
 */
export function workingDaysUntil(from: string, to: string, calendar: HolidayCalendar): number {
  assertIsoDate(from, 'from');
  assertIsoDate(to, 'to');
  if (to < from) return -workingDaysUntil(to, from, calendar);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (calendar.isWorkingDay(day)) count += 1;
  }
  return count;
}
