/**
 * Ports of the archive (DESIGN §6): the archive's records in the table and the archive bucket.
 * Adapters: shared/adapters/archive-repository.ts (DynamoDB) and archive-store.ts (S3). No AWS
 * SDK here.
 */
import type { ArchiveSummary, ManifestFile, RetentionClass } from '../domain/archive';
import type { Case } from '../domain/case';
import type { EventDraft, Page } from './ports';

/**
 * The work of archiving one case, kept in the case's partition from the moment its archive
 * number is allocated, so a retried run reuses the number:
 *   allocated → archived (the case is archived; originals not yet removed) → purged (done);
 * and later, for a fixed-term record, disposal proposed → approved → disposed.
 */
export const ARCHIVE_JOB_STATES = ['allocated', 'archived', 'purged', 'disposed'] as const;
export type ArchiveJobState = (typeof ARCHIVE_JOB_STATES)[number];

export interface DisposalRecord {
  state: 'proposed' | 'approved' | 'destroyed';
  reason: string;
  proposedBy: string;
  proposedAt: string;
  approvedBy?: string;
  approvedAt?: string;
  approvalComment?: string;
  destroyedAt?: string;
  /** What was destroyed: the package's files with their hashes, as the manifest listed them. */
  destroyed?: { path: string; sha256: string; size: number }[];
}

export interface ArchiveJob {
  caseNo: string;
  archiveNo: string;
  fonds: string;
  year: number;
  item: number;
  retention: RetentionClass;
  retentionReason: string;
  /** `rule:<n>`, `default` or `override`. */
  retentionSource: string;
  override?: { by: string; reason: string };
  retentionEnds?: string;
  /** Object Lock retain-until (ISO instant). */
  lockUntil: string;
  state: ArchiveJobState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  lastError?: string;
  manifestSha256?: string;
  /** The package's files, as in the manifest (after archiving). */
  files?: ManifestFile[];
  summary?: ArchiveSummary;
  archivedAt?: string;
  purgedAt?: string;
  disposal?: DisposalRecord;
}

export interface Loan {
  caseNo: string;
  archiveNo: string;
  loanId: string;
  username: string;
  purpose: string;
  until: string;
  grantedBy: string;
  grantedAt: string;
}

export interface ArchiveSearch {
  archiveNo?: string;
  year?: number;
  category?: string;
  deptCode?: string;
  retention?: RetentionClass;
  limit: number;
  cursor?: string;
}

/** A pass of the scheduled fixity check over every package, resumable from its cursor. */
export interface FixityPass {
  passId: string;
  startedAt: string;
  updatedAt: string;
  /** The last archive entry checked (byArchive sort key of ARCHIVE#ALL). */
  cursor?: string;
  state: 'open' | 'done';
  packages: number;
  files: number;
  problems: number;
  /** The problems found so far (the first FIXITY_REPORT_MAX_PROBLEMS; `problems` counts them all). */
  problemList?: FixityProblem[];
}

/** A file of a package that the fixity check found missing or altered. */
export interface FixityProblem {
  archiveNo: string;
  caseNo: string;
  path: string;
  problem: 'missing' | 'mismatch';
  expected?: string;
  actual?: string;
}

/** A report keeps at most this many problems (each is also in its case's audit trail). */
export const FIXITY_REPORT_MAX_PROBLEMS = 100;

/**
 * The record of one fixity check, kept for the archivists (GET /archive/fixity): a scheduled
 * pass (updated at the end of each invocation until it is done), or a check from the command line.
 */
export interface FixityReportRecord {
  reportId: string;
  /** `scheduled`: the monthly pass; `command`: `npm run archive:verify`; `manual`: an archivist's 立即检查 (POST /archive/fixity/checks). */
  source: 'scheduled' | 'command' | 'manual';
  /** Who asked for a manual check. */
  requestedBy?: string;
  startedAt: string;
  updatedAt: string;
  /**
   * `open`: a scheduled pass still going (continued daily); `done`: every package named (or
   * all) was checked; `incomplete`: stopped before the end (time up, or superseded by a new pass).
   */
  state: 'open' | 'done' | 'incomplete';
  /** The archive or case numbers checked, when not the whole archive. */
  refs?: string[];
  /** Named references that are no archived package. */
  notFound?: string[];
  packages: number;
  files: number;
  /** How many problems (missing or altered files) were found. */
  problems: number;
  problemList: FixityProblem[];
}

export interface ArchiveRepository {
  /** Closed cases, in the byStatus order (a page). */
  closedCases(limit: number, cursor?: string): Promise<Page<Case>>;
  getJob(caseNo: string): Promise<ArchiveJob | null>;
  /**
   * Takes the next item number of the job's series (fonds, year, class) and creates the job with
   * it, in one transaction: numbers are sequential with no gap and never reused. If a job for the
   * case exists already (a concurrent run), that job is returned and no number is taken.
   */
  createJob(job: Omit<ArchiveJob, 'item' | 'archiveNo'>, formatNo: (item: number) => string): Promise<ArchiveJob>;
  /**
   * Takes the case's archive job for one run (a lease until `until`): two runs never build the
   * same package at once (the loser's late writes would replace the winner's files). False when
   * another run holds it; the same token may renew its own lease.
   */
  claimJob(caseNo: string, token: string, until: string, now: string): Promise<boolean>;
  /** Counts a failed attempt (for the run report and the next run) and gives the lease back. */
  recordFailure(caseNo: string, error: string, at: string, token: string): Promise<void>;
  /**
   * closed → archived in one transaction: the case (conditional on its version and audit head),
   * its audit event, the job (allocated → archived, conditional) and the search entries.
   * ConflictError when the case changed meanwhile.
   */
  commitArchive(before: Case, after: Case, event: EventDraft, job: ArchiveJob, leaseToken: string): Promise<Case>;
  /** archived → purged, with its audit event, once the originals are gone from the working bucket. */
  completePurge(caseNo: string, event: EventDraft): Promise<boolean>;
  /** Jobs with work left in a state (archived: originals to remove; disposal approved: to destroy). */
  jobsWithWork(kind: 'purge' | 'dispose', limit: number): Promise<ArchiveJob[]>;
  /** Records of the case partition the archive does not know by name (supervision records …), keys removed. */
  otherRecords(caseNo: string): Promise<Record<string, unknown>[]>;
  findByArchiveNo(archiveNo: string): Promise<ArchiveJob | null>;
  search(q: ArchiveSearch): Promise<Page<ArchiveSummary>>;
  /** All archived packages in archive-number order after `cursor` (fixity). */
  listArchived(limit: number, cursor?: string): Promise<Page<ArchiveJob>>;
  /** The `listArchived` cursor that goes on after this package (a pass stopped part-way through a page resumes there). */
  resumeAfter(job: Pick<ArchiveJob, 'year' | 'archiveNo'>): string;
  /** The disposal list: fixed-term records whose retention ended on or before `onOrBefore`. */
  disposalDue(onOrBefore: string, limit: number, cursor?: string): Promise<Page<ArchiveJob>>;
  /** Updates the job's disposal record (conditional on the previous state), with its audit event. */
  saveDisposal(job: ArchiveJob, disposal: DisposalRecord, expected: DisposalRecord['state'] | null, event: EventDraft): Promise<void>;
  /** The package is destroyed: the job becomes `disposed`, its search entries go, its audit event is appended. */
  completeDisposal(job: ArchiveJob, disposal: DisposalRecord, event: EventDraft): Promise<void>;
  /** A loan and its audit event, in one transaction. */
  grantLoan(loan: Loan, event: EventDraft): Promise<void>;
  activeLoans(caseNo: string, username: string, now: string): Promise<Loan[]>;
  getFixityPass(): Promise<FixityPass | null>;
  saveFixityPass(pass: FixityPass): Promise<void>;
  /** Creates or replaces a fixity report (keyed by its start and id). */
  saveFixityReport(report: FixityReportRecord): Promise<void>;
  /** The fixity reports, newest first (a page). */
  listFixityReports(limit: number, cursor?: string): Promise<Page<FixityReportRecord>>;
}

/** Object Lock for an archived object (applied in AWS; the local emulator has none). */
export interface ObjectLock {
  retainUntil: Date;
  /** Permanent records also get a legal hold, which has no end date. */
  legalHold: boolean;
}

export interface ArchivedObject {
  size: number;
  sha256: string;
  /** PDF page count, when asked for and found. */
  pages?: number;
  /** Why the pages were not counted, when counting was stopped (a compression bomb, too slow). */
  pagesProblem?: string;
}

/**
 * The archive bucket, and what the archive run needs of the working (documents) bucket. There is
 * deliberately no way to delete or overwrite an archived object here: disposal goes through
 * {@link ArchiveDisposal}, which refuses anything still under retention.
 */
export interface ArchiveStorage {
  /** Server-side copy of a working object into the archive (no bytes through the caller). */
  copyIn(sourceKey: string, target: string, lock: ObjectLock): Promise<void>;
  put(target: string, bytes: Uint8Array, contentType: string, lock: ObjectLock): Promise<void>;
  /** Size of an archived object, or null when there is none. */
  head(target: string): Promise<{ size: number } | null>;
  /** Streams an archived object once: size, SHA-256 and (if asked) its PDF page count; null when missing. */
  inspect(target: string, options?: { pages?: boolean }): Promise<ArchivedObject | null>;
  /** Reads a small archived object (a manifest) whole; null when missing; throws above `maxBytes`. */
  read(target: string, maxBytes: number): Promise<Uint8Array | null>;
  presignDownload(target: string, fileName: string, contentType: string, expiresInSec: number): Promise<string>;
  /** Streams a working object once (an original whose record lacks its hash); null when missing. */
  inspectOriginal(sourceKey: string): Promise<ArchivedObject | null>;
  /** Removes an original from the working bucket (after the case is archived). */
  deleteOriginal(sourceKey: string): Promise<void>;
}

export class RetentionNotEndedError extends Error {
  constructor(
    readonly target: string,
    readonly until: string,
  ) {
    super(`${target} is under retention until ${until}`);
    this.name = 'RetentionNotEndedError';
  }
}

/** Destroys archived files whose retention has ended; refuses (RetentionNotEndedError) anything still under lock. */
export interface ArchiveDisposal {
  destroy(targets: string[], retentionEnds: Date, now: Date): Promise<void>;
}
