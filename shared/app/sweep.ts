/**
 * The deadline sweep (DESIGN §5): reads the entries of the `bySweep` index due today on every
 * shard — only the clocks it must act on — and for each one decides with the pure domain
 * (shared/domain/sweep.ts) what to do, then writes everything the milestone produces in ONE
 * transaction through the store (notices, supervision, 督办单 record, audit event, the entry's
 * next date), conditional on what it read. Hence:
 *
 * - idempotent: a second run the same day finds the entries moved to their next dates; a run that
 *   read an entry another run has just acted on fails its condition and does nothing;
 * - resumable: a run killed half-way has committed some milestones completely and the others not
 *   at all; the next run acts on exactly the others;
 * - proportional: it reads one index entry and one case per acted milestone.
 *
 * No AWS SDK here: the store, the letter issuer and the clock are injected.
 */
import type { Case } from '../domain/case';
import type { ClockKind, ClockState, HolidayCalendar } from '../domain/clocks';
import { DomainError, ValidationError } from '../domain/errors';
import { officeDirectory, type OfficeSettings } from '../domain/office';
import {
  noticeIdOf,
  openSupervision,
  resolveSupervision,
  supervisionId,
  type Notice,
  type SupervisionLetter,
  type SupervisionLevel,
} from '../domain/supervision';
import {
  CLOCK_LABELS,
  composeNotice,
  holdingDepartment,
  recipientsFor,
  sweepMilestones,
  sweepStep,
  workingDaysAfter,
  type Milestone,
  type MilestoneName,
  type Recipient,
} from '../domain/sweep';
import { closeAfterWindow, isRequestWindow, SWEEP_AUDIT_ACTOR } from '../domain/sweep-close';
import { addDays, shanghaiDate, type Clock } from '../domain/time';
import type { DocumentRecord } from '../domain/documents';
import type { EventDraft } from './ports';
import { refreshCalendar } from './calendar';
import type { SupervisionLetterIssuer } from './supervision-letters';
import { documentNumbers } from './number-turns';
import type { MilestoneCommit, SupervisionWrite, SweepEntry, SweepStore } from './sweep-ports';

export interface SweepLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const silent: SweepLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface SweepDeps {
  store: SweepStore;
  /** Issues the 督办单; without it a supervision opens without a letter. */
  letters?: Pick<SupervisionLetterIssuer, 'issue'> & Partial<Pick<SupervisionLetterIssuer, 'turns'>>;
  clock: Clock;
  settings: Pick<OfficeSettings, 'departments' | 'letters' | 'sweep'>;
  calendar: HolidayCalendar;
  log?: SweepLog;
}

export interface SweepRunOptions {
  /** The sweep's date (default: today in Asia/Shanghai by the clock). */
  today?: string;
  /** Stop taking new entries at this instant (epoch ms): the rest waits for the next run. */
  deadline?: number;
  /** Entries worked on at once, over all shards (default 8). */
  concurrency?: number;
  /** Called after each entry (progress output, tests). */
  onEntry?: (outcome: EntryOutcome) => void;
}

export type EntryResult = 'acted' | 'advanced' | 'moved' | 'duplicate' | 'refused' | 'error';

export interface EntryOutcome {
  caseNo: string;
  target: SweepEntry['target'];
  result: EntryResult;
  milestone?: MilestoneName;
  notices: string[];
}

export interface SweepReport {
  date: string;
  /** False when the run stopped at its deadline with entries left (the next run continues). */
  complete: boolean;
  /** Index entries read. */
  entries: number;
  acted: number;
  notices: number;
  reminders: number;
  overdue: number;
  supervisionsOpened: number;
  flagged: number;
  resolved: number;
  closed: number;
  archiveMarked: number;
  letters: number;
  /** Entries with nothing to do after all, or acted on by someone else meanwhile. */
  skipped: { advanced: number; moved: number; duplicate: number; refused: number };
  errors: number;
  /** What the run read: items and read capacity units. */
  read: { items: number; capacityUnits: number; requests: number };
  ms: number;
}

type Plan =
  | { kind: 'advance'; next: Milestone | null; refused?: string }
  | { kind: 'commit'; commit: MilestoneCommit; milestone?: MilestoneName; count: Partial<Record<CountKey, number>> };
/** What a plan learnt on an earlier attempt for the same entry. */
interface PlanState {
  /** The 督办单 rendered, per level: once per entry, whatever the retries. */
  letters: Map<SupervisionLevel, DocumentRecord | null>;
  /** A flagged milestone raises an existing supervision or opens one at that level. */
  flag?: 'raise' | 'open';
  /** Whether the supervision was looked up after a guess went wrong (once per entry). */
  flagChecked?: boolean;
}

type CountKey = 'reminders' | 'overdue' | 'supervisionsOpened' | 'flagged' | 'resolved' | 'closed' | 'archiveMarked' | 'letters';

// Sweep entries issuing 督办单 at once race for the same gapless number series (one wins a round), so an
// entry may lose as many rounds as there are concurrent entries.
const MAX_ATTEMPTS = 40;

export class DeadlineSweep {
  private readonly log: SweepLog;
  constructor(private readonly deps: SweepDeps) {
    this.log = deps.log ?? silent;
  }

  async run(options: SweepRunOptions = {}): Promise<SweepReport> {
    await refreshCalendar(this.deps.calendar);
    const started = Date.now();
    const now = this.deps.clock.now();
    const today = options.today ?? shanghaiDate(now);
    const before = this.deps.store.readStats();
    const report: SweepReport = {
      date: today,
      complete: true,
      entries: 0,
      acted: 0,
      notices: 0,
      reminders: 0,
      overdue: 0,
      supervisionsOpened: 0,
      flagged: 0,
      resolved: 0,
      closed: 0,
      archiveMarked: 0,
      letters: 0,
      skipped: { advanced: 0, moved: 0, duplicate: 0, refused: 0 },
      errors: 0,
      read: { items: 0, capacityUnits: 0, requests: 0 },
      ms: 0,
    };
    const shards = this.deps.store.shards();
    const perShard = Math.max(1, Math.ceil((options.concurrency ?? 8) / shards.length));
    const timeLeft = () => options.deadline === undefined || Date.now() < options.deadline;

    await Promise.all(
      shards.map(async (shard) => {
        let cursor: string | undefined;
        do {
          if (!timeLeft()) {
            report.complete = false;
            return;
          }
          const page = await this.deps.store.dueEntries(shard, today, cursor);
          report.entries += page.entries.length;
          await pool(page.entries, perShard, async (entry) => {
            if (!timeLeft()) {
              report.complete = false;
              return;
            }
            const outcome = await this.entry(entry, today, now, report);
            options.onEntry?.(outcome);
          });
          cursor = page.cursor;
        } while (cursor);
      }),
    );

    const after = this.deps.store.readStats();
    report.read = {
      items: after.items - before.items,
      capacityUnits: round(after.capacityUnits - before.capacityUnits),
      requests: after.requests - before.requests,
    };
    report.ms = Date.now() - started;
    this.log.info('deadline sweep finished', { ...report });
    return report;
  }

  private async entry(entry: SweepEntry, today: string, now: Date, report: SweepReport): Promise<EntryOutcome> {
    const outcome: EntryOutcome = { caseNo: entry.caseNo, target: entry.target, result: 'error', notices: [] };
    try {
      Object.assign(outcome, await this.process(entry, today, now, report));
    } catch (err) {
      report.errors += 1;
      this.log.error('sweep entry failed; the next run retries it', {
        caseNo: entry.caseNo,
        target: entry.target,
        milestone: entry.milestone.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    if (outcome.result !== 'acted' && outcome.result !== 'error') report.skipped[outcome.result] += 1;
    return outcome;
  }

  /** One entry, start to end: read the case, decide, commit; read again and retry on a race. */
  private async process(entry: SweepEntry, today: string, now: Date, report: SweepReport): Promise<Partial<EntryOutcome>> {
    const state: PlanState = { letters: new Map() };
    try {
      return await this.attempts(entry, today, now, report, state);
    } finally {
      // A 督办单 that no commit took gives its number up (shared/app/number-turns.ts; a committed one is settled already).
      this.deps.letters?.turns?.settle(documentNumbers([...state.letters.values()].flatMap((l) => (l ? [l] : []))), false);
    }
  }

  private async attempts(entry: SweepEntry, today: string, now: Date, report: SweepReport, state: PlanState): Promise<Partial<EntryOutcome>> {
    let c: Case | null | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Read again only when the case changed under the commit.
      c ??= await this.deps.store.getCase(entry.caseNo);
      const plan = !c
        ? ({ kind: 'advance', next: null, refused: 'no such case' } as const)
        : entry.target === 'archive'
          ? this.planArchive(entry, c, now)
          : await this.planClock(entry, entry.target, c, today, now, state);
      if (plan.kind === 'advance') {
        const moved = !(await this.deps.store.advance(entry, plan.next));
        if (plan.refused) this.log.warn('sweep entry dropped', { caseNo: entry.caseNo, target: entry.target, reason: plan.refused });
        return { result: moved ? 'moved' : plan.refused ? 'refused' : 'advanced' };
      }
      // Sent in this process's turn at the 督办单's number, and settled with the commit.
      const turns = this.deps.letters?.turns;
      const numbers = documentNumbers(plan.commit.documents);
      await turns?.turn(numbers);
      const result = await this.deps.store.commit(plan.commit).catch((err: unknown) => {
        turns?.settle(numbers, false);
        throw err;
      });
      if (result.ok || result.reason === 'number-taken') turns?.settle(numbers, result.ok);
      if (result.ok) {
        report.acted += 1;
        report.notices += plan.commit.notices.length;
        for (const [k, n] of Object.entries(plan.count) as [CountKey, number][]) report[k] += n;
        return { result: 'acted', milestone: plan.milestone, notices: plan.commit.notices.map((n) => n.noticeId) };
      }
      switch (result.reason) {
        case 'entry-moved':
          return { result: 'moved' };
        case 'case-moved':
          c = undefined;
          await sleep(Math.min(200, 10 * 2 ** attempt));
          continue;
        case 'number-taken':
          // Another 督办单 of the series was issued meanwhile: issue this one again with the next number.
          state.letters.clear();
          await sleep(Math.min(200, 10 * 2 ** attempt));
          continue;
        case 'duplicate':
        case 'supervision-state': {
          // The flagged milestone guessed wrong whether the supervision exists (a clock re-keyed
          // after its supervision opened, or flagged before anyone opened it): look, and do the other.
          if (plan.milestone === 'flagged' && c && entry.target !== 'archive' && !state.flagChecked) {
            state.flagChecked = true;
            const clock = c.clocks[entry.target];
            const existing = clock ? await this.deps.store.getSupervision(entry.caseNo, supervisionId(entry.target, clock.due)) : null;
            if (!existing || existing.level === 'supervision') {
              state.flag = existing ? 'raise' : 'open';
              continue;
            }
          }
          // Acted on before (the clock item was rewritten since): only move the entry on.
          return { result: (await this.deps.store.advance(entry, plan.commit.next ?? null)) ? 'duplicate' : 'moved' };
        }
      }
    }
    throw new DomainError('CONFLICT', 'The case kept changing while the sweep acted on it', { caseNo: entry.caseNo });
  }

  // ---- planning ---------------------------------------------------------------------------------

  private planArchive(entry: SweepEntry, c: Case, now: Date): Plan {
    if (c.status !== 'closed' || c.archiveEligibleOn !== undefined) return { kind: 'advance', next: null };
    const on = entry.milestone.date;
    const after: Case = { ...c, archiveEligibleOn: on, version: c.version + 1, updatedAt: now.toISOString() };
    return {
      kind: 'commit',
      milestone: 'archive',
      count: { archiveMarked: 1 },
      commit: {
        entry,
        before: c,
        after,
        event: this.event(now, 'case.archive-eligible', { archiveEligibleOn: on, closedOn: c.closed ? shanghaiDate(new Date(c.closed.at)) : null }),
        notices: [],
        supervisions: [],
        documents: [],
      },
    };
  }

  private async planClock(entry: SweepEntry, kind: ClockKind, c: Case, today: string, now: Date, state: PlanState): Promise<Plan> {
    const clock = c.clocks[kind];
    if (!clock) return { kind: 'advance', next: null, refused: `the case has no ${kind} clock` };
    const policy = this.deps.settings.sweep;
    const milestones = sweepMilestones(kind, clock, policy, this.deps.calendar);
    const from = entry.due === clock.due ? entry.milestone : undefined;
    const step = sweepStep(milestones, today, from);

    const supervisions: SupervisionWrite[] = [];
    const count: Partial<Record<CountKey, number>> = {};
    if (step.resolve) {
      const settled = (await this.deps.store.supervisionsOf(c.caseNo, kind)).filter(
        (s) => s.status === 'open' && (clock.status !== 'running' || s.due !== clock.due),
      );
      const why = clock.status === 'stopped' ? '期限已停止计算，事项已办理' : '办理期限已依法延长';
      for (const s of settled) supervisions.push({ op: 'resolve', record: resolveSupervision(s, today, why) });
      count.resolved = settled.length;
    }
    const act = step.act;
    if (!act && supervisions.length === 0) return { kind: 'advance', next: step.next };

    const base = { entry, before: c, next: step.next, documents: [] as DocumentRecord[], supervisions };
    const resolvedData = supervisions.length > 0 ? { resolved: supervisions.map((s) => (s.op === 'resolve' ? s.record.supervisionId : '')) } : {};
    if (!act) {
      return {
        kind: 'commit',
        count,
        commit: { ...base, notices: [], event: this.event(now, 'supervision.resolved', { clock: kind, due: clock.due, ...resolvedData }) },
      };
    }

    const data = { clock: kind, due: clock.due, milestone: act.name, ...resolvedData };
    switch (act.name) {
      case 'supervision':
      case 'flagged':
        // Flagged: raise the supervision the sweep opened on the day after the due date (the
        // entry moved past it then), or open it straight at the flagged level if none was.
        state.flag ??= from?.name === 'flagged' ? 'raise' : 'open';
        return this.planSupervision(act.name, kind, clock, c, today, now, base, count, state);
      case 'close': {
        if (!isRequestWindow(kind)) return { kind: 'advance', next: step.next, refused: `${kind} has no close milestone` };
        let result;
        try {
          result = closeAfterWindow(c, kind, { now, today, clocks: { calendar: this.deps.calendar }, ...officeDirectory(this.deps.settings) });
        } catch (err) {
          if (err instanceof DomainError) return { kind: 'advance', next: null, refused: err.message };
          throw err;
        }
        const eligible = policy.archiveAfterDays === 0 ? today : undefined;
        const after: Case = { ...result.next, ...(eligible ? { archiveEligibleOn: eligible } : {}) };
        const notices = this.notices(c, kind, clock, act.name, today, now);
        return {
          kind: 'commit',
          milestone: act.name,
          count: { ...count, closed: 1, ...(eligible ? { archiveMarked: 1 } : {}) },
          commit: {
            ...base,
            after,
            notices,
            event: this.event(now, result.event.type, {
              ...result.event.data,
              window: kind,
              windowDue: clock.due,
              ...(eligible ? { archiveEligibleOn: eligible } : {}),
              notices: notices.map((n) => n.noticeId),
            }),
          },
        };
      }
      default: {
        const reminder = act.name.startsWith('remind-');
        const notices = this.notices(c, kind, clock, act.name, today, now);
        return {
          kind: 'commit',
          milestone: act.name,
          count: { ...count, ...(reminder ? { reminders: 1 } : { overdue: 1 }) },
          commit: {
            ...base,
            notices,
            event: this.event(now, reminder ? 'sweep.reminder' : 'sweep.overdue', { ...data, notices: notices.map((n) => n.noticeId) }),
          },
        };
      }
    }
  }

  private async planSupervision(
    level: 'supervision' | 'flagged',
    kind: ClockKind,
    clock: ClockState,
    c: Case,
    today: string,
    now: Date,
    base: Omit<MilestoneCommit, 'notices' | 'event'> & { supervisions: SupervisionWrite[]; documents: DocumentRecord[] },
    count: Partial<Record<CountKey, number>>,
    state: PlanState,
  ): Promise<Plan> {
    const dept = holdingDepartment(c);
    const replyBy = workingDaysAfter(today, this.deps.settings.sweep.replyWorkingDays, this.deps.calendar);
    // The 督办单 is addressed to the department holding the case; rendered once per entry.
    if (!state.letters.has(level)) state.letters.set(level, dept ? await this.letter(c, level, dept, today, replyBy, now) : null);
    const letter = state.letters.get(level) ?? null;
    const letters: SupervisionLetter[] = letter
      ? [{ documentId: letter.documentId, ...(letter.documentNo ? { documentNo: letter.documentNo } : {}), level, issuedOn: today }]
      : [];
    const opens = level === 'supervision' || state.flag === 'open';
    const write: SupervisionWrite = opens
      ? { op: 'open', record: { ...openSupervision({ caseNo: c.caseNo, kind, due: clock.due, deptCode: dept, subject: c.subject, level, today }), letters } }
      : { op: 'flag', caseNo: c.caseNo, kind, due: clock.due, on: today, letters };
    const notices = this.notices(
      c,
      kind,
      clock,
      level,
      today,
      now,
      { documentNo: letter?.documentNo, replyBy: dept ? replyBy : undefined, deptCode: dept },
      letter ? [letter.documentId] : [],
    );
    const id = supervisionId(kind, clock.due);
    return {
      kind: 'commit',
      milestone: level,
      count: { ...count, ...(opens ? { supervisionsOpened: 1 } : {}), ...(level === 'flagged' ? { flagged: 1 } : {}), letters: letter ? 1 : 0 },
      commit: {
        ...base,
        supervisions: [...base.supervisions, write],
        documents: letter ? [letter] : [],
        notices,
        event: this.event(now, level === 'flagged' ? 'supervision.flagged' : 'supervision.opened', {
          clock: kind,
          due: clock.due,
          supervisionId: id,
          level,
          deptCode: dept ?? null,
          letter: letter ? { documentId: letter.documentId, documentNo: letter.documentNo ?? null } : null,
          notices: notices.map((n) => n.noticeId),
        }),
      },
    };
  }

  private async letter(c: Case, level: SupervisionLevel, dept: string, today: string, replyBy: string, now: Date): Promise<DocumentRecord | null> {
    if (!this.deps.letters) return null;
    try {
      return await this.deps.letters.issue({ c, level, departmentName: this.departmentName(dept), issueDate: today, replyBy, at: now.toISOString() });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      this.log.warn('the supervision notice (督办单) could not be issued; the supervision opens without it', { caseNo: c.caseNo, issues: err.issues });
      return null;
    }
  }

  // ---- pieces ---------------------------------------------------------------------------------

  private departmentName(code: string): string {
    return this.deps.settings.departments.find((d) => d.code === code)?.name ?? code;
  }

  private event(now: Date, type: string, data: Record<string, unknown>): EventDraft {
    return { at: now.toISOString(), actor: SWEEP_AUDIT_ACTOR, type, data };
  }

  private notices(
    c: Case,
    kind: ClockKind,
    clock: ClockState,
    milestone: MilestoneName,
    today: string,
    now: Date,
    supervision?: { documentNo?: string; replyBy?: string; deptCode?: string },
    documentIds: string[] = [],
  ): Notice[] {
    return recipientsFor(kind, milestone, c).map((to: Recipient) => {
      const text = composeNotice({
        c,
        kind,
        label: clock.derivation.label ?? CLOCK_LABELS[kind],
        due: clock.due,
        milestone,
        to,
        today,
        organName: this.deps.settings.letters.organName,
        departmentName: (code) => this.departmentName(code),
        workingDaysLeft: milestone.startsWith('remind-') ? workingDaysBetween(today, clock.due, this.deps.calendar) : undefined,
        supervision,
      });
      const key = { caseNo: c.caseNo, clock: kind, due: clock.due, milestone, recipient: to };
      return { noticeId: noticeIdOf(key), ...key, ...text, createdOn: today, createdAt: now.toISOString(), documentIds };
    });
  }
}

/** Working days after `from` up to and including `to`. */
function workingDaysBetween(from: string, to: string, calendar: Pick<HolidayCalendar, 'isWorkingDay'>): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) n += 1;
  return n;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number) => Math.round(n * 100) / 100;
