/**
 * Key design of the single table (DESIGN §9). Every item of a case lives in the case's
 * partition (`CASE#<caseNo>`), so a case, its audit trail, clocks and documents are one
 * collection; the sparse indexes of definitions.ts give every other access pattern a Query.
 *
 *   item                pk                  sk                     index keys
 *   case                CASE#<no>           #CASE                  byStatus, byReceived, byCategory, byDepartment (open work)
 *   case full text      CASE#<no>           #CASE#TEXT#fullText    —
 *   case return (退回)   CASE#<no>           #CASE#RETURN#<n:06>    —
 *   audit event         CASE#<no>           AUDIT#<seq:08>         —
 *   clock               CASE#<no>           CLOCK#<kind>           byDue (open clocks: running in DUE#<shard>, paused in PAUSED#<shard>); byDepartment DASH#<group>#CLOCKS (running dashboard clocks, sweep-keys.ts)
 *   document            CASE#<no>           DOC#<id>               bySweep while a pending upload: UPLOADS#PENDING#<shard> / <link expiry>#<no>#<id>
 *   petitioner identity CASE#<no>           PID#<key>              byPetitioner
 *   department history  CASE#<no>           DEPT#<code>            byDepartment (all cases ever assigned)
 *   sealed query code   CASE#<no>           #QUERYCODE             —
 *   case-number counter COUNTER#<p>#<year>  #COUNTER               —
 *   document-no counter DOCNO#<series>      #COUNTER               —
 *   letter template     OFFICE#TEMPLATES    TEMPLATE#<type>        —
 *   calendar year       OFFICE#CALENDAR     YEAR#<yyyy>            — (a year of holidays loaded by the office)
 *   idempotency record  IDEMP#<key>         #IDEMP                 — (TTL)
 *   registrations/month STATS#registered    <yyyy-mm>#<shard>      —
 *   awaiting approval   AWAITING#<kind>     CASE#<no>              — (the director's queue)
 *
 * A document-number series is the office's pattern with the organ code and year filled in
 * (`江信处〔2026〕{seq}号`): one counter per series, so a printed number is never issued twice.
 * A counter's `next` is the last number taken; the transaction that stores the numbered case or
 * letter moves it, conditional on the number before, so the series have no gaps.
 * The template overrides of the office share one partition, so one Query reads them all.
 *
 * The registrations per month (the dashboard's chart) are counters, not a count of case items:
 * the registration transaction adds 1 to the counter of the office month of `receivedOn`, so a
 * registration that fails or is replayed (same Idempotency-Key) never counts twice, and the last
 * 12 months are one Query (`sk BETWEEN '<from>' AND '<to>#~'`). Each month is split over the
 * byDue shards of the case number, so concurrent registrations rarely touch the same item.
 *
 * The case item is bounded by design (DynamoDB's item limit is 400 KB): the full text of the
 * letter (up to 50,000 characters) and the history that grows with every cycle (each return for
 * rework, with its comment) are items of their own beside it, under `#CASE#`, so one Query
 * (`sk begins_with '#CASE'`) reads the whole case; lists read only the case item.
 *
 * A case waiting for the director (a proposal, an extension request, an answer: lifecycle.ts
 * `awaitingApproval`) has a marker item in the partition of that kind, written and removed in
 * the transaction that starts and ends the wait, so the director's queue is one Query that reads
 * only what waits (not every case of the status).
 *
 * A document waiting for its upload (`pending`) carries the bySweep keys of the pending-uploads
 * partition of its case's shard, sorted by when its upload link expires; the check that settles it
 * (verified, quarantined, rejected, expired) rewrites the item without them. The daily upload
 * reconciliation Queries `bySweepSk <= '<cutoff>#~'` on each shard: it reads only the uploads
 * whose link has expired and that are still pending (docs/architecture.md, Uploads).
 *
 * The archive's items (archive jobs, search entries, loans, item-number counters) have their keys
 * in archive-keys.ts, the deadline sweep's (supervisions, notices, sweep entries) and the dashboard's
 * (its counters, each case's tallies, the list entries of running clocks) in sweep-keys.ts;
 * both put their case items in `casePartition`. Every partition and sort key, of the table and of
 * each index, is composed in these three modules (`key`, `ipk`, `indexKeys` here): the adapters
 * only assemble items and queries from them.
 */
import { createHash } from 'node:crypto';
import type { Case } from '../domain/case';
import type { DocumentRecord } from '../domain/documents';
import { DUE_SHARDS } from './definitions';

/** The partition of a case: every item of one case (and of its archive and sweep records) lives in it. */
export function casePartition(caseNo: string): string {
  return `CASE#${caseNo}`;
}

/** The upper bound of a sort-key range over keys that begin `<value>#` (a date, a month, an instant): `<value>#~`. */
export function through(value: string): string {
  return `${value}#~`;
}

const TEMPLATES_PK = 'OFFICE#TEMPLATES';
const CALENDAR_PK = 'OFFICE#CALENDAR';
const SK_PREFIX_CALENDAR_YEAR = 'YEAR#';
const SK_PREFIX_TEMPLATE = 'TEMPLATE#';
const STATS_REGISTERED_PK = 'STATS#registered';
/** The case item's sort key; the items kept beside it (full text, returns) extend it, so `begins_with(sk, '#CASE')` reads the whole case. */
const CASE_SK = '#CASE';
const SK_PREFIX_AUDIT = 'AUDIT#';
const SK_PREFIX_CLOCK = 'CLOCK#';
const SK_PREFIX_DOCUMENT = 'DOC#';
const SK_PREFIX_PETITIONER = 'PID#';
const SK_PREFIX_DEPARTMENT = 'DEPT#';

/** The partition of the cases waiting for the director for one kind of approval (lifecycle.ts `awaitingApproval`). */
export function awaitingPartition(kind: string): string {
  return `AWAITING#${kind}`;
}

export const key = {
  case: (caseNo: string) => ({ pk: casePartition(caseNo), sk: CASE_SK }),
  caseText: (caseNo: string, field: string) => ({ pk: casePartition(caseNo), sk: `${CASE_SK}#TEXT#${field}` }),
  caseReturn: (caseNo: string, n: number) => ({ pk: casePartition(caseNo), sk: `${CASE_SK}#RETURN#${String(n).padStart(6, '0')}` }),
  audit: (caseNo: string, seq: number) => ({ pk: casePartition(caseNo), sk: `${SK_PREFIX_AUDIT}${String(seq).padStart(8, '0')}` }),
  clock: (caseNo: string, kind: string) => ({ pk: casePartition(caseNo), sk: `${SK_PREFIX_CLOCK}${kind}` }),
  document: (caseNo: string, documentId: string) => ({ pk: casePartition(caseNo), sk: `${SK_PREFIX_DOCUMENT}${documentId}` }),
  petitioner: (caseNo: string, identity: string) => ({ pk: casePartition(caseNo), sk: `${SK_PREFIX_PETITIONER}${identity}` }),
  departmentHistory: (caseNo: string, deptCode: string) => ({ pk: casePartition(caseNo), sk: `${SK_PREFIX_DEPARTMENT}${deptCode}` }),
  /** A marker in the partition of what waits for the director, sorted by case (the case's own partition value). */
  awaiting: (kind: string, caseNo: string) => ({ pk: awaitingPartition(kind), sk: casePartition(caseNo) }),
  counter: (prefix: string, year: number) => ({ pk: `COUNTER#${prefix}#${year}`, sk: '#COUNTER' }),
  queryCode: (caseNo: string) => ({ pk: casePartition(caseNo), sk: '#QUERYCODE' }),
  documentNumberCounter: (series: string) => ({ pk: `DOCNO#${series}`, sk: '#COUNTER' }),
  template: (type: string) => ({ pk: TEMPLATES_PK, sk: `${SK_PREFIX_TEMPLATE}${type}` }),
  calendarYear: (year: number) => ({ pk: CALENDAR_PK, sk: `${SK_PREFIX_CALENDAR_YEAR}${year}` }),
  idempotency: (idempotencyKey: string) => ({ pk: `IDEMP#${idempotencyKey}`, sk: '#IDEMP' }),
  registrationsCounter: (month: string, shard: number) => ({ pk: STATS_REGISTERED_PK, sk: `${month}#${shard}` }),
};

/** The partition of the registrations-per-month counters (sort key `<yyyy-mm>#<shard>`). */
export const STATS_REGISTERED_PARTITION = STATS_REGISTERED_PK;

export const SK_PREFIX = {
  /** The case item and the items kept beside it. */
  case: CASE_SK,
  audit: SK_PREFIX_AUDIT,
  clock: SK_PREFIX_CLOCK,
  document: SK_PREFIX_DOCUMENT,
  petitioner: SK_PREFIX_PETITIONER,
  department: SK_PREFIX_DEPARTMENT,
  template: SK_PREFIX_TEMPLATE,
} as const;

/** The partition of the calendar years the office loaded (sort key `YEAR#<yyyy>`): one Query reads them all. */
export const CALENDAR_PARTITION = { pk: CALENDAR_PK, skPrefix: SK_PREFIX_CALENDAR_YEAR } as const;

/** The partition holding the office's letter template overrides. */
export const TEMPLATES_PARTITION = TEMPLATES_PK;

/** Index partition values. */
export const ipk = {
  status: (status: string) => `STATUS#${status}`,
  received: (month: string) => `RCV#${month}`,
  category: (category: string, year: number | string) => `CAT#${category}#${year}`,
  departmentOpen: (deptCode: string) => `DEPT#${deptCode}#OPEN`,
  departmentAll: (deptCode: string) => `DEPT#${deptCode}#ALL`,
  petitioner: (identity: string) => `PID#${identity}`,
  due: (shard: number) => `DUE#${shard}`,
  /** Paused clocks, in the byDue index beside the running ones: the sweep and the dashboard never read them; a calendar change does. */
  paused: (shard: number) => `PAUSED#${shard}`,
  /** Pending uploads (bySweep), one partition per shard. */
  pendingUploads: (shard: number) => `UPLOADS#PENDING#${shard}`,
};

/** The byDue shard of a case: stable, spreads clocks over DUE_SHARDS partitions. */
export function dueShard(caseNo: string): number {
  return createHash('sha256').update(caseNo).digest().readUInt16BE(0) % DUE_SHARDS;
}

export const ALL_DUE_SHARDS = Array.from({ length: DUE_SHARDS }, (_, i) => i);

/** Statuses in which a case is in its department's inbox (`DEPT#<code>#OPEN`). */
const INBOX_STATUSES: ReadonlySet<string> = new Set(['assigned']);

/** The due date that orders a case in lists: its nearest running clock, else its receipt. */
function caseSortDate(c: Case): string {
  const running = Object.values(c.clocks)
    .filter((k) => k.status !== 'stopped')
    .map((k) => k.due)
    .sort();
  return running[0] ?? c.receivedOn;
}

type IndexAttributes = Record<string, string>;

/**
 * The index keys of each item type of a case partition: which access patterns an item is in, and
 * in what order. An item carries an index's keys only while it belongs there (sparse indexes).
 * The deadline sweep's entries (bySweep) are composed in sweep-keys.ts, the archive's (byArchive)
 * in archive-keys.ts.
 */
export const indexKeys = {
  /** A case: by status (nearest due date), received month, category and year; in its department's inbox while assigned. */
  case(c: Case): IndexAttributes {
    const keys: IndexAttributes = {
      byStatusPk: ipk.status(c.status),
      byStatusSk: `${caseSortDate(c)}#${c.caseNo}`,
      byReceivedPk: ipk.received(c.receivedOn.slice(0, 7)),
      byReceivedSk: `${c.receivedOn}#${c.caseNo}`,
      byCategoryPk: ipk.category(c.category, c.receivedOn.slice(0, 4)),
      byCategorySk: `${c.receivedOn}#${c.caseNo}`,
    };
    if (c.deptCode && INBOX_STATUSES.has(c.status)) {
      keys.byDepartmentPk = ipk.departmentOpen(c.deptCode);
      keys.byDepartmentSk = `${c.clocks.departmentDue?.due ?? c.clocks.handling?.due ?? '9999-12-31'}#${c.caseNo}`;
    }
    return keys;
  },
  /** A clock while it is open: running in `DUE#<shard>`, paused in `PAUSED#<shard>`, by due date. */
  clock(caseNo: string, kind: string, clock: { status: string; due: string }): IndexAttributes {
    if (clock.status === 'stopped') return {};
    const shard = dueShard(caseNo);
    return { byDuePk: clock.status === 'running' ? ipk.due(shard) : ipk.paused(shard), byDueSk: `${clock.due}#${caseNo}#${kind}` };
  },
  /** A petitioner identity of a case: the cases of that identity, by receipt. */
  petitioner(caseNo: string, identity: string, receivedOn: string): IndexAttributes {
    return { byPetitionerPk: ipk.petitioner(identity), byPetitionerSk: `${receivedOn}#${caseNo}` };
  },
  /** A department a case was ever assigned to: that department's cases, by receipt. */
  departmentHistory(caseNo: string, deptCode: string, receivedOn: string): IndexAttributes {
    return { byDepartmentPk: ipk.departmentAll(deptCode), byDepartmentSk: `${receivedOn}#${caseNo}` };
  },
  /** A document waiting for its upload: the reconciliation's partition of its shard, by link expiry. */
  document(d: DocumentRecord): IndexAttributes {
    if (d.status !== 'pending' || d.kind === 'generated') return {};
    return { bySweepPk: ipk.pendingUploads(dueShard(d.caseNo)), bySweepSk: `${d.uploadExpiresAt ?? d.createdAt}#${d.caseNo}#${d.documentId}` };
  },
};
