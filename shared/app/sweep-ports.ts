/**
 * Ports of the deadline sweep, the oversight use cases (dashboard, supervisions, outbox) and the
 * notice delivery. shared/adapters/sweep-store.ts implements them over the single table; no AWS
 * SDK here.
 */
import type { Case, CaseStatus } from '../domain/case';
import type { ClockKind } from '../domain/clocks';
import type { DocumentRecord } from '../domain/documents';
import type { Delivery, Notice, NoticeStatus, Supervision, SupervisionLetter } from '../domain/supervision';
import type { Milestone } from '../domain/sweep';
import type { EventDraft, Page } from './ports';

/** One entry of the sweep's index: something to do for a clock (or a closed case) by a date. */
export interface SweepEntry {
  caseNo: string;
  /** The clock kind, or `archive` for a closed case's archive-eligibility entry. */
  target: ClockKind | 'archive';
  milestone: Milestone;
  /** The clock's due date when the entry was written (clock entries). */
  due?: string;
  /** The entry's sort key as read: every write is conditional on it, so a stale read acts on nothing. */
  token: string;
}

export type SupervisionWrite =
  /** A new supervision: written only if there is none for this clock and due date yet. */
  | { op: 'open'; record: Supervision }
  /** Raised to flagged (with its new 督办单), without reading it first: only from level `supervision`. */
  | { op: 'flag'; caseNo: string; kind: ClockKind; due: string; on: string; letters: SupervisionLetter[] }
  /** Settled: only while open. */
  | { op: 'resolve'; record: Supervision }
  /** A written answer: only if nobody answered in between. */
  | { op: 'answer'; record: Supervision; answersBefore: number };

/** Everything one acted milestone (or one answer) writes, in one transaction. */
export interface MilestoneCommit {
  /** The sweep entry acted on; absent for a person's action (an answer). */
  entry?: SweepEntry;
  /** The case as read. */
  before: Case;
  /**
   * The case after a transition (closing, archive eligibility): written if its version is still
   * the one read. Without it only the audit chain head moves.
   */
  after?: Case;
  /** The audit event; none when nothing happened worth one (an entry only moves on). */
  event?: EventDraft;
  notices: Notice[];
  supervisions: SupervisionWrite[];
  documents: DocumentRecord[];
  /** The clock entry's next milestone (null: drop it). Ignored when `after` rewrites the clock items. */
  next?: Milestone | null;
}

export type CommitResult =
  | { ok: true; case: Case }
  /**
   * - `entry-moved`: the entry is no longer what was read (acted by another run, or a transition
   *   rewrote the clock): nothing to do;
   * - `case-moved`: the case (or its audit head) changed since it was read: read again, retry;
   * - `duplicate`: a notice or supervision of this milestone exists already: it was acted before;
   * - `supervision-state`: the supervision is not in the state the change expects;
   * - `number-taken`: a letter of the same series took the 督办单's document number meanwhile:
   *   number it again and retry.
   */
  | { ok: false; reason: 'entry-moved' | 'case-moved' | 'duplicate' | 'supervision-state' | 'number-taken' };

/** A running clock as the byDue index has it (the dashboard). */
export interface RunningClock {
  caseNo: string;
  kind: ClockKind;
  due: string;
}

/** A running dashboard clock as its group's list has it: what the list shows, without reading the case. */
export interface DashboardClockEntry {
  caseNo: string;
  kind: ClockKind;
  due: string;
  subject: string;
  status: CaseStatus;
  /** The clock's label (its derivation's, else the kind's). */
  label: string;
}

/** A counter of the dashboard (shared/domain/dashboard.ts names them). */
export interface Tally {
  name: string;
  n: number;
}

export interface ReadStats {
  /** Items returned by reads (index and table), including those a filter dropped. */
  items: number;
  /** Read capacity units consumed (ReturnConsumedCapacity TOTAL). */
  capacityUnits: number;
  requests: number;
}

export interface SweepStore {
  /** Entries of one shard due on or before `today`, in date order, one page at a time. */
  dueEntries(shard: number, today: string, cursor?: string): Promise<{ entries: SweepEntry[]; cursor?: string }>;
  shards(): readonly number[];
  getCase(caseNo: string): Promise<Case | null>;
  getCases(caseNos: string[]): Promise<Case[]>;
  commit(write: MilestoneCommit): Promise<CommitResult>;
  /** Moves (or drops, with null) an entry without acting; false when it had moved already. */
  advance(entry: SweepEntry, next: Milestone | null): Promise<boolean>;
  /** The supervisions of a case, optionally of one clock kind. */
  supervisionsOf(caseNo: string, kind?: ClockKind): Promise<Supervision[]>;
  getSupervision(caseNo: string, supervisionId: string): Promise<Supervision | null>;
  /** Open supervisions, of one department (`null`: those of the office itself) or all. */
  openSupervisions(deptCode?: string | null): Promise<Supervision[]>;
  /** Running clocks due on or before `upTo` (byDue). */
  runningClocks(upTo: string, kinds: readonly ClockKind[]): Promise<RunningClock[]>;
  /**
   * The dashboard's counters a day reads (domain/dashboard.ts TALLY_RANGES): the first-day tallies
   * through the week's `end`, the next-day tallies from `today` to `end`, the supervision tallies.
   * As many items as distinct days and groups, however many cases.
   */
  dashboardTallies(today: string, end: string): Promise<Tally[]>;
  /**
   * The first `limit` running dashboard clocks of a group (`deptCode`; null: the office's own), due
   * on or after `from` (null: any) and before `until`, in due-date order.
   */
  dashboardClocks(deptCode: string | null, from: string | null, until: string, limit: number): Promise<DashboardClockEntry[]>;
  /** The first `limit` open supervisions of a group (null: the office's own) by opening date; only the flagged ones with `flagged`. */
  openSupervisionsOf(deptCode: string | null, q: { flagged?: boolean; limit: number }): Promise<Supervision[]>;
  /** Counters of what this store has read so far (the bench, the sweep report). */
  readStats(): ReadStats;
}

export interface OutboxEntry {
  notice: Notice;
  delivery: Delivery;
}

export type ClaimResult =
  /** Taken, with the attempt number this claim is. */
  | { claimed: true; attempts: number }
  /** Not taken: `busy` while another sender holds a live lease, `done` once it is sent, undeliverable or failed. */
  | { claimed: false; reason: 'busy' | 'done' };

export interface UndeliveredEntry extends OutboxEntry {
  /** The end of the current sender's lease (epoch ms), when `sending`. */
  leaseUntil?: number;
}

export interface OutboxStore {
  /** The notices of a day, oldest first, optionally of one status. */
  outbox(date: string, query: { status?: NoticeStatus; limit: number; cursor?: string }): Promise<Page<OutboxEntry>>;
  getNotice(caseNo: string, noticeKey: string): Promise<OutboxEntry | null>;
  /**
   * Takes a notice for delivery: pending, or sending with its lease expired (a sender that
   * died). The notice is due again (for the retry run) when the lease ends.
   */
  claimNotice(notice: Notice, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Records the outcome: `sent` and `undeliverable` end the notice's retry entry; `pending` (a
   * failed send) makes it due again at `retryAt`; `failed` moves it to the failed notices.
   */
  markNotice(notice: Notice, delivery: Omit<Delivery, 'attempts'>, next?: { retryAt?: Date }): Promise<void>;
  /** Gives up a notice whose lease ran out (or that waited) after its last attempt, unless it moved meanwhile. */
  failNotice(entry: UndeliveredEntry, now: Date, error: string): Promise<boolean>;
  /** Undelivered notices due for an attempt at `now` (one shard; a Query of the byDue index). */
  dueNotices(shard: number, now: Date, query: { limit: number; cursor?: string }): Promise<Page<UndeliveredEntry>>;
  /** How many notices were given up (the dashboard's count; a Query of one byDue partition). */
  failedNoticeCount(): Promise<number>;
  shards(): readonly number[];
}
