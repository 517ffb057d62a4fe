/**
 * The state the in-memory fakes of the ports share: what the single table holds, as plain maps.
 * One FakeState is one table; the fakes of the case repository, the sweep store, the outbox and
 * the archive repository read and write it, so a case registered through one is due in another,
 * as in DynamoDB.
 *
 * Semantics kept (what the use cases rely on, checked by the contract suites in
 * test/support/contracts against both the fakes and the DynamoDB adapters):
 * - a write is one transaction: every condition is checked first, then everything is applied, or
 *   nothing (an injected fault fails the whole write, after its checks);
 * - conditional writes: the case on its version and audit head, counters on the number before
 *   (gapless numbers), items that must not exist, entries on the token read;
 * - every value is copied in and out (structuredClone): a caller that mutates what it read
 *   changes nothing stored;
 * - each operation yields to the event loop before it reads and before it writes, so calls made
 *   at once interleave like concurrent requests.
 */
import type { AuditEvent } from '../../../shared/domain/audit';
import type { Case } from '../../../shared/domain/case';
import { officeCalendar, type ClockKind, type ClockState, type HolidayCalendar } from '../../../shared/domain/clocks';
import type { DocumentRecord } from '../../../shared/domain/documents';
import type { OcrDocument } from '../../../shared/domain/ocr';
import { archiveEligibleDate, DEFAULT_SWEEP_POLICY, nextSweepAction, type Milestone, type SweepPolicy } from '../../../shared/domain/sweep';
import type { Delivery, Notice, Supervision } from '../../../shared/domain/supervision';
import { shanghaiDate } from '../../../shared/domain/time';
import type { ArchiveJob, FixityPass, FixityReportRecord, Loan } from '../../../shared/app/archive-ports';
import type { TemplateOverride } from '../../../shared/app/ports';
import type { StoredCalendarYear } from '../../../shared/domain/calendar-change';

/** What a sweep entry is for: a clock kind, or `archive` (a closed case's archive eligibility). */
export type EntryTarget = ClockKind | 'archive';

export interface StoredEntry {
  caseNo: string;
  target: EntryTarget;
  milestone: Milestone;
  /** The clock's due date when the entry was written (clock entries). */
  due?: string;
  /** What a conditional write compares: the date, case and target, as the table's sort key. */
  token: string;
}

export interface StoredNotice {
  notice: Notice;
  delivery: Delivery;
  leaseUntil?: number;
  /** The byDue entry: due for a retry at `at` (undelivered) or in the failed list. */
  due?: { list: 'retry' | 'failed'; at: Date };
}

export interface StoredJob {
  job: ArchiveJob;
  lease?: { token: string; until: string };
}

export interface ArchiveIndexEntry {
  caseNo: string;
  archiveNo: string;
  /** Which search entry: NO, ALL, CAT, RET, DEPT#…, DISPOSAL. */
  entry: string;
  partition: string;
  sortKey: string;
}

/** An injected fault: the next write whose operation name matches fails after its checks, writing nothing. */
export interface Fault {
  op: string;
  error: Error;
  /** How many more writes of this operation fail (default 1). */
  times: number;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Lets other pending operations run: a call made at the same time as another interleaves with it. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function entryToken(date: string, caseNo: string, target: string): string {
  return `${date}#${caseNo}#${target}`;
}

export class FakeState {
  readonly cases = new Map<string, Case>();
  readonly events = new Map<string, AuditEvent[]>();
  readonly documents = new Map<string, Map<string, DocumentRecord>>();
  readonly sealedQueryCodes = new Map<string, string>();
  /** Counters by name: `case:<prefix>:<year>`, `doc:<series>`, `archive:<fonds>:<year>:<class>`; the last number taken. */
  readonly counters = new Map<string, number>();
  readonly idempotency = new Map<
    string,
    { requestHash: string; state: 'in-progress' | 'done'; token: string; leaseUntil: number; caseNo?: string; queryCode?: string }
  >();
  /** Registrations per month of receipt (`yyyy-mm`). */
  readonly registrations = new Map<string, number>();
  readonly templates = new Map<string, TemplateOverride>();
  readonly calendarYears = new Map<number, StoredCalendarYear>();
  /** The sweep's entries, by `<caseNo>#<target>`. */
  readonly entries = new Map<string, StoredEntry>();
  /** Supervisions by `<caseNo>#<kind>#<due>`. */
  readonly supervisions = new Map<string, Supervision>();
  /** Notices by noticeId. */
  readonly notices = new Map<string, StoredNotice>();
  readonly jobs = new Map<string, StoredJob>();
  readonly archiveIndex: ArchiveIndexEntry[] = [];
  readonly loans: Loan[] = [];
  fixityPass: FixityPass | null = null;
  readonly fixityReports = new Map<string, FixityReportRecord>();
  /** The OCR of documents by `<caseNo>#<documentId>` (the status and pages items of ocr-keys.ts). */
  readonly ocr = new Map<string, OcrDocument>();
  /** When a queued document's job was last sent again (the `sentAt` of its `OCRQ#` marker), by `<caseNo>#<documentId>`. */
  readonly ocrSent = new Map<string, string>();
  /** The text of each case's scans the search holds (`#SEARCH#SCAN`), with the readings it was made of. */
  readonly scanTexts = new Map<string, { text: string; readings: number }>();
  /** Records of a case partition no fake knows by name (the archive's `otherRecords`). */
  readonly otherRecords = new Map<string, Record<string, unknown>[]>();
  private readonly faults: Fault[] = [];

  constructor(
    readonly policy: SweepPolicy = DEFAULT_SWEEP_POLICY,
    readonly calendar: Pick<HolidayCalendar, 'isWorkingDay'> = officeCalendar,
  ) {}

  /** Makes the next `times` writes named `op` (e.g. `createCase`, `saveTransition`, `commit`) fail as a whole. */
  failNext(op: string, error: Error = new Error(`injected fault in ${op}`), times = 1): void {
    this.faults.push({ op, error, times });
  }

  /** Called by every write after its checks and before it applies anything. */
  checkFault(op: string): void {
    const i = this.faults.findIndex((f) => f.op === op);
    const fault = this.faults[i];
    if (!fault) return;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    throw fault.error;
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  docsOf(caseNo: string): Map<string, DocumentRecord> {
    let docs = this.documents.get(caseNo);
    if (!docs) {
      docs = new Map();
      this.documents.set(caseNo, docs);
    }
    return docs;
  }

  // ---- the sweep's entries, as the repository writes them with the clock and case items --------

  /** The entry of a clock the sweep has a milestone for (or none): written with the clock. */
  writeClockEntry(caseNo: string, kind: ClockKind, clock: ClockState): void {
    const next = nextSweepAction(kind, clock, this.policy, this.calendar);
    const k = `${caseNo}#${kind}`;
    if (next) this.entries.set(k, { caseNo, target: kind, milestone: next, due: clock.due, token: entryToken(next.date, caseNo, kind) });
    else this.entries.delete(k);
  }

  /** The archive-eligibility entry of a case, rewritten with every write of the whole case item. */
  writeCaseEntry(c: Case): void {
    const k = `${c.caseNo}#archive`;
    if (c.status !== 'closed' || !c.closed || c.archiveEligibleOn !== undefined) {
      this.entries.delete(k);
      return;
    }
    const date = archiveEligibleDate(c, this.policy, shanghaiDate(new Date(c.closed.at)));
    if (date) this.entries.set(k, { caseNo: c.caseNo, target: 'archive', milestone: { name: 'archive', date }, token: entryToken(date, c.caseNo, 'archive') });
    else this.entries.delete(k);
  }

  /** The clock entries of the clocks that changed between `before` and `after`. */
  writeChangedClockEntries(after: Case, before: Case['clocks']): ClockKind[] {
    const changed: ClockKind[] = [];
    for (const [kind, clock] of Object.entries(after.clocks) as [ClockKind, ClockState][]) {
      if (JSON.stringify(before[kind]) === JSON.stringify(clock)) continue;
      changed.push(kind);
      this.writeClockEntry(after.caseNo, kind, clock);
    }
    return changed;
  }

  /** Moves an entry to its next milestone (or drops it), as `advance` and a commit do. */
  moveEntry(entry: { caseNo: string; target: EntryTarget }, next: Milestone | null): void {
    const k = `${entry.caseNo}#${entry.target}`;
    const current = this.entries.get(k);
    if (!next) {
      this.entries.delete(k);
      return;
    }
    this.entries.set(k, {
      caseNo: entry.caseNo,
      target: entry.target,
      milestone: next,
      due: current?.due,
      token: entryToken(next.date, entry.caseNo, entry.target),
    });
  }
}
