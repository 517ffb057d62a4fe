/**
 * Clock values: what a case stores for each of its clocks, and the operations on them. Every
 * function returns a new object and leaves its argument alone; every refusal is a DomainError
 * (never a silent no-op). The due date is always recomputed from the start, the length, the
 * pauses and the extension, so `due` and `derivation` never drift from the facts.
 *
 * Operations take a trailing ClockContext; only its `calendar` (default: the shipped one) and
 * `policy` matter after the start.
 *
 * Status while paused or stopped: the clock is frozen. `daysLeft` and `isOverdue` of a paused
 * clock are those of the day it was paused (a pause can only begin on or before the due date, so
 * a paused clock is never overdue); of a stopped clock, those of the day it stopped (so a clock
 * stopped after its due date reads as overdue, which is what the on-time rate needs).
 */
import { z } from 'zod';
import { RuleViolationError, ValidationError } from '../errors';
import { daysBetween } from '../time';
import { defaultCalendar, type HolidayCalendar } from './calendar';
import { IsoDateSchema, assertIntegerInRange, assertIsoDate } from './dates';
import { DerivationSchema, MAX_CLOCK_LENGTH, PauseSchema, computeDepartmentDue, computeDue, type DueResult, type Pause, type RuleRef } from './engine';
import { CLOCK_KINDS, DAY_UNITS, DEFAULT_RULE_SET, resolvePolicy, ruleFor, type ClockKind, type ClockPolicy, type RuleSetVersion } from './rules';
import type { ItemType } from '../taxonomy';

export const CLOCK_STATUSES = ['running', 'paused', 'stopped'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

/**
 * A clock as stored on a case. The storage layer parses what it reads with this schema; the
 * refinements reject states the functions below can never produce.
 */
export const ClockStateSchema = z
  .object({
    kind: z.enum(CLOCK_KINDS),
    status: z.enum(CLOCK_STATUSES),
    startedOn: IsoDateSchema,
    /** The rule's length (or the override), without the extension. For `departmentDue`: the lead days. */
    lengthDays: z.number().int().min(0),
    unit: z.enum(DAY_UNITS),
    due: IsoDateSchema,
    derivation: DerivationSchema,
    pauses: z.array(PauseSchema),
    /** Days of the (single) extension of a handling clock. */
    extendedBy: z.number().int().min(1).optional(),
    extensionReason: z.string().min(1).optional(),
    stoppedOn: IsoDateSchema.optional(),
  })
  .superRefine((clock, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    const openIndex = clock.pauses.findIndex((p) => p.to === undefined);
    if (openIndex !== -1 && openIndex !== clock.pauses.length - 1) issue('pauses', 'only the last pause may be open');
    if ((clock.status === 'paused') !== (openIndex !== -1)) issue('status', 'a clock is paused exactly when its last pause is open');
    if ((clock.status === 'stopped') !== (clock.stoppedOn !== undefined)) issue('stoppedOn', 'a clock has stoppedOn exactly when it is stopped');
    if ((clock.extendedBy === undefined) !== (clock.extensionReason === undefined)) issue('extensionReason', 'an extension has both days and a reason');
    if (clock.extendedBy !== undefined && clock.kind !== 'handling') issue('extendedBy', 'only a handling clock can be extended');
    if (clock.due !== clock.derivation.due) issue('due', 'due must equal derivation.due');
  });
export type ClockState = z.infer<typeof ClockStateSchema>;

export interface ClockContext {
  /** Default '2022'. */
  ruleSet?: RuleSetVersion;
  /** Needed for `handling` (its length depends on it). */
  itemType?: ItemType;
  /** Default: the shipped calendar. */
  calendar?: HolidayCalendar;
  /** The office policy; defaults fill what is missing. */
  policy?: Partial<ClockPolicy>;
  /** A length set for this clock instead of the rule's (for `departmentDue`: the lead days). */
  lengthOverride?: number;
  /** Needed for `departmentDue`: the statutory handling due it is derived from. */
  handlingDue?: string;
}

/**
 * What a case's clocks are computed with: the calendar is required, so no operation on a case can
 * fall back to the shipped calendar (which refuses a year it does not cover).
 */
export type CaseClockContext = Omit<ClockContext, 'ruleSet' | 'itemType' | 'calendar'> & { calendar: HolidayCalendar };

function refuse(message: string, clock: ClockState, details: Record<string, unknown> = {}): never {
  throw new RuleViolationError(message, { kind: clock.kind, status: clock.status, ...details });
}

function requireReason(reason: string, field: string): void {
  if (typeof reason !== 'string' || reason.trim() === '') throw ValidationError.field(field, 'a reason is required');
}

function ruleOf(clock: ClockState): RuleRef | undefined {
  const d = clock.derivation;
  return d.kind && d.label && d.article && d.ruleSet ? { kind: d.kind, label: d.label, article: d.article, ruleSet: d.ruleSet } : undefined;
}

/**
 * The due date of a clock from its facts (start, length, pauses, extension), with the rule and
 * the counting policy recorded in its derivation, so a later policy change never moves a date
 * that was already given to someone.
 */
function recompute(clock: ClockState, pauses: readonly Pause[], extendedBy: number | undefined, calendar: HolidayCalendar): DueResult {
  const d = clock.derivation;
  if (clock.kind === 'departmentDue') {
    if (d.handlingDue === undefined) refuse('The department clock does not record the handling due it was derived from', clock);
    return computeDepartmentDue({
      handlingDue: d.handlingDue,
      assignedOn: clock.startedOn,
      calendar,
      leadDays: clock.lengthDays,
      pauses,
      rule: ruleOf(clock),
      lengthSource: d.lengthSource ?? undefined,
    });
  }
  return computeDue({
    start: clock.startedOn,
    length: clock.lengthDays + (extendedBy ?? 0),
    unit: clock.unit,
    calendar,
    pauses,
    policy: { startDayCounted: d.startDayCounted, rollForward: d.rollForward },
    rule: ruleOf(clock),
    lengthSource: d.lengthSource ?? undefined,
    extendedBy,
  });
}

/** Starts a clock of `kind` on `startedOn` (the event day: receipt, acceptance, delivery, …). */
export function startClock(kind: ClockKind, startedOn: string, ctx: ClockContext = {}): ClockState {
  assertIsoDate(startedOn, 'startedOn');
  const policy = resolvePolicy(ctx.policy);
  const calendar = ctx.calendar ?? defaultCalendar;
  const rule = ruleFor(kind, ctx.ruleSet ?? DEFAULT_RULE_SET, ctx.itemType, policy);
  if (ctx.lengthOverride !== undefined) assertIntegerInRange(ctx.lengthOverride, 'lengthOverride', kind === 'departmentDue' ? 0 : 1, MAX_CLOCK_LENGTH);
  const length = ctx.lengthOverride ?? rule.length;
  const lengthSource = ctx.lengthOverride !== undefined ? 'override' : rule.source;

  let result: DueResult;
  if (kind === 'departmentDue') {
    if (ctx.handlingDue === undefined) {
      throw new RuleViolationError('A department due date is derived from the statutory handling due: use departmentDueClock, or pass ctx.handlingDue', {
        kind,
      });
    }
    result = computeDepartmentDue({ handlingDue: ctx.handlingDue, assignedOn: startedOn, calendar, leadDays: length, rule, lengthSource });
  } else {
    result = computeDue({ start: startedOn, length, unit: rule.unit, calendar, policy, rule, lengthSource });
  }
  return { kind, status: 'running', startedOn, lengthDays: length, unit: rule.unit, due: result.due, derivation: result.derivation, pauses: [] };
}

/**
 * Starts the department's clock on `assignedOn`, due `policy.departmentLeadDays` before the
 * handling clock's current due date (moved back to a working day). The rule set is the handling
 * clock's unless ctx names one.
 */
export function departmentDueClock(handlingClock: ClockState, assignedOn: string, ctx: ClockContext = {}): ClockState {
  if (handlingClock.kind !== 'handling') refuse(`A department clock is derived from a handling clock, not ${handlingClock.kind}`, handlingClock);
  if (handlingClock.status === 'stopped') refuse('The handling clock is stopped', handlingClock);
  const ruleSet = ctx.ruleSet ?? handlingClock.derivation.ruleSet ?? DEFAULT_RULE_SET;
  return startClock('departmentDue', assignedOn, { ...ctx, ruleSet, handlingDue: handlingClock.due });
}

/**
 * Re-derives a department clock from the handling clock's current due date (after an extension,
 * or after the handling clock was paused and resumed), keeping the department clock's own lead,
 * pauses and status.
 */
export function syncDepartmentClock(departmentClock: ClockState, handlingClock: ClockState, ctx: ClockContext = {}): ClockState {
  if (departmentClock.kind !== 'departmentDue') refuse(`Expected a departmentDue clock, got ${departmentClock.kind}`, departmentClock);
  if (handlingClock.kind !== 'handling') refuse(`Expected a handling clock, got ${handlingClock.kind}`, handlingClock);
  if (departmentClock.status === 'stopped') refuse('The department clock is stopped', departmentClock);
  const rebased: ClockState = { ...departmentClock, derivation: { ...departmentClock.derivation, handlingDue: handlingClock.due } };
  const { due, derivation } = recompute(rebased, departmentClock.pauses, undefined, ctx.calendar ?? defaultCalendar);
  return { ...departmentClock, pauses: departmentClock.pauses.map((p) => ({ ...p })), due, derivation };
}

/**
 * Pauses a running clock on `on` (a hearing, waiting for the petitioner): the days after `on`
 * stop counting until it resumes. Refused for a clock that is not running, before its start or
 * the end of its last pause, and after its due date (a pause cannot rescue an overdue clock).
 */
export function pauseClock(clock: ClockState, on: string, reason: string, ctx: ClockContext = {}): ClockState {
  assertIsoDate(on, 'on');
  requireReason(reason, 'reason');
  if (clock.status !== 'running') refuse(`Cannot pause a clock that is ${clock.status}`, clock, { on });
  if (on < clock.startedOn) refuse(`Cannot pause on ${on}, before the clock started on ${clock.startedOn}`, clock, { on });
  const last = clock.pauses.at(-1);
  if (last?.to !== undefined && on < last.to) refuse(`Cannot pause on ${on}, before the previous pause ended on ${last.to}`, clock, { on });
  if (on > clock.due)
    refuse(`Cannot pause on ${on}: the clock was due on ${clock.due}, and a pause cannot extend an overdue clock`, clock, { on, due: clock.due });
  const pauses = [...clock.pauses.map((p) => ({ ...p })), { from: on, reason }];
  const { due, derivation } = recompute(clock, pauses, clock.extendedBy, ctx.calendar ?? defaultCalendar);
  return { ...clock, status: 'paused', pauses, due, derivation };
}

/** Resumes a paused clock on `on`; the due date is recomputed so the pause extends it. */
export function resumeClock(clock: ClockState, on: string, ctx: ClockContext = {}): ClockState {
  assertIsoDate(on, 'on');
  const open = clock.pauses.at(-1);
  if (clock.status !== 'paused' || !open || open.to !== undefined) refuse(`Cannot resume a clock that is ${clock.status}`, clock, { on });
  if (on < open.from) refuse(`Cannot resume on ${on}, before the pause began on ${open.from}`, clock, { on });
  const pauses = [...clock.pauses.slice(0, -1).map((p) => ({ ...p })), { ...open, to: on }];
  const { due, derivation } = recompute(clock, pauses, clock.extendedBy, ctx.calendar ?? defaultCalendar);
  return { ...clock, status: 'running', pauses, due, derivation };
}

/**
 * Stops a clock on `on` (what it waited for happened). A paused clock's pause is closed on `on`
 * first, so its due date reflects the pause. Refused for a stopped clock and before the start.
 */
export function stopClock(clock: ClockState, on: string, ctx: ClockContext = {}): ClockState {
  assertIsoDate(on, 'on');
  if (clock.status === 'stopped') refuse(`The clock already stopped on ${clock.stoppedOn ?? '?'}`, clock, { on });
  if (on < clock.startedOn) refuse(`Cannot stop on ${on}, before the clock started on ${clock.startedOn}`, clock, { on });
  const running = clock.status === 'paused' ? resumeClock(clock, on, ctx) : clock;
  return { ...running, pauses: running.pauses.map((p) => ({ ...p })), status: 'stopped', stoppedOn: on };
}

/**
 * The clock recomputed from its own facts (start, length, pauses, extension, counting switches,
 * and for a department clock the handling due it records) on `ctx.calendar`: what changes when a
 * year of the calendar is loaded. Status, pauses and stop are kept; a stopped clock is refused
 * (its date was final when it stopped).
 */
export function rederiveClock(clock: ClockState, ctx: ClockContext = {}): ClockState {
  if (clock.status === 'stopped') refuse('A stopped clock is not re-derived', clock);
  const { due, derivation } = recompute(clock, clock.pauses, clock.extendedBy, ctx.calendar ?? defaultCalendar);
  return { ...clock, pauses: clock.pauses.map((p) => ({ ...p })), due, derivation };
}

const CONTEXT_KEYS: readonly string[] = ['ruleSet', 'itemType', 'calendar', 'policy', 'lengthOverride', 'handlingDue'];

/**
 * Extends a handling clock once, by 1..maxExtensionDays days (Art. 34: at most 30, approved by
 * the director, with a notice giving the reason). The new due date is computed from the start
 * with length + days, pauses included. The last argument is a ClockContext (calendar and policy)
 * or, for short, the policy alone.
 */
export function extendClock(clock: ClockState, days: number, reason: string, options: ClockContext | Partial<ClockPolicy> = {}): ClockState {
  const ctx: ClockContext = Object.keys(options).some((key) => CONTEXT_KEYS.includes(key))
    ? (options as ClockContext)
    : { policy: options as Partial<ClockPolicy> };
  const { maxExtensionDays } = resolvePolicy(ctx.policy);
  requireReason(reason, 'reason');
  if (!Number.isInteger(days)) throw ValidationError.field('days', `must be a whole number of days, got ${String(days)}`);
  if (clock.kind !== 'handling') refuse(`Only a handling clock can be extended, not ${clock.kind}`, clock);
  if (clock.status === 'stopped') refuse('Cannot extend a stopped clock', clock);
  if (clock.extendedBy !== undefined)
    refuse(`The clock was already extended by ${clock.extendedBy} days; a handling clock can be extended only once`, clock, { extendedBy: clock.extendedBy });
  if (days < 1 || days > maxExtensionDays) refuse(`An extension is 1 to ${maxExtensionDays} days, not ${days}`, clock, { days, maxExtensionDays });
  const { due, derivation } = recompute(clock, clock.pauses, days, ctx.calendar ?? defaultCalendar);
  return { ...clock, pauses: clock.pauses.map((p) => ({ ...p })), extendedBy: days, extensionReason: reason, due, derivation };
}

function frozenOn(clock: ClockState, today: string): string {
  if (clock.status === 'stopped' && clock.stoppedOn !== undefined) return clock.stoppedOn;
  const open = clock.pauses.at(-1);
  if (clock.status === 'paused' && open && open.to === undefined) return open.from;
  return today;
}

/** Past the due date (the due date itself is still on time). Paused and stopped clocks are frozen. */
export function isOverdue(clock: ClockState, today: string): boolean {
  assertIsoDate(today, 'today');
  return frozenOn(clock, today) > clock.due;
}

/** Calendar days from today to the due date: 0 on the due date, negative when overdue. Frozen when paused or stopped. */
export function daysLeft(clock: ClockState, today: string): number {
  assertIsoDate(today, 'today');
  return daysBetween(frozenOn(clock, today), clock.due);
}
