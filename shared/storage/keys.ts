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
 *   clock               CASE#<no>           CLOCK#<kind>           byDue (open clocks: running in DUE#<shard>, paused in PAUSED#<shard>)
 *   document            CASE#<no>           DOC#<id>               —
 *   clock               CASE#<no>           CLOCK#<kind>           byDue (running clocks only)
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
 * in archive-keys.ts.
 */
import { createHash } from 'node:crypto';
import { DUE_SHARDS } from './definitions';

const TEMPLATES_PK = 'OFFICE#TEMPLATES';
const CALENDAR_PK = 'OFFICE#CALENDAR';
const SK_PREFIX_CALENDAR_YEAR = 'YEAR#';
const SK_PREFIX_TEMPLATE = 'TEMPLATE#';
const STATS_REGISTERED_PK = 'STATS#registered';

export const key = {
  case: (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: '#CASE' }),
  caseText: (caseNo: string, field: string) => ({ pk: `CASE#${caseNo}`, sk: `#CASE#TEXT#${field}` }),
  caseReturn: (caseNo: string, n: number) => ({ pk: `CASE#${caseNo}`, sk: `#CASE#RETURN#${String(n).padStart(6, '0')}` }),
  audit: (caseNo: string, seq: number) => ({ pk: `CASE#${caseNo}`, sk: `AUDIT#${String(seq).padStart(8, '0')}` }),
  clock: (caseNo: string, kind: string) => ({ pk: `CASE#${caseNo}`, sk: `CLOCK#${kind}` }),
  document: (caseNo: string, documentId: string) => ({ pk: `CASE#${caseNo}`, sk: `DOC#${documentId}` }),
  petitioner: (caseNo: string, identity: string) => ({ pk: `CASE#${caseNo}`, sk: `PID#${identity}` }),
  departmentHistory: (caseNo: string, deptCode: string) => ({ pk: `CASE#${caseNo}`, sk: `DEPT#${deptCode}` }),
  awaiting: (kind: string, caseNo: string) => ({ pk: `AWAITING#${kind}`, sk: `CASE#${caseNo}` }),
  counter: (prefix: string, year: number) => ({ pk: `COUNTER#${prefix}#${year}`, sk: '#COUNTER' }),
  queryCode: (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: '#QUERYCODE' }),
  documentNumberCounter: (series: string) => ({ pk: `DOCNO#${series}`, sk: '#COUNTER' }),
  template: (type: string) => ({ pk: TEMPLATES_PK, sk: `${SK_PREFIX_TEMPLATE}${type}` }),
  calendarYear: (year: number) => ({ pk: CALENDAR_PK, sk: `${SK_PREFIX_CALENDAR_YEAR}${year}` }),
  idempotency: (idempotencyKey: string) => ({ pk: `IDEMP#${idempotencyKey}`, sk: '#IDEMP' }),
  registrationsCounter: (month: string, shard: number) => ({ pk: STATS_REGISTERED_PK, sk: `${month}#${shard}` }),
};

/** The partition of the registrations-per-month counters (sort key `<yyyy-mm>#<shard>`). */
export const STATS_REGISTERED_PARTITION = STATS_REGISTERED_PK;

export const SK_PREFIX = { audit: 'AUDIT#', clock: 'CLOCK#', document: 'DOC#', petitioner: 'PID#', department: 'DEPT#', template: SK_PREFIX_TEMPLATE } as const;

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
