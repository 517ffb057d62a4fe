/**
 * The archive's use cases (DESIGN §6): the archive run, the archivists' search and retrieval,
 * loans, disposal and the fixity check. Ports only (no AWS SDK): the table through
 * CaseRepository and ArchiveRepository, the archive bucket through ArchiveStorage.
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
import type { OfficeStore } from './directory-ports';
import { createHash, randomUUID } from 'node:crypto';
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
  ManifestSchema,
  MANIFEST_FORMAT,
  metadataBytes,
  originalPath,
  PACKAGE_FILES,
  retentionEnds,
  RETENTION_INFO,
  type ArchiveIdentity,
  type ArchiveLabels,
  type ArchiveSummary,
  type CaseArchiveInfo,
  type Manifest,
  type ManifestFile,
  type RetentionClass,
} from '../domain/archive';
import { verifyChain, type AuditActor } from '../domain/audit';
import type { Case } from '../domain/case';
import type { DocumentRecord } from '../domain/documents';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors';
import { canRead } from '../domain/lifecycle';
import { normaliseCaseNumber } from '../domain/numbers';
import { officeDirectory, type OfficeSettings } from '../domain/office';
import { petitionerIdentityKeys, type HashKey } from '../domain/pii';
import { hasRole, requireRole, type Actor } from '../domain/roles';
import { addDays, shanghaiDate, type Clock } from '../domain/time';
import type { RegistrationRenderer } from '../letters/registration';
import { packagePrefix } from '../storage/object-keys';
import {
  FIXITY_REPORT_MAX_PROBLEMS,
  type ArchiveDisposal,
  type ArchivedObject,
  type ArchiveJob,
  type ArchiveRepository,
  type ArchiveStorage,
  type DisposalRecord,
  type FixityPass,
  type FixityProblem,
  type FixityReportRecord,
  type Loan,
  type ObjectLock,
} from './archive-ports';
import type { CaseRepository, Page } from './ports';
import { auditActor } from './registry';

export interface ArchiveDeps {
  repo: CaseRepository;
  archive: ArchiveRepository;
  store: ArchiveStorage;
  /** Only the archiver destroys; other functions leave it out. */
  disposal?: ArchiveDisposal;
  clock: Clock;
  settings: OfficeSettings;
  /**
   * Renders registration.pdf. Only the archive run needs it, so only the archiver is given one:
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
}

export type { FixityProblem, FixityReportRecord } from './archive-ports';

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

const SYSTEM: AuditActor = { system: 'archive-run' };
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const COMMIT_ATTEMPTS = 3;
/** A run holds a case's job this long: longer than a Lambda invocation can last (15 minutes). */
const LEASE_MS = 16 * 60_000;
/** CopyObject's limit. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ArchiveService {
  constructor(private readonly deps: ArchiveDeps) {}

  private get config() {
    return this.deps.settings.archive;
  }

  private labels(): ArchiveLabels {
    const { settings } = this.deps;
    return {
      organName: settings.letters.organName,
      categoryName: (code) => settings.categories.find((c) => c.code === code)?.name ?? code,
      departmentName: (code) => settings.departments.find((d) => d.code === code)?.name ?? code,
    };
  }

  private now() {
    const now = this.deps.clock.now();
    return { now, at: now.toISOString(), today: shanghaiDate(now) };
  }

  // ---- the archive run ----------------------------------------------------------------------

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
        for (const c of page.items) await one(c.caseNo);
        cursor = page.cursor;
        if (cursor && timeUp()) more = true;
      } while (cursor && !timeUp());
      for (const job of await this.deps.archive.jobsWithWork('dispose', 100)) {
        if (timeUp()) {
          disposals.push({ archiveNo: job.archiveNo, outcome: 'deferred' });
          more = true;
          continue;
        }
        disposals.push(await this.destroy(job));
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
    if (!this.deps.registrationForm) throw new Error('This archive service has no registration-form renderer: only the archiver archives');
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

  // ---- for archivists: what is waiting, search, a package, retrieval, loans -------------------

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

  private async job(archiveNo: string): Promise<ArchiveJob> {
    const job = await this.deps.archive.findByArchiveNo(archiveNo);
    if (!job || (job.state !== 'archived' && job.state !== 'purged' && job.state !== 'disposed')) throw new NotFoundError('archive package', archiveNo);
    return job;
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

  // ---- disposal -----------------------------------------------------------------------------

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

  /** Destroys an approved package (the archiver only); refuses anything still under retention. */
  private async destroy(job: ArchiveJob): Promise<DisposalOutcome> {
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

  // ---- fixity -------------------------------------------------------------------------------

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
          cursor: archiveCursor(job),
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

  /** Keeps the report of a check run from the command line (`npm run archive:verify`). */
  async saveCommandReport(report: FixityReport, refs?: string[]): Promise<FixityReportRecord> {
    const { at } = this.now();
    const record: FixityReportRecord = {
      reportId: randomUUID(),
      source: 'command',
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
      actor: { system: 'archive-fixity' },
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

/** The position of a package in the ARCHIVE#ALL order (its byArchive sort key there). */
export function archiveCursor(job: Pick<ArchiveJob, 'year' | 'archiveNo'>): string {
  return `${job.year}#${job.archiveNo}`;
}
