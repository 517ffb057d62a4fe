/**
 * The holiday calendar as data the office maintains (DESIGN §1, admin: "the holiday calendar"):
 * the shipped years are the default; an admin loads a year (the State Council notice) into the
 * table, sees what it would move before saving, and saves it. Every function reads the loaded
 * years through an OfficeCalendarSource (cached briefly, like the letter template overrides), so a
 * new year takes effect without a deploy; saving re-derives the open clocks whose dates were
 * provisional for that year, each changed case with an audit event and a notice.
 *
 * The re-derivation reads the open clocks due from the year's first day on (one Query per byDue
 * partition; never a Scan), and writes each case in one transaction conditional on its version
 * (shared/adapters/sweep-store.ts `commit`). A case already re-derived is no longer provisional
 * for the year and is skipped, and a notice has a deterministic key: a run killed half-way and run
 * again finishes the rest and writes nothing twice.
 */
import {
  calendarChangeNotice,
  isProvisionalFor,
  rederiveCase,
  validateCalendarYear,
  type CalendarYearBody,
  type ClockChange,
  type StoredCalendarYear,
} from '../domain/calendar-change';
import type { Case } from '../domain/case';
import {
  officeCalendar,
  officeCalendarWith,
  shippedHolidayData,
  statutoryHolidays,
  STATUTORY_YEARS,
  type HolidayCalendar,
  type HolidayData,
  type StatutoryDay,
} from '../domain/clocks';
import { requireRole, type Actor } from '../domain/roles';
import { auditActor } from './actor';
import { shanghaiDate, type Clock } from '../domain/time';
import type { CommitResult, MilestoneCommit, RunningClock } from './sweep-ports';

/** Where the office's years are kept (the single table, OFFICE#CALENDAR). */
export interface CalendarYearStore {
  calendarYears(): Promise<StoredCalendarYear[]>;
  putCalendarYear(year: StoredCalendarYear): Promise<void>;
}

/** What the re-derivation reads and writes (DynamoDbSweepStore). */
export interface CalendarClockStore {
  /** Open clocks (running or paused) due on or after `from` (byDue). */
  openClocksFrom(from: string): Promise<RunningClock[]>;
  getCases(caseNos: string[]): Promise<Case[]>;
  commit(write: MilestoneCommit): Promise<CommitResult>;
}

export const DEFAULT_CALENDAR_CACHE_MS = 60_000;

/**
 * The office calendar of a warm process: the shipped years plus the years in the table, read at
 * most once per `cacheMs`. It is a HolidayCalendar itself (it answers from the last years read),
 * so the same object can be handed to the lifecycle, the sweep index and the sweep; `refresh()`
 * before a use case brings it up to date.
 */
export class OfficeCalendarSource implements HolidayCalendar {
  private snapshot: HolidayCalendar = officeCalendar;
  private loaded: StoredCalendarYear[] = [];
  private readAt: number | undefined;
  private pending: Promise<HolidayCalendar> | undefined;

  constructor(private readonly deps: { store: CalendarYearStore; clock: Clock; cacheMs?: number }) {}

  /** Reads the office's years again unless read within the cache time; returns the calendar. */
  refresh(): Promise<HolidayCalendar> {
    const now = this.deps.clock.now().getTime();
    const ttl = this.deps.cacheMs ?? DEFAULT_CALENDAR_CACHE_MS;
    if (this.readAt !== undefined && now >= this.readAt && now - this.readAt < ttl) return Promise.resolve(this.snapshot);
    this.pending ??= this.deps.store
      .calendarYears()
      .then((years) => {
        this.loaded = years;
        this.snapshot = officeCalendarWith(yearsData(years));
        this.readAt = now;
        return this.snapshot;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Forgets the cached years (after this process saved one). */
  invalidate(): void {
    this.readAt = undefined;
  }

  /** The years read last (the admin overview). */
  loadedYears(): StoredCalendarYear[] {
    return this.loaded.map((y) => ({ ...y }));
  }

  get years(): readonly number[] {
    return this.snapshot.years;
  }
  covers(year: number): boolean {
    return this.snapshot.covers(year);
  }
  isWorkingDay(date: string): boolean {
    return this.snapshot.isWorkingDay(date);
  }
  isRestDay(date: string): boolean {
    return this.snapshot.isRestDay(date);
  }
  isHoliday(date: string): boolean {
    return this.snapshot.isHoliday(date);
  }
  isMakeupWorkday(date: string): boolean {
    return this.snapshot.isMakeupWorkday(date);
  }
}

/** Brings a calendar up to date if it is an OfficeCalendarSource (a plain calendar is fixed). */
export async function refreshCalendar(calendar: unknown): Promise<void> {
  if (calendar instanceof OfficeCalendarSource) await calendar.refresh();
}

function yearsData(years: readonly StoredCalendarYear[]): HolidayData['years'] {
  return Object.fromEntries(years.map((y) => [String(y.year), { holidays: y.holidays, makeupWorkdays: y.makeupWorkdays }]));
}

export type CalendarYearStatus = 'shipped' | 'loaded' | 'provisional';

export interface CalendarYearView {
  year: number;
  status: CalendarYearStatus;
  holidays: string[];
  makeupWorkdays: string[];
  source: string | null;
  updatedBy?: string;
  updatedAt?: string;
  /** A provisional year: the statutory days it was derived from, and the rule. */
  derivation?: { citation: string; holidays: StatutoryDay[]; madeUp: StatutoryDay[] };
}

export interface MovedClock extends ClockChange {
  caseNo: string;
  deptCode?: string;
}

export interface CalendarEffect {
  year: number;
  /** Open clocks read (due from 1 January of the year on). */
  clocksChecked: number;
  /** Cases with a clock that was provisional for the year. */
  provisionalCases: number;
  /** Clocks whose due date moves, and the cases they belong to. */
  clocksMoved: number;
  casesMoved: number;
  /** How far: days moved → number of clocks, ascending by days. */
  shifts: { days: number; clocks: number }[];
  /** The moved clocks (the first 200). */
  moved: MovedClock[];
}

export interface RecomputeReport {
  complete: boolean;
  /** Cases written this run (dates moved, or confirmed no longer provisional). */
  casesUpdated: number;
  clocksMoved: number;
  notices: number;
  /** Cases another writer changed during the run four times over; run again. */
  conflicts: number;
}

export interface CalendarAdminDeps {
  years: CalendarYearStore;
  clocks: CalendarClockStore;
  source: OfficeCalendarSource;
  clock: Clock;
  /** Wall-clock time the re-derivation may take before it stops and reports `complete: false` (default 10 s). */
  budgetMs?: number;
}

const MAX_LISTED = 200;
const RETRIES = 4;

export class CalendarAdmin {
  constructor(private readonly deps: CalendarAdminDeps) {}

  /** Every year from the first shipped one to next year, and any loaded: where it comes from and its days. */
  async overview(actor: Actor): Promise<{ today: string; years: CalendarYearView[] }> {
    requireRole(actor, 'admin');
    const loaded = await this.deps.years.calendarYears();
    const today = shanghaiDate(this.deps.clock.now());
    const shippedYears = Object.keys(shippedHolidayData.years).map(Number);
    const thisYear = Number(today.slice(0, 4));
    const first = Math.min(...shippedYears, thisYear);
    const last = Math.max(thisYear + 1, ...loaded.map((y) => y.year));
    const views: CalendarYearView[] = [];
    for (let year = first; year <= last; year++) {
      const mine = loaded.find((y) => y.year === year);
      const shipped = shippedHolidayData.years[String(year)];
      if (mine) {
        views.push({
          year,
          status: 'loaded',
          holidays: mine.holidays,
          makeupWorkdays: mine.makeupWorkdays,
          source: mine.source,
          updatedBy: mine.updatedBy,
          updatedAt: mine.updatedAt,
        });
      } else if (shipped) {
        views.push({ year, status: 'shipped', holidays: shipped.holidays, makeupWorkdays: shipped.makeupWorkdays, source: shippedHolidayData.source ?? null });
      } else if (year >= STATUTORY_YEARS.from && year <= STATUTORY_YEARS.to) {
        const { holidays, madeUp, citation } = statutoryHolidays(year);
        views.push({
          year,
          status: 'provisional',
          holidays: [...holidays, ...madeUp].map((d) => d.date).sort(),
          makeupWorkdays: [],
          source: null,
          derivation: { citation, holidays, madeUp },
        });
      }
    }
    return { today, years: views };
  }

  /** What saving `body` as `year` would move: nothing is written. */
  async preview(actor: Actor, year: number, body: CalendarYearBody): Promise<CalendarEffect> {
    requireRole(actor, 'admin');
    const data = validateCalendarYear(year, body);
    const loaded = await this.deps.years.calendarYears();
    const calendar = officeCalendarWith({ ...yearsData(loaded), [String(year)]: data });
    const effect: CalendarEffect = { year, clocksChecked: 0, provisionalCases: 0, clocksMoved: 0, casesMoved: 0, shifts: [], moved: [] };
    const shifts = new Map<number, number>();
    await this.eachCandidate(
      year,
      (count) => (effect.clocksChecked = count),
      async (c) => {
        effect.provisionalCases += 1;
        const { changes } = rederiveCase(c, calendar, year);
        if (changes.length === 0) return true;
        effect.casesMoved += 1;
        for (const change of changes) {
          effect.clocksMoved += 1;
          shifts.set(change.days, (shifts.get(change.days) ?? 0) + 1);
          if (effect.moved.length < MAX_LISTED) effect.moved.push({ caseNo: c.caseNo, ...(c.deptCode ? { deptCode: c.deptCode } : {}), ...change });
        }
        return true;
      },
    );
    effect.shifts = [...shifts.entries()].sort(([a], [b]) => a - b).map(([days, clocks]) => ({ days, clocks }));
    return effect;
  }

  /**
   * Stores the year (it takes effect at once in this process, and in every other within the cache
   * time) and re-derives the open clocks that were provisional for it. Saving the same year again
   * continues an unfinished re-derivation and changes nothing that is done.
   */
  async save(actor: Actor, year: number, body: CalendarYearBody): Promise<{ year: CalendarYearView; recompute: RecomputeReport }> {
    requireRole(actor, 'admin');
    const data = validateCalendarYear(year, body);
    const stored: StoredCalendarYear = { year, ...data, source: body.source, updatedBy: actor.username, updatedAt: this.deps.clock.now().toISOString() };
    await this.deps.years.putCalendarYear(stored);
    this.deps.source.invalidate();
    const recompute = await this.recompute(actor, year, body.source);
    return {
      year: {
        year,
        status: 'loaded',
        holidays: stored.holidays,
        makeupWorkdays: stored.makeupWorkdays,
        source: stored.source,
        updatedBy: stored.updatedBy,
        updatedAt: stored.updatedAt,
      },
      recompute,
    };
  }

  /** Re-derives, on the calendar as stored now, every open clock that was provisional for `year`. */
  async recompute(actor: Actor, year: number, source: string): Promise<RecomputeReport> {
    const calendar = await this.deps.source.refresh();
    const started = performance.now();
    const budget = this.deps.budgetMs ?? 10_000;
    const report: RecomputeReport = { complete: true, casesUpdated: 0, clocksMoved: 0, notices: 0, conflicts: 0 };
    await this.eachCandidate(
      year,
      () => undefined,
      async (first) => {
        if (performance.now() - started > budget) {
          report.complete = false;
          return false;
        }
        let c: Case | undefined = first;
        for (let attempt = 0; c && attempt < RETRIES; attempt++) {
          if (!Object.values(c.clocks).some((k) => isProvisionalFor(k, year))) return true;
          const { next, changes } = rederiveCase(c, calendar, year);
          if (next === c) return true;
          const now = this.deps.clock.now();
          const notice = calendarChangeNotice(c, changes, year, source, now, shanghaiDate(now));
          const result = await this.deps.clocks.commit({
            before: c,
            after: { ...next, version: c.version + 1, updatedAt: now.toISOString() },
            event: {
              at: now.toISOString(),
              actor: auditActor(actor),
              type: 'clock.rederived',
              data: {
                year,
                source,
                changes: changes.map(({ kind, from, to, days }) => ({ clock: kind, from, to, days })),
                notices: notice ? [notice.noticeId] : [],
              },
            },
            notices: notice ? [notice] : [],
            supervisions: [],
            documents: [],
          });
          if (result.ok) {
            report.casesUpdated += 1;
            report.clocksMoved += changes.length;
            report.notices += notice ? 1 : 0;
            return true;
          }
          if (result.reason === 'duplicate') return true; // written by an earlier run
          [c] = await this.deps.clocks.getCases([c.caseNo]);
        }
        if (c) report.conflicts += 1;
        return true;
      },
    );
    if (report.conflicts > 0) report.complete = false;
    return report;
  }

  /**
   * The cases with an open clock due from the year's first day on (byDue), read in batches; `visit`
   * gets each case that has a clock provisional for the year, and returns false to stop.
   */
  private async eachCandidate(year: number, counted: (clocks: number) => void, visit: (c: Case) => Promise<boolean>): Promise<void> {
    const clocks = await this.deps.clocks.openClocksFrom(`${year}-01-01`);
    counted(clocks.length);
    const caseNos = [...new Set(clocks.map((k) => k.caseNo))].sort();
    for (let i = 0; i < caseNos.length; i += 100) {
      const cases = await this.deps.clocks.getCases(caseNos.slice(i, i + 100));
      for (const c of cases.sort((a, b) => a.caseNo.localeCompare(b.caseNo))) {
        if (!Object.values(c.clocks).some((k) => isProvisionalFor(k, year))) continue;
        if (!(await visit(c))) return;
      }
    }
  }
}
