/** The archive's use cases' dependencies, inputs and reports (shared/app/archive.ts re-exports them). */
import type { RetentionClass } from '../../domain/archive';
import type { Case } from '../../domain/case';
import type { OfficeSettings } from '../../domain/office';
import type { HashKey } from '../../domain/pii';
import type { Actor } from '../../domain/roles';
import type { Clock } from '../../domain/time';
import type { RegistrationRenderer } from '../../letters/registration';
import type { ArchiveDisposal, ArchiveRepository, ArchiveStorage, FixityProblem } from '../archive-ports';
import type { OfficeStore } from '../directory-ports';
import type { CaseRepository } from '../ports';

export interface ArchiveDeps {
  repo: CaseRepository;
  archive: ArchiveRepository;
  store: ArchiveStorage;
  /** Only archive-run destroys; other functions leave it out. */
  disposal?: ArchiveDisposal;
  clock: Clock;
  settings: OfficeSettings;
  /**
   * Renders registration.pdf. Only the archive run needs it, so only archive-run is given one:
   * the search, retrieval and fixity functions then carry no PDF renderer.
   */
  registrationForm?: RegistrationRenderer;
  /** For the search by petitioner (keyed hash of ID number, or name + phone). */
  piiKey?: HashKey;
  /** The office's users: a loan goes only to a user who exists and is enabled. */
  users?: Pick<OfficeStore, 'user'>;
}

export type CaseOutcome =
  /** `warnings`: what was archived but could not be fully described (a PDF whose pages were not counted, and why). */
  | { caseNo: string; outcome: 'archived'; archiveNo: string; files: number; bytes: number; warnings?: string[] }
  /** Another run is archiving it right now; the next run finds it done (or takes it over). */
  | { caseNo: string; outcome: 'busy'; archiveNo: string }
  /** An earlier run archived it but did not finish removing the originals; this one did. */
  | { caseNo: string; outcome: 'completed'; archiveNo: string }
  | { caseNo: string; outcome: 'already-archived'; archiveNo?: string }
  | { caseNo: string; outcome: 'not-eligible'; status: Case['status'] }
  /** Uploads of the case are still pending (not yet checked, or their S3 event was lost): the daily upload reconciliation settles them first. */
  | { caseNo: string; outcome: 'pending-uploads'; documents: number }
  | { caseNo: string; outcome: 'not-found' }
  | { caseNo: string; outcome: 'failed'; archiveNo?: string; error: string }
  /** Not started: the run's time was up. The next run takes it. */
  | { caseNo: string; outcome: 'deferred' };

export interface DisposalOutcome {
  archiveNo: string;
  outcome: 'destroyed' | 'refused' | 'failed' | 'deferred';
  error?: string;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  cases: CaseOutcome[];
  disposals: DisposalOutcome[];
  /** Work was left for the next run (time up, or more eligible cases than one page). */
  more: boolean;
}

export interface RunInput {
  /** An archivist (on demand); absent for the scheduled run. */
  actor?: Actor;
  /** Only these cases; otherwise every eligible case, then approved disposals. */
  caseNos?: string[];
  /** Retention chosen by the archivist, with the reason (before the archive number exists). */
  overrides?: { caseNo: string; retention: RetentionClass; reason: string }[];
  /** Epoch ms: start no new case after this (the caller leaves room for the last one to finish). */
  deadline?: number;
  /**
   * Closed cases archived at once (default 1: one after another, item numbers in the order the
   * cases are listed). More (the demo's morning, local/demo-morning.ts): each case still claims its
   * job and takes its item number in its own transaction, so the numbers stay gapless; they follow
   * the order the cases reach that transaction.
   */
  concurrency?: number;
}

export type { FixityProblem, FixityReportRecord } from '../archive-ports';

export interface FixityReport {
  /** References (archive or case numbers) that name no archived package. */
  notFound: string[];
  packages: number;
  files: number;
  problems: FixityProblem[];
  /** False when the time was up before every package was checked. */
  complete: boolean;
}

/** Something went wrong archiving one case; reported, never thrown out of a run. */
export class ArchiveRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveRunError';
  }
}
