/** For archivists and those they lend to: the search, a package, recorded retrieval of a file, loans (借阅). */
import { randomUUID } from 'node:crypto';
import { archiveSummary, PACKAGE_FILES, RETENTION_INFO, type ArchiveSummary, type ManifestFile, type RetentionClass } from '../../domain/archive';
import type { Case } from '../../domain/case';
import { NotFoundError, RuleViolationError, ValidationError } from '../../domain/errors';
import { canRead } from '../../domain/lifecycle';
import { normaliseCaseNumber } from '../../domain/numbers';
import { officeDirectory } from '../../domain/office';
import { petitionerIdentityKeys } from '../../domain/pii';
import { hasRole, requireRole, type Actor } from '../../domain/roles';
import { shanghaiDate } from '../../domain/time';
import { packagePrefix } from '../../storage/object-keys';
import type { ArchiveJob, Loan } from '../archive-ports';
import type { Page } from '../ports';
import { auditActor } from '../actor';
import { ArchiveUseCase } from './context';

export class ArchiveRetrieval extends ArchiveUseCase {
  async search(
    actor: Actor,
    q: {
      archiveNo?: string;
      year?: number;
      caseNo?: string;
      petitioner?: { name?: string; idNumber?: string; phone?: string };
      category?: string;
      deptCode?: string;
      retention?: RetentionClass;
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<ArchiveSummary>> {
    requireRole(actor, 'archivist');
    const matches = (s: ArchiveSummary) =>
      (!q.archiveNo || s.archiveNo === q.archiveNo) &&
      (q.year === undefined || s.year === q.year) &&
      (!q.category || s.category === q.category) &&
      (!q.deptCode || s.departments.includes(q.deptCode)) &&
      (!q.retention || s.retention === q.retention);
    const archived = (cases: (Case | null)[]) =>
      cases.flatMap((c) => (c?.status === 'archived' && c.archive ? [archiveSummary(c, c.archive)] : [])).filter(matches);
    if (q.caseNo) return { items: archived([await this.deps.repo.getCase(normaliseCaseNumber(q.caseNo))]) };
    if (q.petitioner) {
      if (!this.deps.piiKey) throw new Error('The archive search by petitioner needs the PII hash key');
      const { name, idNumber, phone } = q.petitioner;
      const keys = petitionerIdentityKeys(this.deps.piiKey, { name: name ?? '', idNumber, phone }).slice(0, 1);
      if (keys.length === 0) throw ValidationError.field('petitioner', 'give an ID number, or a name and a phone number');
      return { items: archived(await this.deps.repo.findByPetitionerKeys(keys)) };
    }
    const page = await this.deps.archive.search({ ...q });
    return { items: page.items.filter(matches), cursor: page.cursor };
  }

  /**
   * Who may open a package: an archivist, or someone an archivist lent it to (a loan in force,
   * for a user who could read the case before it was archived: a department only its own cases,
   * never an accusation about itself). Anyone else: not found.
   */
  private async access(actor: Actor, job: ArchiveJob): Promise<{ via: 'archivist' } | { via: 'loan'; loan: Loan }> {
    if (hasRole(actor, 'archivist')) return { via: 'archivist' };
    const c = await this.deps.repo.getCase(job.caseNo);
    if (c && canRead(actor, { ...c, status: 'closed' }, officeDirectory(this.deps.settings))) {
      const [loan] = await this.deps.archive.activeLoans(job.caseNo, actor.username, this.now().at);
      if (loan) return { via: 'loan', loan };
    }
    throw new NotFoundError('archive package', job.archiveNo);
  }

  private packageFiles(job: ArchiveJob): ManifestFile[] {
    const files = job.files ?? [];
    return [
      ...files,
      {
        path: PACKAGE_FILES.manifest,
        role: 'metadata',
        size: 0,
        sha256: job.manifestSha256 ?? '',
        contentType: 'application/json',
        title: '文件清单（各文件校验值）',
        date: job.archivedAt ? shanghaiDate(new Date(job.archivedAt)) : '',
      },
    ];
  }

  async getPackage(actor: Actor, archiveNo: string) {
    const job = await this.job(archiveNo);
    const access = await this.access(actor, job);
    return {
      archiveNo: job.archiveNo,
      caseNo: job.caseNo,
      state: job.state,
      retention: job.retention,
      retentionLabel: RETENTION_INFO[job.retention].label,
      retentionReason: job.retentionReason,
      retentionSource: job.retentionSource,
      override: job.override,
      retentionEnds: job.retentionEnds,
      lockUntil: job.lockUntil,
      archivedAt: job.archivedAt,
      manifestSha256: job.manifestSha256,
      summary: job.summary,
      files:
        job.state === 'disposed'
          ? []
          : this.packageFiles(job).map(({ path, title, size, sha256: hash, pages, contentType, role, date }) => ({
              path,
              title,
              size,
              sha256: hash,
              pages,
              contentType,
              role,
              date,
            })),
      disposal: job.disposal,
      ...(access.via === 'loan' ? { loan: { until: access.loan.until, purpose: access.loan.purpose } } : {}),
    };
  }

  /**
   * A short-lived link to one archived file. The retrieval is an audit event of the case (who,
   * when, which file, the stated purpose, through a loan or not), written before the link exists.
   */
  async download(actor: Actor, archiveNo: string, path: string, purpose: string) {
    const job = await this.job(archiveNo);
    const access = await this.access(actor, job);
    if (job.state === 'disposed') throw new RuleViolationError(`${archiveNo} was destroyed on ${job.disposal?.destroyedAt?.slice(0, 10) ?? '?'}`);
    const file = this.packageFiles(job).find((f) => f.path === path);
    if (!file) throw new NotFoundError('archived file', path);
    const reason = purpose.trim();
    if (reason.length < 2) throw ValidationError.field('purpose', 'state the purpose of the retrieval');
    await this.deps.repo.appendEvent(job.caseNo, {
      at: this.now().at,
      actor: auditActor(actor),
      type: 'archive.file-retrieved',
      data: {
        archiveNo,
        path,
        title: file.title,
        sha256: file.sha256,
        purpose: reason,
        via: access.via,
        ...(access.via === 'loan' ? { loanId: access.loan.loanId } : {}),
      },
    });
    const expiresInSec = this.config.downloadLinkSeconds;
    const fileName = file.role === 'original' && file.fileName ? file.fileName : `${archiveNo}-${path}`;
    const url = await this.deps.store.presignDownload(packagePrefix(archiveNo) + path, fileName, file.contentType, expiresInSec);
    return { url, expiresInSec, path, fileName, sha256: file.sha256, size: file.size };
  }

  /** An archivist lends a package to a named user for a while (借阅); the loan is an audit event. */
  async lend(actor: Actor, archiveNo: string, input: { username: string; days: number; purpose: string }): Promise<Loan> {
    requireRole(actor, 'archivist');
    const job = await this.job(archiveNo);
    if (job.state === 'disposed') throw new RuleViolationError(`${archiveNo} was destroyed`);
    if (input.days > this.config.maxLoanDays) throw ValidationError.field('days', `at most ${this.config.maxLoanDays} days`);
    if (this.deps.users) {
      const user = await this.deps.users.user(input.username);
      if (!user) throw ValidationError.field('username', `没有登录名为 ${input.username} 的用户`);
      if (!user.value.enabled) throw ValidationError.field('username', `用户 ${input.username} 已停用`);
    }
    const { now, at } = this.now();
    const loan: Loan = {
      caseNo: job.caseNo,
      archiveNo,
      loanId: randomUUID(),
      username: input.username,
      purpose: input.purpose.trim(),
      until: new Date(now.getTime() + input.days * 86_400_000).toISOString(),
      grantedBy: actor.username,
      grantedAt: at,
    };
    await this.deps.archive.grantLoan(loan, {
      at,
      actor: auditActor(actor),
      type: 'archive.loan-granted',
      data: { archiveNo, loanId: loan.loanId, username: loan.username, until: loan.until, purpose: loan.purpose },
    });
    return loan;
  }
}
