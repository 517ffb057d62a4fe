/**
 * Oversight use cases (DESIGN §5): the dashboard (due this week, overdue, under supervision,
 * flagged — per department, a department seeing only its own; counts from counters, lists of one
 * group at a time), the supervisions and their written answers, the outbox, and running the sweep
 * on demand. Every list is a Query on a key (the byDepartment, byDue and bySweep indexes), never a
 * scan. No AWS SDK here.
 */
import type { Case } from '../domain/case';
import { STATUS_LABELS } from '../domain/case';
import type { ClockKind } from '../domain/clocks';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { canRead } from '../domain/lifecycle';
import { normaliseCaseNumber } from '../domain/numbers';
import { officeDirectory, type OfficeSettings } from '../domain/office';
import { hasRole, requireRole, type Actor } from '../domain/roles';
import {
  answerSupervision,
  isUnanswered,
  noticeIdOf,
  SUPERVISION_LEVEL_LABELS,
  type SupervisionAnswerInput,
  type Notice,
  type NoticeStatus,
  type Supervision,
} from '../domain/supervision';
import { ALL_GROUP, countTallies, deptOfGroup, emptyCounts, groupOf, OFFICE_GROUP, type TileCounts } from '../domain/dashboard';
import { CLOCK_LABELS, composeNotice, weekEnd, type Recipient } from '../domain/sweep';
import { addDays, daysBetween, shanghaiDate, type Clock } from '../domain/time';
import { auditActor } from './actor';
import type { CaseRepository, Page } from './ports';
import type { DeadlineSweep, SweepReport } from './sweep';
import type { DashboardClockEntry, OutboxEntry, OutboxStore, SweepStore } from './sweep-ports';

export interface OversightDeps {
  store: SweepStore;
  outbox: OutboxStore;
  repo: Pick<CaseRepository, 'listDocuments' | 'registrationsPerMonth'>;
  sweep: DeadlineSweep;
  clock: Clock;
  settings: Pick<OfficeSettings, 'departments' | 'letters'>;
}

export interface DashboardClockItem {
  caseNo: string;
  subject: string;
  status: Case['status'];
  statusLabel: string;
  clock: ClockKind;
  clockLabel: string;
  due: string;
  /** Calendar days to the due date; negative when overdue. */
  daysLeft: number;
}

export interface SupervisionView extends Supervision {
  levelLabel: string;
  unanswered: boolean;
}

export interface DashboardList<T> {
  /** Cases in the list (a case with two clocks in it counts once). */
  count: number;
  items: T[];
}

export interface DashboardGroup {
  /** null: the office's own clocks and supervisions (no department holds the case). */
  deptCode: string | null;
  name: string;
  /**
   * Whether the lists (`items`) were read: a department's own group, or the one group the office
   * asked for (`?group=`). The counts are always there.
   */
  listed: boolean;
  dueThisWeek: DashboardList<DashboardClockItem>;
  overdue: DashboardList<DashboardClockItem>;
  underSupervision: DashboardList<SupervisionView>;
  flagged: DashboardList<SupervisionView>;
}

export interface Dashboard {
  today: string;
  weekEnd: string;
  totals: {
    dueThisWeek: number;
    overdue: number;
    underSupervision: number;
    flagged: number;
    /** Notices given up after their last delivery attempt (outbox status `failed`); clerk, director and admin only. */
    failedNotices?: number;
  };
  departments: DashboardGroup[];
  /**
   * Cases registered per month of receipt, the last PER_MONTH_MONTHS months up to this one, oldest
   * first (months without a case count 0). Office-wide totals for every role: a count names no
   * case and no department, so a department learns nothing about another's cases.
   */
  perMonth: MonthCount[];
}

export interface MonthCount {
  /** `yyyy-mm` (office time). */
  month: string;
  count: number;
}

/** Months in the dashboard's chart. */
export const PER_MONTH_MONTHS = 12;

/** Longest list per group and category (the counts are complete; the web says so at 100). */
const LIST_LIMIT = 100;
const OFFICE_NAME = '本机关';

export class Oversight {
  constructor(private readonly deps: OversightDeps) {}

  private today(): { now: Date; today: string } {
    const now = this.deps.clock.now();
    return { now, today: shanghaiDate(now) };
  }

  private departmentName(code: string | null): string {
    if (code === null) return OFFICE_NAME;
    return this.deps.settings.departments.find((d) => d.code === code)?.name ?? code;
  }

  // ---- the dashboard ------------------------------------------------------------------------

  /**
   * The counts come from the dashboard's counters (shared/domain/dashboard.ts): a few items per
   * day and group, however many cases. The cases behind them are listed for one group at a time
   * — a department's own, or the group the office asks for (`group`: a department code, or
   * `OFFICE`) — the first LIST_LIMIT of each list, from index entries that carry what a list shows.
   */
  async dashboard(actor: Actor, query: { group?: string } = {}): Promise<Dashboard> {
    requireRole(actor, 'clerk', 'director', 'department');
    const { today } = this.today();
    const end = weekEnd(today);
    const office = isOffice(actor);
    if (!office && !actor.deptCode) throw new ForbiddenError('A department user needs a department code');
    // The chart's counters are read alongside the tallies, not after them.
    const months = lastMonths(today, PER_MONTH_MONTHS);
    const perMonth = this.deps.repo.registrationsPerMonth(months[0] as string, months[months.length - 1] as string);
    perMonth.catch(() => undefined); // awaited below; a rejection before then is not unhandled
    const failedNotices = office ? this.deps.outbox.failedNoticeCount() : Promise.resolve(undefined);
    failedNotices.catch(() => undefined);

    const counts = countTallies(await this.deps.store.dashboardTallies(today, end), today, end);
    const own = office ? undefined : groupOf(actor.deptCode);
    const listed = own ?? (query.group === undefined ? undefined : query.group === 'OFFICE' ? OFFICE_GROUP : query.group);
    const groups = new Map<string, DashboardGroup>();
    for (const [g, c] of counts) {
      if (g === ALL_GROUP || (own !== undefined && g !== own)) continue;
      if (c.dueThisWeek + c.overdue + c.underSupervision + c.flagged === 0) continue;
      groups.set(g, this.group(g, c));
    }
    if (own !== undefined && !groups.has(own)) groups.set(own, this.group(own, emptyCounts()));
    const shown = listed === undefined ? undefined : groups.get(listed);
    if (shown) await this.listGroup(shown, today, end);

    const order = new Map(this.deps.settings.departments.map((d, i) => [d.code as string | null, i]));
    const totals = (own === undefined ? counts.get(ALL_GROUP) : counts.get(own)) ?? emptyCounts();
    const counted = new Map((await perMonth).map((m) => [m.month, m.count]));
    return {
      today,
      weekEnd: end,
      totals: { ...totals, ...(office ? { failedNotices: (await failedNotices) ?? 0 } : {}) },
      departments: [...groups.values()].sort((a, b) => (order.get(a.deptCode) ?? 1e6) - (order.get(b.deptCode) ?? 1e6)),
      perMonth: months.map((month) => ({ month, count: counted.get(month) ?? 0 })),
    };
  }

  private group(g: string, c: TileCounts): DashboardGroup {
    const dept = deptOfGroup(g);
    return {
      deptCode: dept,
      name: this.departmentName(dept),
      listed: false,
      dueThisWeek: list(c.dueThisWeek),
      overdue: list(c.overdue),
      underSupervision: list(c.underSupervision),
      flagged: list(c.flagged),
    };
  }

  /** The first LIST_LIMIT cases behind each count of a group, read from its list entries. */
  private async listGroup(g: DashboardGroup, today: string, end: string): Promise<void> {
    const store = this.deps.store;
    const item = (e: DashboardClockEntry): DashboardClockItem => ({
      caseNo: e.caseNo,
      subject: e.subject,
      status: e.status,
      statusLabel: STATUS_LABELS[e.status],
      clock: e.kind,
      clockLabel: e.label,
      due: e.due,
      daysLeft: daysBetween(today, e.due),
    });
    const [overdue, week, open, flagged] = await Promise.all([
      g.overdue.count > 0 ? store.dashboardClocks(g.deptCode, null, today, LIST_LIMIT) : [],
      g.dueThisWeek.count > 0 ? store.dashboardClocks(g.deptCode, today, addDays(end, 1), LIST_LIMIT) : [],
      g.underSupervision.count > 0 ? store.openSupervisionsOf(g.deptCode, { limit: LIST_LIMIT }) : [],
      g.flagged.count > 0 ? store.openSupervisionsOf(g.deptCode, { flagged: true, limit: LIST_LIMIT }) : [],
    ]);
    g.listed = true;
    g.overdue.items = overdue.map(item);
    g.dueThisWeek.items = week.map(item);
    g.underSupervision.items = open.map(supervisionView);
    g.flagged.items = flagged.map(supervisionView);
  }

  // ---- supervisions ---------------------------------------------------------------------------

  async supervisions(actor: Actor, query: { state?: 'unanswered' | 'open'; deptCode?: string }): Promise<{ items: SupervisionView[] }> {
    requireRole(actor, 'clerk', 'director', 'department');
    let dept: string | undefined = query.deptCode;
    if (!isOffice(actor)) {
      if (!actor.deptCode) throw new ForbiddenError('A department user needs a department code');
      if (dept && dept !== actor.deptCode) return { items: [] };
      dept = actor.deptCode;
    }
    const open = await this.deps.store.openSupervisions(dept);
    const items = open.filter((s) => (query.state ?? 'unanswered') === 'open' || isUnanswered(s)).map(supervisionView);
    return { items };
  }

  async caseSupervisions(actor: Actor, caseNo: string): Promise<{ items: SupervisionView[] }> {
    const c = await this.visibleCase(actor, caseNo);
    return { items: (await this.deps.store.supervisionsOf(c.caseNo)).map(supervisionView) };
  }

  /**
   * The written answer of a supervision: by the supervised department (or, for the office's own
   * supervision, a director or clerk), with documents of the case it uploaded. Kept on the
   * supervision with its time and author, an audit event, and a notice to the director.
   */
  async answer(actor: Actor, caseNo: string, id: string, input: SupervisionAnswerInput): Promise<SupervisionView> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const c = await this.visibleCase(actor, caseNo);
      const s = await this.deps.store.getSupervision(c.caseNo, id);
      if (!s) throw new NotFoundError('supervision', id);
      const allowed = s.deptCode ? hasRole(actor, 'department') && actor.deptCode === s.deptCode : hasRole(actor, 'director', 'clerk');
      if (!allowed)
        throw new ForbiddenError(
          s.deptCode ? 'Only the supervised department answers this supervision' : 'The office answers its own supervision (director or clerk)',
        );
      if (input.documentIds.length > 0) {
        const docs = new Map((await this.deps.repo.listDocuments(c.caseNo)).map((d) => [d.documentId, d]));
        input.documentIds.forEach((docId, i) => {
          const d = docs.get(docId);
          if (!d || d.status !== 'verified' || !['response', 'attachment'].includes(d.kind)) {
            throw ValidationError.field(`documentIds.${i}`, 'must be a verified response or attachment of this case (upload it first)');
          }
        });
      }
      const { now, today } = this.today();
      const next = answerSupervision(s, input, { username: actor.username, displayName: actor.displayName, deptCode: actor.deptCode }, now);
      const notices = [{ kind: 'director' } as Recipient].map((to) => this.answerNotice(c, s, to, next.answers.length, today, now));
      const result = await this.deps.store.commit({
        before: c,
        event: {
          at: now.toISOString(),
          actor: auditActor(actor),
          type: 'supervision.answered',
          data: {
            supervisionId: s.supervisionId,
            level: s.level,
            answer: next.answers.length,
            documentIds: input.documentIds,
            characters: input.text.length,
            notices: notices.map((n) => n.noticeId),
          },
        },
        notices,
        supervisions: [{ op: 'answer', record: next, answersBefore: s.answers.length }],
        documents: [],
      });
      if (result.ok) return supervisionView(next);
      // The audit head moved (a download), or someone answered meanwhile: read again.
    }
    throw new ValidationError([{ field: 'supervisionId', reason: 'the supervision kept changing; try again' }]);
  }

  private answerNotice(c: Case, s: Supervision, to: Recipient, n: number, today: string, now: Date): Notice {
    const text = composeNotice({
      c,
      kind: s.kind,
      label: c.clocks[s.kind]?.derivation.label ?? CLOCK_LABELS[s.kind],
      due: s.due,
      milestone: 'answered',
      to,
      today,
      organName: this.deps.settings.letters.organName,
      departmentName: (code) => this.departmentName(code),
      supervision: { deptCode: s.deptCode },
    });
    const key = { caseNo: c.caseNo, clock: s.kind, due: s.due, milestone: `answer-${n}`, recipient: to };
    return { noticeId: noticeIdOf(key), ...key, ...text, createdOn: today, createdAt: now.toISOString(), documentIds: [] };
  }

  // ---- the outbox -----------------------------------------------------------------------------

  async outbox(actor: Actor, query: { date?: string; status?: NoticeStatus; limit: number; cursor?: string }): Promise<Page<OutboxEntry> & { date: string }> {
    requireRole(actor, 'clerk', 'director', 'department');
    const date = query.date ?? this.today().today;
    const page = await this.deps.outbox.outbox(date, { status: query.status, limit: query.limit, cursor: query.cursor });
    const mine = (e: OutboxEntry) => isOffice(actor) || (e.notice.recipient.kind === 'department' && e.notice.recipient.deptCode === actor.deptCode);
    return { date, items: page.items.filter(mine), cursor: page.cursor };
  }

  // ---- the sweep on demand --------------------------------------------------------------------

  /** An admin runs the sweep now (for `date`, not after today), within the time it is given. */
  async runSweep(actor: Actor, input: { date?: string }, deadline?: number): Promise<SweepReport> {
    requireRole(actor, 'admin');
    const { today } = this.today();
    if (input.date && input.date > today) throw ValidationError.field('date', `must not be after today (${today}): the sweep never acts ahead of time`);
    return this.deps.sweep.run({ today: input.date ?? today, deadline });
  }

  private async visibleCase(actor: Actor, caseNo: string): Promise<Case> {
    const c = await this.deps.store.getCase(normaliseCaseNumber(caseNo));
    if (!c || !canRead(actor, c, officeDirectory(this.deps.settings))) throw new NotFoundError('case', caseNo);
    return c;
  }
}

/** The office's own staff, who see every department. Not admin: admin reads no case content (DESIGN §1). */
function isOffice(actor: Actor): boolean {
  return hasRole(actor, 'clerk', 'director');
}

/** The `n` months (`yyyy-mm`) up to and including the month of `today`, oldest first. */
export function lastMonths(today: string, n: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) - (n - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

function list<T>(count: number): DashboardList<T> {
  return { count, items: [] };
}

export function supervisionView(s: Supervision): SupervisionView {
  return { ...s, levelLabel: SUPERVISION_LEVEL_LABELS[s.level], unanswered: isUnanswered(s) };
}
