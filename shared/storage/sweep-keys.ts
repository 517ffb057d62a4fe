/**
 * Keys of the deadline sweep's items in the single table (DESIGN §5, §9), beside keys.ts.
 * Supervisions and notices live in their case's partition (one collection with the case, its
 * clocks and audit trail, so the archive takes them along); the sparse `bySweep` index gives the
 * sweep, the supervision lists and the outbox a Query each.
 *
 *   item           pk          sk                                           bySweep pk / sk (only while it belongs there)
 *   clock          CASE#<no>   CLOCK#<kind>                                 SWEEP#<shard> / <date>#<caseNo>#<kind>          the sweep has a milestone for it
 *   case           CASE#<no>   #CASE                                        SWEEP#<shard> / <date>#<caseNo>#archive         closed, not yet marked eligible for archiving
 *   supervision    CASE#<no>   SUP#<kind>#<due>                             SUPERVISION#OPEN / <dept|~OFFICE>#<openedOn>#<caseNo>#<kind>   open
 *                                                                               byDue: SUPERVISION#FLAGGED / (the same sort key)   open and flagged
 *   case tallies   CASE#<no>   DASH#TALLY                                   —   (what the case adds to the dashboard's counters: `clockKeys`, `supKeys`)
 *   tally counter  DASHBOARD#TALLY  <tally name>                            —   (the dashboard's counters, shared/domain/dashboard.ts; attribute `n`)
 *   clock          CASE#<no>   CLOCK#<kind>                                 byDepartment: DASH#<dept|~OFFICE>#CLOCKS / <due>#<caseNo>#<kind>   a running dashboard clock
 *   notice         CASE#<no>   NOTICE#<kind>#<due>#<milestone>#<recipient>  OUTBOX#<yyyy-mm-dd> / <createdAt>#<noticeId>    always
 *                                                                               byDue: NOTICE#RETRY#<shard> / <retryAt>#<noticeId>   not yet delivered (pending or sending)
 *                                                                                      NOTICE#FAILED / <failedAt>#<noticeId>         given up (alarm)
 *
 * `<date>` is the next-action date of the item (docs/sweeps.md); the sweep Queries
 * `bySweepSk <= '<today>#~'` on each shard, so it reads only what it must act on today.
 * One index serves the three patterns on purpose: CloudFormation adds one global secondary index
 * per stack update.
 *
 * A notice not yet delivered also carries `byDue` keys in partitions of its own (never the
 * clocks' `DUE#<shard>`): the instant it is next due for a delivery attempt — its creation plus a
 * grace period for the stream, the end of a sender's lease, or the time of a retry after a failed
 * send. The retry run Queries `byDueSk <= '<now>#~'` there, so a notice whose sender died (a lease
 * that ran out) or whose stream record was lost is found without a scan; delivered notices drop
 * the keys, and a notice given up moves to `NOTICE#FAILED` (counted on the dashboard).
 */
import { ALL_DUE_SHARDS, casePartition, dueShard, through } from './keys';

const SUP = 'SUP#';
const TALLY_PK = 'DASHBOARD#TALLY';
const NOTICE = 'NOTICE#';

export const sweepKey = {
  supervision: (caseNo: string, kind: string, due: string) => ({ pk: casePartition(caseNo), sk: `${SUP}${kind}#${due}` }),
  notice: (caseNo: string, kind: string, due: string, milestone: string, recipient: string) => ({
    pk: casePartition(caseNo),
    sk: `${NOTICE}${kind}#${due}#${milestone}#${recipient}`,
  }),
};

export const SWEEP_SK_PREFIX = { supervision: SUP, notice: NOTICE } as const;

/** Sort-key prefixes of the sweep's Queries (`begins_with`). */
export const sweepRange = {
  /** The supervisions of a case, of one clock kind or all. */
  supervisionsOf: (kind?: string) => `${SUP}${kind ? `${kind}#` : ''}`,
  /** The open supervisions of one department (`null`: of the office itself). */
  openSupervisionsOf: (deptCode: string | null) => `${deptCode ?? OFFICE_PARTITION}#`,
};

/** The department part of an open supervision's index key when the office itself is supervised. */
export const OFFICE_PARTITION = '~OFFICE';

/** What a case item's sweep entry is for (a clock entry names its clock kind). */
export const ARCHIVE_TARGET = 'archive';

export const sweepIndex = {
  /** The sweep's work, one partition per shard (the byDue shards). */
  entries: (shard: number) => `SWEEP#${shard}`,
  entrySk: (date: string, caseNo: string, target: string) => `${date}#${caseNo}#${target}`,
  /** Everything due by the end of `date`. */
  entriesUpTo: (date: string) => through(date),
  openSupervisions: () => 'SUPERVISION#OPEN',
  supervisionSk: (deptCode: string | undefined, openedOn: string, caseNo: string, kind: string) =>
    `${deptCode ?? OFFICE_PARTITION}#${openedOn}#${caseNo}#${kind}`,
  outbox: (date: string) => `OUTBOX#${date}`,
  /** Undelivered notices by the instant of their next attempt (byDue index), one partition per shard. */
  noticeRetry: (shard: number) => `NOTICE#RETRY#${shard}`,
  noticeRetrySk: (at: Date, noticeId: string) => `${at.toISOString()}#${noticeId}`,
  noticeRetryUpTo: (now: Date) => through(now.toISOString()),
  /** Notices given up after their last attempt (byDue index). */
  noticesFailed: () => 'NOTICE#FAILED',
  outboxSk: (createdAt: string, noticeId: string) => `${createdAt}#${noticeId}`,
  /** Open flagged supervisions (byDue index), sorted as the open ones. */
  flaggedSupervisions: () => 'SUPERVISION#FLAGGED',
};

/**
 * The dashboard (docs/sweeps.md, "The dashboard"): its counters in one partition, sorted by tally
 * name (shared/domain/dashboard.ts names them), so the counts of a day are three range Queries; what
 * each case adds to them, kept in its partition so a write moves the counters by the difference;
 * and the running dashboard clocks of each group (a department, or `~OFFICE`) by due date, in the
 * byDepartment index, carrying what a list shows (no case read).
 */
export const dashboardKey = {
  tallyPartition: TALLY_PK,
  tally: (name: string) => ({ pk: TALLY_PK, sk: name }),
  caseTallies: (caseNo: string) => ({ pk: casePartition(caseNo), sk: 'DASH#TALLY' }),
};

export const dashboardIndex = {
  /** The running dashboard clocks of a group (byDepartment), by due date. */
  clocks: (group: string) => `DASH#${group}#CLOCKS`,
  clockSk: (due: string, caseNo: string, kind: string) => `${due}#${caseNo}#${kind}`,
  /** Sort keys before `date` (exclusive) and through `date`. */
  before: (date: string) => date,
  through: (date: string) => through(date),
};

export const sweepShard = dueShard;
export const ALL_SWEEP_SHARDS = ALL_DUE_SHARDS;
