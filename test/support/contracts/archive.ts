/**
 * The contract of ArchiveRepository, ArchiveStorage, ArchiveDisposal and DocumentStorage: job
 * numbers without gaps, leases, the archive commit conditional on the case and the job held,
 * disposal only from the state expected, the search entries; and the buckets' copies, re-reads,
 * quarantine and refusal to destroy anything still under retention. Run against the in-memory
 * fakes and the DynamoDB / S3 adapters.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RetentionNotEndedError, type ArchiveDisposal, type ArchiveJob, type ArchiveRepository, type ArchiveStorage } from '../../../shared/app/archive-ports';
import type { CaseRepository, DocumentStorage } from '../../../shared/app/ports';
import { formatArchiveNo, type ArchiveSummary } from '../../../shared/domain/archive';
import type { Case } from '../../../shared/domain/case';
import { ConflictError } from '../../../shared/domain/errors';
import { event, newTestCase, uniquePrefix } from './builders';

export interface ArchiveUnderTest {
  repo: CaseRepository;
  archive: ArchiveRepository;
}

export interface StorageUnderTest {
  documents: DocumentStorage;
  archiveStore: ArchiveStorage;
  disposal: ArchiveDisposal;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function summaryOf(job: ArchiveJob, c: Case, category: string): ArchiveSummary {
  return {
    archiveNo: job.archiveNo,
    caseNo: c.caseNo,
    year: job.year,
    retention: job.retention,
    retentionLabel: '10年',
    retentionEnds: job.retentionEnds,
    subject: c.subject,
    category,
    itemType: c.itemType,
    departments: ['HRSS'],
    petitioners: ['张*华'],
    receivedOn: c.receivedOn,
    archivedAt: '2026-06-01T02:00:00.000Z',
  };
}

export function archiveRepositoryContract(name: string, make: () => ArchiveUnderTest) {
  describe(`ArchiveRepository contract: ${name}`, () => {
    const setup = async (h: ArchiveUnderTest) => {
      const prefix = uniquePrefix();
      const c = await h.repo.createCase({
        case: newTestCase(prefix, 1),
        caseNumber: { prefix, year: 2026, seq: 1 },
        event: event('case.registered'),
        documents: [],
      });
      const fonds = prefix;
      const partial: Omit<ArchiveJob, 'item' | 'archiveNo'> = {
        caseNo: c.caseNo,
        fonds,
        year: 2026,
        retention: '10y',
        retentionReason: 'default',
        retentionSource: 'default',
        retentionEnds: '2037-01-01',
        lockUntil: '2036-12-31T16:00:00.000Z',
        state: 'allocated',
        createdAt: '2026-06-01T02:00:00.000Z',
        updatedAt: '2026-06-01T02:00:00.000Z',
        attempts: 0,
      };
      return { c, fonds, partial, formatNo: (item: number) => formatArchiveNo({ fonds, year: 2026, retention: '10y', item }) };
    };

    it('allocates one job per case with the next item number of its series, and reuses it when asked again', async () => {
      const h = make();
      const one = await setup(h);
      const job = await h.archive.createJob(one.partial, one.formatNo);
      expect(job).toMatchObject({ caseNo: one.c.caseNo, item: 1, archiveNo: one.formatNo(1), state: 'allocated' });
      expect(await h.archive.createJob(one.partial, one.formatNo)).toEqual(job);
      expect(await h.archive.getJob(one.c.caseNo)).toEqual(job);
      const prefix = uniquePrefix();
      const other = await h.repo.createCase({
        case: newTestCase(prefix, 1),
        caseNumber: { prefix, year: 2026, seq: 1 },
        event: event('case.registered'),
        documents: [],
      });
      const second = await h.archive.createJob({ ...one.partial, caseNo: other.caseNo }, one.formatNo);
      expect(second.item).toBe(2);
    });

    it('leases a job to one run; a failure is counted and gives the lease back', async () => {
      const h = make();
      const { c, partial, formatNo } = await setup(h);
      await h.archive.createJob(partial, formatNo);
      expect(await h.archive.claimJob(c.caseNo, 'run-a', '2026-06-01T03:00:00.000Z', '2026-06-01T02:00:00.000Z')).toBe(true);
      expect(await h.archive.claimJob(c.caseNo, 'run-b', '2026-06-01T03:00:00.000Z', '2026-06-01T02:30:00.000Z')).toBe(false);
      expect(await h.archive.claimJob(c.caseNo, 'run-a', '2026-06-01T04:00:00.000Z', '2026-06-01T02:30:00.000Z')).toBe(true);
      await h.archive.recordFailure(c.caseNo, 'copy failed', '2026-06-01T02:40:00.000Z', 'run-b');
      expect((await h.archive.getJob(c.caseNo))?.attempts).toBe(0);
      await h.archive.recordFailure(c.caseNo, 'copy failed', '2026-06-01T02:40:00.000Z', 'run-a');
      expect(await h.archive.getJob(c.caseNo)).toMatchObject({ attempts: 1, lastError: 'copy failed' });
      expect(await h.archive.claimJob(c.caseNo, 'run-b', '2026-06-01T05:00:00.000Z', '2026-06-01T02:45:00.000Z')).toBe(true);
      expect(await h.archive.claimJob('XX-2026-999999', 'run-b', '2026-06-01T05:00:00.000Z', '2026-06-01T02:45:00.000Z')).toBe(false);
    });

    it('commits the archive only for the run holding the job and the case as read; then purge, search, disposal and its register', async () => {
      const h = make();
      const { c, partial, formatNo } = await setup(h);
      const category = `cat-${c.caseNo}`;
      const allocated = await h.archive.createJob(partial, formatNo);
      expect(await h.archive.claimJob(c.caseNo, 'run-a', '2026-06-01T03:00:00.000Z', '2026-06-01T02:00:00.000Z')).toBe(true);
      const archivedCase: Case = { ...c, status: 'archived', version: c.version + 1 };
      const job: ArchiveJob = {
        ...allocated,
        state: 'archived',
        archivedAt: '2026-06-01T02:10:00.000Z',
        files: [],
        summary: summaryOf(allocated, c, category),
      };
      await expect(h.archive.commitArchive(c, archivedCase, event('case.archived'), job, 'run-b')).rejects.toBeInstanceOf(ConflictError);
      await h.repo.appendEvent(c.caseNo, event('document.downloaded'));
      await expect(h.archive.commitArchive(c, archivedCase, event('case.archived'), job, 'run-a')).rejects.toBeInstanceOf(ConflictError);
      expect((await h.repo.getCase(c.caseNo))?.status).toBe('registered');

      const current = (await h.repo.getCase(c.caseNo)) as Case;
      const saved = await h.archive.commitArchive(
        current,
        { ...current, status: 'archived', version: current.version + 1 },
        event('case.archived'),
        job,
        'run-a',
      );
      expect(saved.status).toBe('archived');
      expect((await h.repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'document.downloaded', 'case.archived']);
      expect((await h.archive.jobsWithWork('purge', 100)).map((j) => j.caseNo)).toContain(c.caseNo);
      expect(await h.archive.findByArchiveNo(job.archiveNo)).toMatchObject({ caseNo: c.caseNo, state: 'archived' });
      expect((await h.archive.search({ category, limit: 10 })).items).toEqual([job.summary]);
      expect((await h.archive.search({ category, year: 2025, limit: 10 })).items).toEqual([]);
      expect((await h.archive.search({ archiveNo: job.archiveNo, limit: 10 })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
      // The fixity pass resumes after the last package it checked: before it (a shorter number of its series) the package is next, after it not.
      const before = h.archive.resumeAfter({ year: job.year, archiveNo: job.archiveNo.slice(0, -1) });
      expect((await h.archive.listArchived(1, before)).items.map((j) => j.caseNo)).toEqual([c.caseNo]);
      expect((await h.archive.listArchived(1, h.archive.resumeAfter(job))).items.map((j) => j.caseNo)).not.toContain(c.caseNo);

      expect(await h.archive.completePurge(c.caseNo, event('archive.originals-removed'))).toBe(true);
      expect(await h.archive.completePurge(c.caseNo, event('archive.originals-removed'))).toBe(false);
      expect((await h.archive.jobsWithWork('purge', 100)).map((j) => j.caseNo)).not.toContain(c.caseNo);
      expect((await h.archive.disposalDue('2037-01-01', 100)).items.map((j) => j.caseNo)).toContain(c.caseNo);
      expect((await h.archive.disposalDue('2036-12-31', 100)).items.map((j) => j.caseNo)).not.toContain(c.caseNo);

      const purged = (await h.archive.getJob(c.caseNo)) as ArchiveJob;
      const proposal = { state: 'proposed' as const, reason: '保管期满', proposedBy: 'archivist1', proposedAt: '2037-01-02T02:00:00.000Z' };
      await expect(h.archive.saveDisposal(purged, proposal, 'proposed', event('archive.disposal-proposed'))).rejects.toBeInstanceOf(ConflictError);
      await h.archive.saveDisposal(purged, proposal, null, event('archive.disposal-proposed'));
      await expect(h.archive.saveDisposal(purged, proposal, null, event('archive.disposal-proposed'))).rejects.toBeInstanceOf(ConflictError);
      const approved = { ...proposal, state: 'approved' as const, approvedBy: 'director1', approvedAt: '2037-01-03T02:00:00.000Z' };
      await h.archive.saveDisposal(purged, approved, 'proposed', event('archive.disposal-approved'));
      expect((await h.archive.jobsWithWork('dispose', 100)).map((j) => j.caseNo)).toContain(c.caseNo);
      const destroyed = { ...approved, state: 'destroyed' as const, destroyedAt: '2037-01-04T02:00:00.000Z', destroyed: [] };
      await h.archive.completeDisposal({ ...purged, disposal: approved }, destroyed, event('archive.destroyed'));
      await expect(h.archive.completeDisposal({ ...purged, disposal: approved }, destroyed, event('archive.destroyed'))).rejects.toBeInstanceOf(ConflictError);
      expect((await h.archive.jobsWithWork('dispose', 100)).map((j) => j.caseNo)).not.toContain(c.caseNo);
      expect((await h.archive.search({ category, limit: 10 })).items).toEqual([]);
      expect(await h.archive.findByArchiveNo(job.archiveNo)).toMatchObject({ state: 'disposed', disposal: { state: 'destroyed' } });
      expect((await h.repo.listEvents(c.caseNo)).map((e) => e.type).slice(-4)).toEqual([
        'archive.originals-removed',
        'archive.disposal-proposed',
        'archive.disposal-approved',
        'archive.destroyed',
      ]);
    });

    it('grants loans with their event and lists a user’s active ones, latest first', async () => {
      const h = make();
      const { c } = await setup(h);
      const loan = (loanId: string, until: string) => ({
        caseNo: c.caseNo,
        archiveNo: 'X',
        loanId,
        username: 'hrss1',
        purpose: '复查',
        until,
        grantedBy: 'archivist1',
        grantedAt: '2026-06-01T02:00:00.000Z',
      });
      await h.archive.grantLoan(loan('l1', '2026-06-10T00:00:00.000Z'), event('archive.lent'));
      await h.archive.grantLoan(loan('l2', '2026-06-20T00:00:00.000Z'), event('archive.lent'));
      expect((await h.archive.activeLoans(c.caseNo, 'hrss1', '2026-06-05T00:00:00.000Z')).map((l) => l.loanId)).toEqual(['l2', 'l1']);
      expect((await h.archive.activeLoans(c.caseNo, 'hrss1', '2026-06-15T00:00:00.000Z')).map((l) => l.loanId)).toEqual(['l2']);
      expect(await h.archive.activeLoans(c.caseNo, 'housing1', '2026-06-05T00:00:00.000Z')).toEqual([]);
      expect((await h.repo.listEvents(c.caseNo)).filter((e) => e.type === 'archive.lent')).toHaveLength(2);
    });

    it('keeps the fixity pass and lists the fixity reports newest first, a page at a time', async () => {
      const h = make();
      const pass = {
        passId: 'p1',
        startedAt: '2026-06-01T00:00:00.000Z',
        updatedAt: '2026-06-01T00:01:00.000Z',
        state: 'open' as const,
        packages: 1,
        files: 3,
        problems: 0,
      };
      await h.archive.saveFixityPass(pass);
      expect(await h.archive.getFixityPass()).toEqual(pass);
      const report = (startedAt: string, reportId: string) => ({
        reportId,
        source: 'command' as const,
        startedAt,
        updatedAt: startedAt,
        state: 'done' as const,
        packages: 1,
        files: 1,
        problems: 0,
        problemList: [],
      });
      await h.archive.saveFixityReport(report('2026-06-02T00:00:00.000Z', 'b'));
      await h.archive.saveFixityReport(report('2026-06-03T00:00:00.000Z', 'c'));
      await h.archive.saveFixityReport(report('2026-06-01T00:00:00.000Z', 'a'));
      await h.archive.saveFixityReport({ ...report('2026-06-01T00:00:00.000Z', 'a'), state: 'incomplete' });
      const first = await h.archive.listFixityReports(2);
      expect(first.items.map((r) => r.reportId)).toEqual(['c', 'b']);
      const rest = await h.archive.listFixityReports(2, first.cursor);
      expect(rest.items.map((r) => [r.reportId, r.state])).toEqual([['a', 'incomplete']]);
    });
  });
}

export function storageContract(name: string, make: () => StorageUnderTest) {
  describe(`DocumentStorage, ArchiveStorage and ArchiveDisposal contract: ${name}`, () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n%%EOF\n');
    let n = 0;
    const key = () => `uploads/XF-2026-${String(++n).padStart(6, '0')}/${Date.now().toString(36)}-${n}`;

    it('stores, inspects once (size, leading bytes, SHA-256) and quarantines a working object', async () => {
      const { documents } = make();
      const k = key();
      expect(await documents.inspect(k)).toBeNull();
      await documents.put(k, pdf, 'application/pdf');
      const seen = await documents.inspect(k);
      expect(seen).toMatchObject({ size: pdf.byteLength, sha256: sha256(pdf) });
      expect(
        Buffer.from(seen?.firstBytes ?? [])
          .toString('latin1')
          .startsWith('%PDF'),
      ).toBe(true);
      const moved = await documents.quarantine(k);
      expect(moved.startsWith('quarantine/')).toBe(true);
      expect(moved.endsWith(k.slice('uploads/'.length))).toBe(true);
      expect(await documents.inspect(k)).toBeNull();
      expect((await documents.inspect(moved))?.sha256).toBe(sha256(pdf));
      expect(await documents.presignDownload({ key: moved, fileName: '来信.pdf', contentType: 'application/pdf', expiresInSec: 300 })).toContain(
        moved.split('/').at(-1),
      );
      const post = await documents.presignUpload({ key: k, contentType: 'application/pdf', size: pdf.byteLength, expiresInSec: 300 });
      expect(post.fields['Content-Type']).toBe('application/pdf');
    });

    it('copies an object within the bucket (false when the source is missing) and removes one', async () => {
      const { documents } = make();
      const k = key();
      const copy = k.replace(/^uploads\//, 'verified/');
      expect(await documents.copy(k, copy)).toBe(false);
      await documents.put(k, pdf, 'application/pdf');
      expect(await documents.copy(k, copy)).toBe(true);
      await documents.remove(k);
      await documents.remove(k);
      expect(await documents.inspect(k)).toBeNull();
      expect((await documents.inspect(copy))?.sha256).toBe(sha256(pdf));
      const moved = await documents.quarantine(copy);
      expect(moved).toBe(`quarantine/${copy.slice('verified/'.length)}`);
      expect(await documents.inspect(copy)).toBeNull();
    });

    it('lists the keys under a prefix in key order', async () => {
      const { documents } = make();
      const prefix = `uploads/XF-2026-${String(++n).padStart(6, '0')}/`;
      for (const id of ['b', 'a', 'c']) await documents.put(`${prefix}${id}`, pdf, 'application/pdf');
      await documents.put(`${prefix.replace('uploads/', 'verified/')}a`, pdf, 'application/pdf');
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await documents.list(prefix, cursor);
        out.push(...page.keys);
        cursor = page.cursor;
      } while (cursor);
      expect(out).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
      expect((await documents.list(`${prefix}z`)).keys).toEqual([]);
    });

    it('copies an original into the archive, re-reads it with its hash and pages, reads a small object whole, removes the original', async () => {
      const { documents, archiveStore } = make();
      const k = key();
      await documents.put(k, pdf, 'application/pdf');
      const lock = { retainUntil: new Date('2037-01-01T00:00:00+08:00'), legalHold: false };
      const target = `packages/T-${n}/originals/${n}.pdf`;
      expect(await archiveStore.head(target)).toBeNull();
      await archiveStore.copyIn(k, target, lock);
      expect(await archiveStore.head(target)).toEqual({ size: pdf.byteLength });
      expect(await archiveStore.inspect(target)).toEqual({ size: pdf.byteLength, sha256: sha256(pdf) });
      expect((await archiveStore.inspect(target, { pages: true }))?.pages).toBe(2);
      expect(await archiveStore.inspectOriginal(k)).toEqual({ size: pdf.byteLength, sha256: sha256(pdf) });
      await expect(archiveStore.copyIn(`${k}-missing`, `${target}-2`, lock)).rejects.toThrow();

      const manifest = new TextEncoder().encode('{"files":[]}');
      await archiveStore.put(`packages/T-${n}/manifest.json`, manifest, 'application/json', lock);
      expect(await archiveStore.read(`packages/T-${n}/manifest.json`, 1024)).toEqual(manifest);
      await expect(archiveStore.read(`packages/T-${n}/manifest.json`, 4)).rejects.toThrow();
      expect(await archiveStore.read(`packages/T-${n}/none.json`, 1024)).toBeNull();

      await archiveStore.deleteOriginal(k);
      expect(await archiveStore.inspectOriginal(k)).toBeNull();
      expect(await documents.inspect(k)).toBeNull();
      expect(await archiveStore.head(target)).toEqual({ size: pdf.byteLength });
    });

    it('destroys a package only once its retention has ended', async () => {
      const { archiveStore, disposal } = make();
      const ends = new Date('2037-01-01T00:00:00+08:00');
      const target = `packages/T-d${++n}/metadata.json`;
      await archiveStore.put(target, new TextEncoder().encode('{}'), 'application/json', { retainUntil: ends, legalHold: false });
      await expect(disposal.destroy([target], ends, new Date(ends.getTime() - 1))).rejects.toBeInstanceOf(RetentionNotEndedError);
      expect(await archiveStore.head(target)).not.toBeNull();
      await disposal.destroy([target], ends, ends);
      expect(await archiveStore.head(target)).toBeNull();
    });
  });
}
