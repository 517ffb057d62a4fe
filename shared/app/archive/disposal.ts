/** Disposal (销毁鉴定): the list of packages whose retention ended, proposal, approval, and archive-run's destruction. */
import { PACKAGE_FILES, RETENTION_INFO } from '../../domain/archive';
import { RuleViolationError } from '../../domain/errors';
import { requireRole, type Actor } from '../../domain/roles';
import { addDays } from '../../domain/time';
import { packagePrefix } from '../../storage/object-keys';
import type { ArchiveJob, DisposalRecord } from '../archive-ports';
import { auditActor } from '../actor';
import { ArchiveUseCase, message, SYSTEM } from './context';
import type { DisposalOutcome } from './types';

export class ArchiveDisposals extends ArchiveUseCase {
  /** Fixed-term records whose retention has ended (on or before `onOrBefore`, default today). */
  async disposalList(actor: Actor, onOrBefore: string | undefined, limit: number, cursor?: string) {
    requireRole(actor, 'archivist', 'director');
    const page = await this.deps.archive.disposalDue(onOrBefore ?? this.now().today, limit, cursor);
    return {
      items: page.items.map((j) => ({
        archiveNo: j.archiveNo,
        caseNo: j.caseNo,
        retention: j.retention,
        retentionLabel: RETENTION_INFO[j.retention].label,
        retentionEnds: j.retentionEnds,
        summary: j.summary,
        disposal: j.disposal ?? null,
      })),
      cursor: page.cursor,
    };
  }

  /** An archivist proposes destroying a package whose retention has ended (销毁鉴定). */
  async proposeDisposal(actor: Actor, archiveNo: string, reason: string): Promise<DisposalRecord> {
    requireRole(actor, 'archivist');
    const job = await this.job(archiveNo);
    this.checkDisposable(job);
    if (job.disposal) throw new RuleViolationError(`Disposal of ${archiveNo} is already ${job.disposal.state}`);
    const { at } = this.now();
    const disposal: DisposalRecord = { state: 'proposed', reason: reason.trim(), proposedBy: actor.username, proposedAt: at };
    await this.deps.archive.saveDisposal(job, disposal, null, {
      at,
      actor: auditActor(actor),
      type: 'archive.disposal-proposed',
      data: { archiveNo, reason: disposal.reason },
    });
    return disposal;
  }

  /** A director approves a proposal; the next archive run destroys the package (nothing under lock). */
  async approveDisposal(actor: Actor, archiveNo: string, comment?: string): Promise<DisposalRecord> {
    requireRole(actor, 'director');
    const job = await this.job(archiveNo);
    this.checkDisposable(job);
    if (job.disposal?.state !== 'proposed') throw new RuleViolationError(`There is no disposal proposal for ${archiveNo} to approve`);
    if (job.disposal.proposedBy === actor.username) throw new RuleViolationError('The one who proposed a disposal cannot approve it');
    const { at } = this.now();
    const disposal: DisposalRecord = {
      ...job.disposal,
      state: 'approved',
      approvedBy: actor.username,
      approvedAt: at,
      ...(comment ? { approvalComment: comment } : {}),
    };
    await this.deps.archive.saveDisposal(job, disposal, 'proposed', {
      at,
      actor: auditActor(actor),
      type: 'archive.disposal-approved',
      data: { archiveNo, proposedBy: disposal.proposedBy, ...(comment ? { comment } : {}) },
    });
    return disposal;
  }

  private checkDisposable(job: ArchiveJob): void {
    if (job.state === 'disposed') throw new RuleViolationError(`${job.archiveNo} was destroyed`);
    if (job.state !== 'purged') throw new RuleViolationError(`${job.archiveNo} is still being archived`);
    if (!job.retentionEnds) throw new RuleViolationError(`${job.archiveNo} is kept permanently (永久)`);
    if (job.retentionEnds > this.now().today)
      throw new RuleViolationError(`${job.archiveNo} is under retention until ${addDays(job.retentionEnds, -1)}`, { retentionEnds: job.retentionEnds });
  }

  /** Destroys an approved package (archive-run only); refuses anything still under retention. */
  async destroy(job: ArchiveJob): Promise<DisposalOutcome> {
    const { disposal } = this.deps;
    const record = job.disposal;
    if (!disposal) return { archiveNo: job.archiveNo, outcome: 'failed', error: 'this function cannot destroy archived files' };
    if (record?.state !== 'approved' || !record.approvedBy) return { archiveNo: job.archiveNo, outcome: 'refused', error: 'not approved' };
    const { now, at, today } = this.now();
    if (!job.retentionEnds || job.retentionEnds > today) return { archiveNo: job.archiveNo, outcome: 'refused', error: 'under retention' };
    try {
      const files = job.files ?? [];
      const prefix = packagePrefix(job.archiveNo);
      await disposal.destroy([...files.map((f) => prefix + f.path), prefix + PACKAGE_FILES.manifest], new Date(job.lockUntil), now);
      const destroyed: DisposalRecord = {
        ...record,
        state: 'destroyed',
        destroyedAt: at,
        destroyed: files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
      };
      await this.deps.archive.completeDisposal(job, destroyed, {
        at,
        actor: SYSTEM,
        type: 'archive.disposed',
        data: { archiveNo: job.archiveNo, files: files.length + 1, reason: record.reason, proposedBy: record.proposedBy, approvedBy: record.approvedBy },
      });
      return { archiveNo: job.archiveNo, outcome: 'destroyed' };
    } catch (err) {
      return { archiveNo: job.archiveNo, outcome: err instanceof Error && err.name === 'RetentionNotEndedError' ? 'refused' : 'failed', error: message(err) };
    }
  }
}
