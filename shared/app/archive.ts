/**
 * The archive's use cases (DESIGN §6), one module each under shared/app/archive/: the archive
 * run (run.ts), the archivists' search, retrieval and loans (retrieval.ts), disposal
 * (disposal.ts) and the fixity check (fixity.ts). ArchiveService puts them together for the
 * functions. Ports only (no AWS SDK): the table through CaseRepository and ArchiveRepository,
 * the archive bucket through ArchiveStorage.
 *
 * One case's archiving, in an order that makes every step safe to repeat:
 *   1. an archive job with its number (档号), created once per case with the item number in one
 *      transaction, so a retried run reuses the number and numbers have no gaps;
 *   2. the originals copied server-side into packages/<archiveNo>/originals/ (skipped when the
 *      copy is already there), each archived copy re-read and its SHA-256 matched against the
 *      hash recorded when the original was checked or generated;
 *   3. registration.pdf and metadata.json written and re-read the same way, then manifest.json;
 *   4. only then closed → archived, in one conditional transaction with the job and the search
 *      entries (the audit event names the manifest's hash);
 *   5. only after that the originals are deleted from the working bucket.
 * A failure anywhere before 4 leaves the case closed with every original in place, and the next
 * run picks it up; a failure between 4 and 5 is finished by the next run.
 */
import type { AuditActor } from '../domain/audit';
import type { RetentionClass } from '../domain/archive';
import type { Actor } from '../domain/roles';
import type { ArchiveJob } from './archive-ports';
import { ArchiveDisposals } from './archive/disposal';
import { ArchiveFixity } from './archive/fixity';
import { ArchiveRetrieval } from './archive/retrieval';
import { ArchiveRun } from './archive/run';
import type { ArchiveDeps, FixityReport, RunInput } from './archive/types';

export {
  ArchiveRunError,
  type ArchiveDeps,
  type CaseOutcome,
  type DisposalOutcome,
  type FixityProblem,
  type FixityReport,
  type FixityReportRecord,
  type RunInput,
  type RunReport,
} from './archive/types';

/** The archive's use cases over one set of dependencies: what an archive function serves. */
export class ArchiveService {
  readonly runs: ArchiveRun;
  readonly retrieval: ArchiveRetrieval;
  readonly disposal: ArchiveDisposals;
  readonly fixity: ArchiveFixity;

  constructor(deps: ArchiveDeps) {
    this.disposal = new ArchiveDisposals(deps);
    this.runs = new ArchiveRun(deps, this.disposal);
    this.retrieval = new ArchiveRetrieval(deps);
    this.fixity = new ArchiveFixity(deps);
  }

  // the archive run
  run(input: RunInput = {}) {
    return this.runs.run(input);
  }
  archiveCase(caseNo: string, ctx: { who: AuditActor; by: string; override?: { retention: RetentionClass; reason: string; by: string } }) {
    return this.runs.archiveCase(caseNo, ctx);
  }
  pending(actor: Actor, limit: number, cursor?: string) {
    return this.runs.pending(actor, limit, cursor);
  }

  // search, retrieval, loans
  search(actor: Actor, q: Parameters<ArchiveRetrieval['search']>[1]) {
    return this.retrieval.search(actor, q);
  }
  getPackage(actor: Actor, archiveNo: string) {
    return this.retrieval.getPackage(actor, archiveNo);
  }
  download(actor: Actor, archiveNo: string, path: string, purpose: string) {
    return this.retrieval.download(actor, archiveNo, path, purpose);
  }
  lend(actor: Actor, archiveNo: string, input: { username: string; days: number; purpose: string }) {
    return this.retrieval.lend(actor, archiveNo, input);
  }

  // disposal
  disposalList(actor: Actor, onOrBefore: string | undefined, limit: number, cursor?: string) {
    return this.disposal.disposalList(actor, onOrBefore, limit, cursor);
  }
  proposeDisposal(actor: Actor, archiveNo: string, reason: string) {
    return this.disposal.proposeDisposal(actor, archiveNo, reason);
  }
  approveDisposal(actor: Actor, archiveNo: string, comment?: string) {
    return this.disposal.approveDisposal(actor, archiveNo, comment);
  }

  // fixity
  checkPackage(job: ArchiveJob) {
    return this.fixity.checkPackage(job);
  }
  verifyFixity(input: { refs?: string[]; deadline?: number; record?: boolean } = {}): Promise<FixityReport> {
    return this.fixity.verifyFixity(input);
  }
  fixityPass(mode: 'start' | 'continue', deadline?: number) {
    return this.fixity.fixityPass(mode, deadline);
  }
  checkFixityNow(actor: Actor, refs: string[], deadline: number) {
    return this.fixity.checkNow(actor, refs, deadline);
  }
  saveCommandReport(report: FixityReport, refs?: string[]) {
    return this.fixity.saveCommandReport(report, refs);
  }
  fixityReports(actor: Actor, limit: number, cursor?: string) {
    return this.fixity.fixityReports(actor, limit, cursor);
  }
  findJob(ref: string) {
    return this.fixity.findJob(ref);
  }
}
