/**
 * What the reports need from storage (DESIGN §8): the report facts of some months, and the frozen
 * (published) periods. Adapters: shared/adapters/report-store.ts. No AWS SDK here.
 */
import type { Notice } from '../domain/supervision';
import type { Case } from '../domain/case';
import type { ReportFact } from '../domain/reports/facts';
import type { SupervisionLevel } from '../domain/supervision';
import type { ReadStats } from './sweep-ports';

export interface ReportFactStore {
  /** The facts of the cases received in these months (`yyyy-mm`): a Query per month and shard, never a Scan. */
  facts(months: readonly string[]): Promise<ReportFact[]>;
  /** What this store has read so far (items as DynamoDB counted them). */
  readStats(): ReadStats;
}

/** A frozen period's record: where its JSON is and what it hashes to. */
export interface FrozenReportRecord {
  periodKey: string;
  /** `office`, or `DEPT-<code>` for a department's own figures. */
  scope: string;
  documentKey: string;
  sha256: string;
  frozenAt: string;
  asOf: string;
  /** Renderings added later (XLSX, PDF), each with its key and SHA-256. */
  renderings?: { format: string; documentKey: string; sha256: string }[];
}

export interface FrozenReportStore {
  frozenRecord(periodKey: string, scope: string): Promise<FrozenReportRecord | null>;
  /** Records a frozen period once: false (nothing written) when it was frozen already. */
  recordFrozen(record: FrozenReportRecord): Promise<boolean>;
}

/** The outbox, for the notice that a period's report was frozen and published. */
export interface ReportNotices {
  /** Puts the notice in the outbox once (by its id): false when it is there already. */
  notify(notice: Notice): Promise<boolean>;
}

/** Where frozen reports' documents are kept (the documents bucket, under reports/). */
export interface ReportDocuments {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
}

/** Where the backfill stands: the month it was in and the position in it (opaque). */
export interface BackfillProgress {
  month: string;
  cursor?: string;
}

/** What the backfill of report facts needs (shared/app/report-backfill.ts). */
export interface ReportBackfillStore {
  /** A page of the cases received in a month (`yyyy-mm`): a Query of that month's partition, never a Scan. */
  casesReceived(month: string, cursor?: string): Promise<{ cases: Case[]; cursor?: string }>;
  /** The highest supervision level opened on the case (a Query of its partition), or undefined. */
  supervisionLevel(caseNo: string): Promise<SupervisionLevel | undefined>;
  /** Writes the case's fact unless it has one (a transaction wrote it: newer); true when written. */
  writeFactIfAbsent(c: Case, supervision?: SupervisionLevel): Promise<boolean>;
  /**
   * Counts the case on the dashboard unless it is counted (docs/sweeps.md, "The dashboard"): its
   * tallies and the counters, from the case and its supervisions as they stand, and the list
   * entries of its running clocks and flagged supervisions — conditional on the case not moving
   * meanwhile. True when it counted it (false: counted already, or nothing to count).
   */
  countForDashboard(caseNo: string): Promise<boolean>;
  progress(): Promise<BackfillProgress | null>;
  saveProgress(p: BackfillProgress | null): Promise<void>;
}
