/** The fixity check: packages re-hashed against their manifests, on demand, by command and by the monthly pass. */
import { randomUUID } from 'node:crypto';
import { ManifestSchema, PACKAGE_FILES } from '../../domain/archive';
import { normaliseCaseNumber } from '../../domain/numbers';
import { requireRole, type Actor } from '../../domain/roles';
import { systemActor } from '../../domain/system-actors';
import { packagePrefix } from '../../storage/object-keys';
import { FIXITY_REPORT_MAX_PROBLEMS, type ArchiveJob, type FixityPass, type FixityProblem, type FixityReportRecord } from '../archive-ports';
import type { Page } from '../ports';
import { ArchiveUseCase, MAX_MANIFEST_BYTES, sha256 } from './context';
import type { FixityReport } from './types';

export class ArchiveFixity extends ArchiveUseCase {
  /** Re-hashes one package's files against its manifest (itself checked against the hash on the case). */
  async checkPackage(job: ArchiveJob): Promise<{ files: number; problems: FixityProblem[] }> {
    const { store } = this.deps;
    const prefix = packagePrefix(job.archiveNo);
    const problems: FixityProblem[] = [];
    const problem = (path: string, kind: FixityProblem['problem'], expected?: string, actual?: string) =>
      problems.push({ archiveNo: job.archiveNo, caseNo: job.caseNo, path, problem: kind, ...(expected ? { expected } : {}), ...(actual ? { actual } : {}) });
    // The manifest is trusted only if it still has the hash recorded on the case; otherwise the
    // file list recorded with the job (the same list, kept in the table) is the reference.
    let files = job.files ?? [];
    const bytes = await store.read(prefix + PACKAGE_FILES.manifest, MAX_MANIFEST_BYTES);
    if (!bytes) problem(PACKAGE_FILES.manifest, 'missing', job.manifestSha256);
    else if (sha256(bytes) !== job.manifestSha256) problem(PACKAGE_FILES.manifest, 'mismatch', job.manifestSha256, sha256(bytes));
    else {
      const parsed = ManifestSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (parsed.success) files = parsed.data.files;
    }
    for (const f of files) {
      const got = await store.inspect(prefix + f.path);
      if (!got) problem(f.path, 'missing', f.sha256);
      else if (got.sha256 !== f.sha256 || got.size !== f.size) problem(f.path, 'mismatch', f.sha256, got.sha256);
    }
    return { files: files.length + 1, problems };
  }

  /**
   * The fixity check over named packages (archive or case numbers) or over all of them, in
   * archive-number order; `record` writes each problem into the case's audit chain.
   */
  async verifyFixity(input: { refs?: string[]; deadline?: number; record?: boolean } = {}): Promise<FixityReport> {
    const report: FixityReport = { notFound: [], packages: 0, files: 0, problems: [], complete: true };
    const timeUp = () => input.deadline !== undefined && Date.now() > input.deadline;
    const check = async (job: ArchiveJob) => {
      const r = await this.checkPackage(job);
      report.packages += 1;
      report.files += r.files;
      report.problems.push(...r.problems);
      if (input.record && r.problems.length > 0) await this.recordProblems(job, r.problems);
    };
    if (input.refs) {
      for (const ref of input.refs) {
        if (timeUp()) return { ...report, complete: false };
        const job = await this.findJob(ref);
        if (job && job.state !== 'disposed') await check(job);
        else report.notFound.push(ref);
      }
      return report;
    }
    let cursor: string | undefined;
    do {
      if (timeUp()) return { ...report, complete: false };
      const page = await this.deps.archive.listArchived(50, cursor);
      for (const job of page.items) await check(job);
      cursor = page.cursor;
    } while (cursor);
    return report;
  }

  /**
   * The scheduled fixity run: `start` begins a pass over every package (monthly), `continue`
   * goes on from where an unfinished pass stopped (its time was up); the pass is kept in the table.
   */
  async fixityPass(
    mode: 'start' | 'continue',
    deadline?: number,
  ): Promise<{ pass: FixityPass | null; problems: FixityProblem[]; supersededPass?: FixityPass }> {
    const { archive } = this.deps;
    let pass = await archive.getFixityPass();
    let supersededPass: FixityPass | undefined;
    if (mode === 'start') {
      if (pass?.state === 'open') {
        supersededPass = pass;
        await archive.saveFixityReport({ ...passReport(pass), state: 'incomplete', updatedAt: this.now().at });
      }
      const { at } = this.now();
      pass = { passId: randomUUID(), startedAt: at, updatedAt: at, state: 'open', packages: 0, files: 0, problems: 0, problemList: [] };
      await archive.saveFixityPass(pass);
    } else if (!pass || pass.state !== 'open') {
      return { pass, problems: [] };
    }
    const problems: FixityProblem[] = [];
    const timeUp = () => deadline !== undefined && Date.now() > deadline;
    // The pass's report is written when this invocation stops (done, or time up for today).
    const stop = async (p: FixityPass) => {
      await archive.saveFixityReport(passReport(p));
      return { pass: p, problems, ...(supersededPass ? { supersededPass } : {}) };
    };
    for (;;) {
      const page = await archive.listArchived(20, pass.cursor);
      if (page.items.length === 0) {
        pass = { ...pass, state: 'done', updatedAt: this.now().at };
        await archive.saveFixityPass(pass);
        break;
      }
      for (const job of page.items) {
        if (timeUp()) return stop(pass);
        const r = await this.checkPackage(job);
        if (r.problems.length > 0) await this.recordProblems(job, r.problems);
        problems.push(...r.problems);
        pass = {
          ...pass,
          cursor: archive.resumeAfter(job),
          packages: pass.packages + 1,
          files: pass.files + r.files,
          problems: pass.problems + r.problems.length,
          problemList: [...(pass.problemList ?? []), ...r.problems].slice(0, FIXITY_REPORT_MAX_PROBLEMS),
          updatedAt: this.now().at,
        };
        await archive.saveFixityPass(pass);
      }
    }
    return stop(pass);
  }

  /**
   * 立即检查: an archivist checks named packages (archive or case numbers) now, within the
   * request's time budget (`deadline`); problems go into the cases' audit trails as in the
   * scheduled pass, and the report is kept with the others, naming who asked for it.
   */
  async checkNow(actor: Actor, refs: string[], deadline: number): Promise<FixityReportRecord> {
    requireRole(actor, 'archivist');
    const unique = [...new Set(refs.map((r) => r.trim()).filter((r) => r.length > 0))];
    const report = await this.verifyFixity({ refs: unique, deadline, record: true });
    return this.saveReport(report, unique, { source: 'manual', requestedBy: actor.username });
  }

  /** Keeps the report of a check run from the command line (`npm run archive:verify`). */
  async saveCommandReport(report: FixityReport, refs?: string[]): Promise<FixityReportRecord> {
    return this.saveReport(report, refs, { source: 'command' });
  }

  private async saveReport(
    report: FixityReport,
    refs: string[] | undefined,
    by: Pick<FixityReportRecord, 'source' | 'requestedBy'>,
  ): Promise<FixityReportRecord> {
    const { at } = this.now();
    const record: FixityReportRecord = {
      reportId: randomUUID(),
      ...by,
      startedAt: at,
      updatedAt: at,
      state: report.complete ? 'done' : 'incomplete',
      ...(refs && refs.length > 0 ? { refs: refs.slice(0, 50), notFound: report.notFound.slice(0, 50) } : {}),
      packages: report.packages,
      files: report.files,
      problems: report.problems.length,
      problemList: report.problems.slice(0, FIXITY_REPORT_MAX_PROBLEMS),
    };
    await this.deps.archive.saveFixityReport(record);
    return record;
  }

  /** The fixity reports, newest first, with the scheduled pass in progress (archivists). */
  async fixityReports(actor: Actor, limit: number, cursor?: string): Promise<Page<FixityReportRecord> & { pass: FixityPass | null }> {
    requireRole(actor, 'archivist');
    const [page, pass] = await Promise.all([this.deps.archive.listFixityReports(limit, cursor), this.deps.archive.getFixityPass()]);
    return { ...page, pass: pass ? { ...pass, problemList: undefined } : null };
  }

  private async recordProblems(job: ArchiveJob, problems: FixityProblem[]): Promise<void> {
    await this.deps.repo.appendEvent(job.caseNo, {
      at: this.now().at,
      actor: systemActor('archive-fixity'),
      type: 'archive.fixity-failed',
      data: { archiveNo: job.archiveNo, problems: problems.map((p) => ({ path: p.path, problem: p.problem })) },
    });
  }

  /** A package by archive number, or by the case number of an archived case. */
  async findJob(ref: string): Promise<ArchiveJob | null> {
    const byNo = await this.deps.archive.findByArchiveNo(ref.trim());
    if (byNo) return byNo;
    const job = await this.deps.archive.getJob(normaliseCaseNumber(ref));
    return job && job.manifestSha256 ? job : null;
  }
}

/** The report of a scheduled pass (the pass id is the report's). */
function passReport(pass: FixityPass): FixityReportRecord {
  return {
    reportId: pass.passId,
    source: 'scheduled',
    startedAt: pass.startedAt,
    updatedAt: pass.updatedAt,
    state: pass.state,
    packages: pass.packages,
    files: pass.files,
    problems: pass.problems,
    problemList: pass.problemList ?? [],
  };
}
