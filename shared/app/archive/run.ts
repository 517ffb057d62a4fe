/**
 * The archive run (DESIGN §6): every eligible case, or the chosen ones, archived in the order
 * shared/app/archive.ts describes; then the approved disposals (archive-run only); and the queue
 * of closed cases waiting for it.
 */
import { randomUUID } from 'node:crypto';
import {
  archivableDocuments,
  archiveSummary,
  archiveTransition,
  archiveYear,
  buildMetadata,
  buildRegistrationForm,
  decideRetention,
  documentTitle,
  formatArchiveNo,
  lockUntil,
  manifestBytes,
  MANIFEST_FORMAT,
  metadataBytes,
  originalPath,
  PACKAGE_FILES,
  retentionEnds,
  RETENTION_INFO,
  type ArchiveIdentity,
  type CaseArchiveInfo,
  type Manifest,
  type ManifestFile,
  type RetentionClass,
} from '../../domain/archive';
import { verifyChain, type AuditActor } from '../../domain/audit';
import type { Case } from '../../domain/case';
import type { DocumentRecord } from '../../domain/documents';
import { ConflictError, ForbiddenError, RuleViolationError } from '../../domain/errors';
import { normaliseCaseNumber } from '../../domain/numbers';
import { requireRole, type Actor } from '../../domain/roles';
import { shanghaiDate } from '../../domain/time';
import { packagePrefix } from '../../storage/object-keys';
import type { ArchivedObject, ArchiveJob, ObjectLock } from '../archive-ports';
import { auditActor } from '../actor';
import { ArchiveUseCase, COMMIT_ATTEMPTS, LEASE_MS, MAX_COPY_BYTES, message, sha256, SYSTEM } from './context';
import { ArchiveRunError, type ArchiveDeps, type CaseOutcome, type DisposalOutcome, type RunInput, type RunReport } from './types';
import type { ArchiveDisposals } from './disposal';

export class ArchiveRun extends ArchiveUseCase {
  constructor(
    deps: ArchiveDeps,
    private readonly disposal: ArchiveDisposals,
  ) {
    super(deps);
  }

  async run(input: RunInput = {}): Promise<RunReport> {
    if (input.actor) requireRole(input.actor, 'archivist');
    if (input.overrides?.length && !input.actor) throw new ForbiddenError('Only an archivist overrides a retention class');
    const startedAt = this.now().at;
    const timeUp = () => input.deadline !== undefined && Date.now() > input.deadline;
    const who = input.actor ? auditActor(input.actor) : SYSTEM;
    const by = input.actor ? input.actor.displayName || input.actor.username : '定时归档';
    const overrides = new Map((input.overrides ?? []).map((o) => [normaliseCaseNumber(o.caseNo), o]));
    const cases: CaseOutcome[] = [];
    const disposals: DisposalOutcome[] = [];
    let more = false;

    const one = async (caseNo: string) => {
      if (timeUp()) {
        cases.push({ caseNo, outcome: 'deferred' });
        more = true;
        return;
      }
      const o = overrides.get(caseNo);
      cases.push(
        await this.archiveCase(caseNo, {
          who,
          by,
          override: o && input.actor ? { retention: o.retention, reason: o.reason, by: input.actor.username } : undefined,
        }),
      );
    };

    if (input.caseNos) {
      for (const caseNo of new Set(input.caseNos.map(normaliseCaseNumber))) await one(caseNo);
      for (const caseNo of overrides.keys()) if (!cases.some((c) => c.caseNo === caseNo)) await one(caseNo);
    } else {
      // Cases an earlier run archived without finishing, then every closed case, then disposals.
      for (const job of await this.deps.archive.jobsWithWork('purge', 100)) await one(job.caseNo);
      let cursor: string | undefined;
      do {
        const page = await this.deps.archive.closedCases(50, cursor);
        await eachAtMost(
          page.items.map((c) => c.caseNo),
          input.concurrency ?? 1,
          one,
        );
        cursor = page.cursor;
        if (cursor && timeUp()) more = true;
      } while (cursor && !timeUp());
      for (const job of await this.deps.archive.jobsWithWork('dispose', 100)) {
        if (timeUp()) {
          disposals.push({ archiveNo: job.archiveNo, outcome: 'deferred' });
          more = true;
          continue;
        }
        disposals.push(await this.disposal.destroy(job));
      }
    }
    return { startedAt, finishedAt: this.now().at, cases, disposals, more };
  }

  /** Archives one case, or finishes an interrupted one; never throws (the outcome says what happened). */
  async archiveCase(
    caseNo: string,
    ctx: { who: AuditActor; by: string; override?: { retention: RetentionClass; reason: string; by: string } },
  ): Promise<CaseOutcome> {
    let job: ArchiveJob | null = null;
    const lease = randomUUID();
    try {
      for (let attempt = 1; ; attempt++) {
        const c = await this.deps.repo.getCase(caseNo);
        if (!c) return { caseNo, outcome: 'not-found' };
        job = await this.deps.archive.getJob(caseNo);
        if (c.status === 'archived') {
          if (job?.state === 'archived') {
            await this.purge(job, ctx.who);
            return { caseNo, outcome: 'completed', archiveNo: job.archiveNo };
          }
          return { caseNo, outcome: 'already-archived', archiveNo: c.archive?.archiveNo };
        }
        if (c.status !== 'closed') return { caseNo, outcome: 'not-eligible', status: c.status };
        // Never a package without a document the case is still waiting for.
        const pending = (await this.deps.repo.listDocuments(caseNo)).filter((d) => d.status === 'pending');
        if (pending.length > 0) return { caseNo, outcome: 'pending-uploads', documents: pending.length };
        job ??= await this.allocate(c, ctx.override);
        if (ctx.override && ctx.override.retention !== job.retention) {
          throw new RuleViolationError(
            `Archive number ${job.archiveNo} (${RETENTION_INFO[job.retention].label}) is already allocated to this case; its retention class can no longer change`,
          );
        }
        // Leases are about processes running at once: wall-clock time, not the office's clock.
        if (!(await this.deps.archive.claimJob(caseNo, lease, new Date(Date.now() + LEASE_MS).toISOString(), new Date().toISOString()))) {
          return { caseNo, outcome: 'busy', archiveNo: job.archiveNo };
        }
        const pkg = await this.buildPackage(c, job, ctx.by);
        const { now, at } = this.now();
        const info: CaseArchiveInfo = {
          archiveNo: job.archiveNo,
          fonds: job.fonds,
          year: job.year,
          item: job.item,
          retention: job.retention,
          retentionReason: job.retentionReason,
          ...(job.retentionEnds ? { retentionEnds: job.retentionEnds } : {}),
          packagePrefix: packagePrefix(job.archiveNo),
          manifestSha256: pkg.manifestSha256,
          files: pkg.manifest.files.length,
          bytes: pkg.bytes,
          archivedAt: at,
          archivedBy: ctx.by,
        };
        const { next, event } = archiveTransition(c, info, now);
        const archived: ArchiveJob = {
          ...job,
          state: 'archived',
          manifestSha256: pkg.manifestSha256,
          files: pkg.manifest.files,
          summary: archiveSummary(next, info),
          archivedAt: at,
          updatedAt: at,
        };
        try {
          // The event also says why the class was chosen (a rule, or an archivist's override and reason).
          const data = {
            ...event.data,
            retentionReason: job.retentionReason,
            retentionSource: job.retentionSource,
            ...(job.override ? { retentionOverride: job.override } : {}),
          };
          await this.deps.archive.commitArchive(c, next, { at, actor: ctx.who, type: event.type, data }, archived, lease);
        } catch (err) {
          // The case moved meanwhile (an access recorded, a concurrent run): build again from the fresh case.
          if (err instanceof ConflictError && attempt < COMMIT_ATTEMPTS) continue;
          throw err;
        }
        await this.purge(archived, ctx.who);
        return {
          caseNo,
          outcome: 'archived',
          archiveNo: job.archiveNo,
          files: info.files,
          bytes: info.bytes,
          ...(pkg.warnings.length > 0 ? { warnings: pkg.warnings } : {}),
        };
      }
    } catch (err) {
      const error = message(err);
      try {
        if (job) await this.deps.archive.recordFailure(caseNo, error, this.now().at, lease);
      } catch {
        // the report still says what failed
      }
      return { caseNo, outcome: 'failed', ...(job ? { archiveNo: job.archiveNo } : {}), error };
    }
  }

  private async allocate(c: Case, override?: { retention: RetentionClass; reason: string; by: string }): Promise<ArchiveJob> {
    const decision = decideRetention(c, this.config, override);
    const year = archiveYear(c);
    const fonds = this.config.fondsCode;
    const ends = retentionEnds(year, decision.retention);
    const { now, at } = this.now();
    return this.deps.archive.createJob(
      {
        caseNo: c.caseNo,
        fonds,
        year,
        retention: decision.retention,
        retentionReason: decision.reason,
        retentionSource: decision.source,
        ...(decision.override ? { override: decision.override } : {}),
        ...(ends ? { retentionEnds: ends } : {}),
        lockUntil: lockUntil(ends, now, this.config.permanentLockYears).toISOString(),
        state: 'allocated',
        createdAt: at,
        updatedAt: at,
        attempts: 0,
      },
      (item) => formatArchiveNo({ fonds, year, retention: decision.retention, item }),
    );
  }

  private lockOf(job: ArchiveJob): ObjectLock {
    return { retainUntil: new Date(job.lockUntil), legalHold: job.retention === 'permanent' };
  }

  /** Copies (if not there yet) and verifies one original; a copy that does not match is made again once. */
  private async copyAndVerify(d: DocumentRecord, target: string, lock: ObjectLock): Promise<ArchivedObject> {
    const { store } = this.deps;
    const expected = d.sha256 !== undefined && d.size !== undefined ? { sha256: d.sha256, size: d.size } : await store.inspectOriginal(d.key);
    if (!expected) throw new ArchiveRunError(`The original ${d.fileName} (${d.documentId}) is missing from the working bucket`);
    if (expected.size > MAX_COPY_BYTES) {
      throw new ArchiveRunError(
        `The original ${d.fileName} is larger than 5 GB: a single server-side CopyObject cannot copy it (UploadPartCopy would be needed; uploads are limited far below this)`,
      );
    }
    const pages = d.contentType === 'application/pdf';
    const matches = (o: ArchivedObject | null): o is ArchivedObject => o !== null && o.size === expected.size && o.sha256 === expected.sha256;
    const existing = await store.head(target);
    if (!existing || existing.size !== expected.size) await store.copyIn(d.key, target, lock);
    let got = await store.inspect(target, { pages });
    if (!matches(got)) {
      await store.copyIn(d.key, target, lock);
      got = await store.inspect(target, { pages });
      if (!matches(got)) {
        const actual = got as ArchivedObject | null;
        throw new ArchiveRunError(
          `The archived copy of ${d.fileName} (${d.documentId}) does not match its original: SHA-256 ${actual?.sha256 ?? 'missing'}, expected ${expected.sha256}`,
        );
      }
    }
    return got;
  }

  private async putAndVerify(target: string, bytes: Uint8Array, contentType: string, lock: ObjectLock): Promise<{ size: number; sha256: string }> {
    const want = sha256(bytes);
    await this.deps.store.put(target, bytes, contentType, lock);
    const got = await this.deps.store.inspect(target);
    if (!got || got.sha256 !== want || got.size !== bytes.byteLength) throw new ArchiveRunError(`The archived ${target} does not read back as written`);
    return { size: bytes.byteLength, sha256: want };
  }

  private async buildPackage(c: Case, job: ArchiveJob, by: string): Promise<{ manifest: Manifest; manifestSha256: string; bytes: number; warnings: string[] }> {
    const { repo, archive } = this.deps;
    const prefix = packagePrefix(job.archiveNo);
    const lock = this.lockOf(job);
    const [documents, events, records] = await Promise.all([repo.listDocuments(c.caseNo), repo.listEvents(c.caseNo), archive.otherRecords(c.caseNo)]);
    const chain = verifyChain(c.caseNo, events, { head: { seq: c.auditSeq, hash: c.auditHead } });
    if (!chain.ok)
      throw new ArchiveRunError(
        `The audit chain of ${c.caseNo} is broken at event ${chain.brokenAt} (${chain.reason}); it is not archived until that is resolved`,
      );

    const files: ManifestFile[] = [];
    const warnings: string[] = [];
    const paths = new Map<string, string>();
    for (const [i, d] of archivableDocuments(documents).entries()) {
      const path = originalPath(i, d);
      paths.set(d.documentId, path);
      const got = await this.copyAndVerify(d, prefix + path, lock);
      if (got.pagesProblem && d.pages === undefined) warnings.push(`${d.fileName}：${got.pagesProblem}`);
      const pages = d.pages ?? got.pages ?? (d.contentType === 'image/jpeg' || d.contentType === 'image/png' ? 1 : undefined);
      files.push({
        path,
        role: 'original',
        size: got.size,
        sha256: got.sha256,
        contentType: d.contentType,
        title: documentTitle(d),
        date: shanghaiDate(new Date(d.createdAt)),
        ...(pages !== undefined ? { pages } : {}),
        documentId: d.documentId,
        kind: d.kind,
        ...(d.letterKind ? { letterKind: d.letterKind } : {}),
        fileName: d.fileName,
      });
    }

    const { now, at, today } = this.now();
    const id: ArchiveIdentity = {
      archiveNo: job.archiveNo,
      fonds: job.fonds,
      year: job.year,
      item: job.item,
      decision: { retention: job.retention, reason: job.retentionReason, source: job.retentionSource, ...(job.override ? { override: job.override } : {}) },
      retentionEnds: job.retentionEnds,
    };
    const labels = this.labels();
    const form = buildRegistrationForm({ id, case: c, originals: files, labels, archivedOn: today, archivedBy: by });
    if (!this.deps.registrationForm) throw new Error('This archive service has no registration-form renderer: only archive-run archives');
    const registration = await this.deps.registrationForm(form, { date: today });
    const metadata = metadataBytes(buildMetadata({ id, case: c, events, documents, records, paths, labels, generatedAt: at }));

    const metadataFile = await this.putAndVerify(prefix + PACKAGE_FILES.metadata, metadata, 'application/json', lock);
    files.push({ path: PACKAGE_FILES.metadata, role: 'metadata', ...metadataFile, contentType: 'application/json', title: '元数据', date: today });
    const registrationFile = await this.putAndVerify(prefix + PACKAGE_FILES.registration, registration.bytes, 'application/pdf', lock);
    files.push({
      path: PACKAGE_FILES.registration,
      role: 'registration',
      ...registrationFile,
      contentType: 'application/pdf',
      title: '归档登记表、卷内目录',
      date: today,
      pages: registration.pages,
    });

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      archiveNo: job.archiveNo,
      caseNo: c.caseNo,
      fonds: job.fonds,
      year: job.year,
      retention: job.retention,
      retentionEnds: job.retentionEnds ?? null,
      createdAt: now.toISOString(),
      auditHead: { seq: c.auditSeq, hash: c.auditHead },
      files,
    };
    const bytes = manifestBytes(manifest);
    const written = await this.putAndVerify(prefix + PACKAGE_FILES.manifest, bytes, 'application/json', lock);
    return { manifest, manifestSha256: written.sha256, bytes: files.reduce((n, f) => n + f.size, written.size), warnings };
  }

  /** Removes the originals of an archived case from the working bucket, then records it. */
  private async purge(job: ArchiveJob, who: AuditActor): Promise<void> {
    const c = await this.deps.repo.getCase(job.caseNo);
    // Never before the case is archived with this package (the commit is what makes it safe).
    if (c?.status !== 'archived' || c.archive?.archiveNo !== job.archiveNo)
      throw new ArchiveRunError(`${job.caseNo} is not archived as ${job.archiveNo}: originals kept`);
    const originals = archivableDocuments(await this.deps.repo.listDocuments(job.caseNo));
    for (const d of originals) await this.deps.store.deleteOriginal(d.key);
    await this.deps.archive.completePurge(job.caseNo, {
      at: this.now().at,
      actor: who,
      type: 'archive.originals-removed',
      data: { archiveNo: job.archiveNo, files: originals.length },
    });
  }

  /** Closed cases waiting to be archived, with the retention class the rules give them. */
  async pending(actor: Actor, limit: number, cursor?: string) {
    requireRole(actor, 'archivist');
    const page = await this.deps.archive.closedCases(limit, cursor);
    const items = await Promise.all(
      page.items.map(async (c) => {
        const job = await this.deps.archive.getJob(c.caseNo);
        const decision = decideRetention(c, this.config);
        return {
          caseNo: c.caseNo,
          subject: c.subject,
          category: c.category,
          closedOn: c.closed ? shanghaiDate(new Date(c.closed.at)) : undefined,
          proposedRetention: {
            retention: decision.retention,
            label: RETENTION_INFO[decision.retention].label,
            reason: decision.reason,
            source: decision.source,
          },
          ...(job ? { job: { archiveNo: job.archiveNo, retention: job.retention, state: job.state, attempts: job.attempts, lastError: job.lastError } } : {}),
        };
      }),
    );
    return { items, cursor: page.cursor };
  }
}

/** `f` on every item, at most `limit` at once, each started in order. */
async function eachAtMost<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await f(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
