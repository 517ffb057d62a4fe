/**
 * The archive's use cases over the in-memory fakes (test/support/fakes): the archive run (a
 * package with its manifest, the originals removed only after the commit, a failed commit that
 * leaves the case closed and reuses its number), the archivists' search, retrieval recorded with
 * its purpose, loans, the fixity check finding altered and missing files, and disposal by proposal
 * and approval of another person, refused while under retention.
 */
import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES } from '../../../shared/domain/archive';
import { ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../../../shared/domain/errors';
import { packagePrefix } from '../../../shared/storage/object-keys';
import { fakeApp, type FakeApp } from '../../support/fakes/use-cases';
import { archivist, clerk, director, housing, hrss, opinion, registration } from '../lifecycle/fixtures';

const scan = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Pages /Count 1 >> endobj\n%%EOF\n');

/** A case closed on 2026-05-07, with a verified scan of the letter. */
async function closedCase(app: FakeApp, name = '张建华'): Promise<string> {
  const { registry, ports } = app;
  ports.clock.set('2026-03-02T02:00:00Z');
  const reg = await registry.register(
    clerk,
    registration({
      petitioners: [{ name, idNumber: '11010519491231002X', phone: '13812345678' }],
      uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: '来信扫描件.pdf' }],
    }),
  );
  const caseNo = reg.case.caseNo;
  const [link] = reg.uploads;
  if (!link) throw new Error('no upload link');
  await ports.storage.upload(link.upload, scan);
  await registry.verifyUpload(caseNo, link.documentId);
  ports.clock.set('2026-03-04T02:00:00Z');
  let v = await registry.act(director, caseNo, 'accept', {}, 1);
  v = await registry.act(director, caseNo, 'assign', { deptCode: 'HRSS' }, v.version);
  v = await registry.act(hrss, caseNo, 'answer', opinion, v.version);
  v = await registry.act(director, caseNo, 'approve-reply', {}, v.version);
  v = await registry.act(clerk, caseNo, 'deliver', { deliveredOn: '2026-03-04', method: 'post' }, v.version);
  ports.clock.set('2026-05-07T02:00:00Z');
  await registry.act(clerk, caseNo, 'close', {}, v.version);
  return caseNo;
}

describe('the archive run', () => {
  it('archives a closed case into a package, then removes the originals; a second run finds nothing to do', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const [scanDoc] = (await app.ports.repo.listDocuments(caseNo)).filter((d) => d.kind === 'letter');
    const report = await app.archive.run();
    expect(report.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'archived' })]);
    const outcome = report.cases[0];
    const archiveNo = outcome?.outcome === 'archived' ? outcome.archiveNo : '';
    const c = await app.ports.repo.getCase(caseNo);
    expect(c).toMatchObject({ status: 'archived', archive: { archiveNo } });
    const prefix = packagePrefix(archiveNo);
    const stored = app.ports.buckets.keys('archive').filter((k) => k.startsWith(prefix));
    expect(stored).toEqual(expect.arrayContaining([prefix + PACKAGE_FILES.manifest, prefix + 'metadata.json', prefix + 'registration.pdf']));
    expect(stored.length).toBe(outcome?.outcome === 'archived' ? outcome.files + 1 : 0);
    expect(app.ports.buckets.get('documents', scanDoc?.key ?? '')).toBeUndefined();
    expect((await app.ports.archive.getJob(caseNo))?.state).toBe('purged');
    const types = (await app.ports.repo.listEvents(caseNo)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('case.archived') || t.startsWith('archive.'))).toEqual(['case.archived', expect.stringMatching(/^archive\./)]);
    expect(await app.archive.run()).toMatchObject({ cases: [], disposals: [] });
    expect((await app.archive.archiveCase(caseNo, { who: { system: 'archive-run' }, by: 'test' })).outcome).toBe('already-archived');
  });

  it('a commit that fails leaves the case closed with its originals, and the next run archives it under the same number', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const [scanDoc] = (await app.ports.repo.listDocuments(caseNo)).filter((d) => d.kind === 'letter');
    app.ports.state.failNext('commitArchive', new Error('the table went away'));
    const failed = await app.archive.run();
    expect(failed.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'failed', error: expect.stringContaining('the table went away') })]);
    expect((await app.ports.repo.getCase(caseNo))?.status).toBe('closed');
    expect(app.ports.buckets.get('documents', scanDoc?.key ?? '')).toBeDefined();
    const job = await app.ports.archive.getJob(caseNo);
    expect(job).toMatchObject({ state: 'allocated', attempts: 1 });
    const again = await app.archive.run();
    expect(again.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'archived', archiveNo: job?.archiveNo })]);
    expect(app.ports.buckets.get('documents', scanDoc?.key ?? '')).toBeUndefined();
  });

  it('numbers the packages of a series without gaps; only an archivist runs it on demand or chooses a retention class', async () => {
    const app = fakeApp();
    const first = await closedCase(app, '张一');
    const second = await closedCase(app, '张二');
    await expect(app.archive.run({ actor: clerk })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(app.archive.run({ overrides: [{ caseNo: first, retention: 'permanent', reason: '重大' }] })).rejects.toBeInstanceOf(ForbiddenError);
    const report = await app.archive.run({
      actor: archivist,
      caseNos: [first, second],
      overrides: [
        { caseNo: first, retention: '10y', reason: '一般事项' },
        { caseNo: second, retention: '10y', reason: '一般事项' },
      ],
    });
    const numbers = report.cases.map((o) => (o.outcome === 'archived' ? o.archiveNo : ''));
    expect(numbers.map((n) => n.replace(/\d+$/, ''))).toEqual([numbers[0]?.replace(/\d+$/, ''), numbers[0]?.replace(/\d+$/, '')]);
    expect(numbers.map((n) => Number(n.match(/(\d+)$/)?.[1]))).toEqual([1, 2]);
    expect(await app.ports.archive.getJob(first)).toMatchObject({
      retention: '10y',
      retentionSource: 'override',
      override: { by: 'archivist1', reason: '一般事项' },
    });
  });
});

describe('finding and retrieving a package', () => {
  it('lets an archivist search by archive number, case and petitioner, and retrieve a file with its purpose recorded first', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const report = await app.archive.run();
    const archiveNo = report.cases[0]?.outcome === 'archived' ? report.cases[0].archiveNo : '';
    expect((await app.archive.search(archivist, { archiveNo, limit: 10 })).items.map((s) => s.caseNo)).toEqual([caseNo]);
    expect((await app.archive.search(archivist, { caseNo, limit: 10 })).items.map((s) => s.archiveNo)).toEqual([archiveNo]);
    expect((await app.archive.search(archivist, { petitioner: { idNumber: '11010519491231002X' }, limit: 10 })).items.map((s) => s.archiveNo)).toEqual([
      archiveNo,
    ]);
    expect((await app.archive.search(archivist, { year: 2026, limit: 10 })).items.map((s) => s.archiveNo)).toEqual([archiveNo]);
    await expect(app.archive.search(clerk, { limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);

    const pkg = await app.archive.getPackage(archivist, archiveNo);
    const original = pkg.files.find((f) => f.role === 'original');
    expect(original).toBeDefined();
    await expect(app.archive.download(archivist, archiveNo, original?.path ?? '', ' ')).rejects.toBeInstanceOf(ValidationError);
    const got = await app.archive.download(archivist, archiveNo, original?.path ?? '', '复查信访事项');
    expect(got.url).toContain(packagePrefix(archiveNo));
    expect((await app.ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({
      type: 'archive.file-retrieved',
      data: { purpose: '复查信访事项', via: 'archivist' },
    });
    await expect(app.archive.download(archivist, archiveNo, 'no/such/file.pdf', '复查')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('opens a package to a user only through a loan in force, and only one who could read the case', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const report = await app.archive.run();
    const archiveNo = report.cases[0]?.outcome === 'archived' ? report.cases[0].archiveNo : '';
    await expect(app.archive.getPackage(hrss, archiveNo)).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.archive.lend(hrss, archiveNo, { username: 'hrss1', days: 7, purpose: '复查' })).rejects.toBeInstanceOf(ForbiddenError);
    await app.archive.lend(archivist, archiveNo, { username: 'hrss1', days: 7, purpose: '复查办理情况' });
    await app.archive.lend(archivist, archiveNo, { username: 'housing1', days: 7, purpose: '复查办理情况' });
    expect((await app.archive.getPackage(hrss, archiveNo)).loan).toMatchObject({ purpose: '复查办理情况' });
    await expect(app.archive.getPackage(housing, archiveNo)).rejects.toBeInstanceOf(NotFoundError);
    const file = (await app.archive.getPackage(hrss, archiveNo)).files[0];
    await app.archive.download(hrss, archiveNo, file?.path ?? '', '复查办理情况');
    expect((await app.ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'archive.file-retrieved', data: { via: 'loan' } });
    app.ports.clock.set('2026-06-30T02:00:00Z');
    await expect(app.archive.getPackage(hrss, archiveNo)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('what waits for the archive, and the scheduled fixity pass', () => {
  it('lists the closed cases waiting, with the retention class the rules propose, to archivists only', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    await expect(app.archive.pending(clerk, 10)).rejects.toBeInstanceOf(ForbiddenError);
    const { items } = await app.archive.pending(archivist, 10);
    expect(items).toEqual([
      expect.objectContaining({
        caseNo,
        closedOn: '2026-05-07',
        proposedRetention: expect.objectContaining({ retention: expect.any(String), reason: expect.any(String) }),
      }),
    ]);
    expect(items[0]).not.toHaveProperty('job');
    await app.archive.run();
    expect((await app.archive.pending(archivist, 10)).items).toEqual([]);
  });

  it('goes over every package in archive-number order, resumes an unfinished pass, and keeps its report', async () => {
    const app = fakeApp();
    await closedCase(app, '张一');
    await closedCase(app, '张二');
    await app.archive.run();
    // Time up before the first package: the pass stays open with its report.
    const stopped = await app.archive.fixityPass('start', 0);
    expect(stopped.pass).toMatchObject({ state: 'open', packages: 0 });
    const resumed = await app.archive.fixityPass('continue');
    expect(resumed.pass).toMatchObject({ state: 'done', packages: 2, problems: 0, passId: stopped.pass?.passId });
    expect((await app.archive.fixityPass('continue')).pass?.state).toBe('done');
    await expect(app.archive.fixityReports(director, 10)).rejects.toBeInstanceOf(ForbiddenError);
    const reports = await app.archive.fixityReports(archivist, 10);
    expect(reports.items).toEqual([expect.objectContaining({ source: 'scheduled', state: 'done', packages: 2, problems: 0 })]);
    expect(reports.pass).toMatchObject({ state: 'done', packages: 2 });
    // A new pass while one is open supersedes it; its report says incomplete.
    app.ports.clock.set('2026-05-20T02:00:00Z');
    await app.archive.fixityPass('start', 0);
    app.ports.clock.set('2026-06-01T02:00:00Z');
    const next = await app.archive.fixityPass('start');
    expect(next.supersededPass?.state).toBe('open');
    expect((await app.archive.fixityReports(archivist, 10)).items.map((r) => r.state)).toEqual(['done', 'incomplete', 'done']);
  });
});

describe('fixity and disposal', () => {
  it('finds an altered and a missing file of a package, and records the problems', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const report = await app.archive.run();
    const archiveNo = report.cases[0]?.outcome === 'archived' ? report.cases[0].archiveNo : '';
    expect(await app.archive.verifyFixity()).toMatchObject({ packages: 1, problems: [], complete: true });
    const prefix = packagePrefix(archiveNo);
    const metadata = app.ports.buckets.get('archive', prefix + 'metadata.json');
    if (!metadata) throw new Error('no metadata.json');
    app.ports.buckets.set('archive', prefix + 'metadata.json', { ...metadata, bytes: new TextEncoder().encode('{"altered":true}') });
    app.ports.buckets.delete('archive', prefix + 'registration.pdf');
    const checked = await app.archive.verifyFixity({ refs: [archiveNo, 'X001-2026-D30-9999'], record: true });
    expect(checked.notFound).toEqual(['X001-2026-D30-9999']);
    expect(checked.problems.map((p) => [p.path, p.problem]).sort()).toEqual([
      ['metadata.json', 'mismatch'],
      ['registration.pdf', 'missing'],
    ]);
    expect((await app.ports.repo.listEvents(caseNo)).some((e) => e.type.startsWith('archive.fixity'))).toBe(true);
    // The command line's check is kept for the archivists beside the scheduled passes.
    const record = await app.archive.saveCommandReport(checked, [archiveNo, 'X001-2026-D30-9999']);
    expect((await app.archive.fixityReports(archivist, 10)).items).toEqual([record]);
    expect(record).toMatchObject({ source: 'command', state: 'done', problems: 2, notFound: ['X001-2026-D30-9999'] });
    expect((await app.archive.findJob(caseNo))?.archiveNo).toBe(archiveNo);
    expect((await app.archive.findJob(archiveNo))?.caseNo).toBe(caseNo);
  });

  it('destroys a fixed-term package only after its retention ended, on an archivist’s proposal approved by a director', async () => {
    const app = fakeApp();
    const caseNo = await closedCase(app);
    const report = await app.archive.run({ actor: archivist, caseNos: [caseNo], overrides: [{ caseNo, retention: '10y', reason: '一般事项' }] });
    const archiveNo = report.cases[0]?.outcome === 'archived' ? report.cases[0].archiveNo : '';
    const job = await app.ports.archive.getJob(caseNo);
    expect(job?.retentionEnds).toBe('2037-01-01');
    await expect(app.archive.proposeDisposal(archivist, archiveNo, '保管期满')).rejects.toBeInstanceOf(RuleViolationError);

    app.ports.clock.set('2037-01-02T02:00:00Z');
    expect((await app.archive.disposalList(director, undefined, 10)).items.map((i) => i.archiveNo)).toEqual([archiveNo]);
    await expect(app.archive.proposeDisposal(director, archiveNo, '保管期满')).rejects.toBeInstanceOf(ForbiddenError);
    await app.archive.proposeDisposal(archivist, archiveNo, '保管期满，经鉴定无继续保存价值');
    await expect(app.archive.proposeDisposal(archivist, archiveNo, '再次')).rejects.toBeInstanceOf(RuleViolationError);
    const selfApprover = { ...director, username: 'archivist1' };
    await expect(app.archive.approveDisposal(selfApprover, archiveNo)).rejects.toBeInstanceOf(RuleViolationError);
    await app.archive.approveDisposal(director, archiveNo, '同意销毁');
    const run = await app.archive.run();
    expect(run.disposals).toEqual([{ archiveNo, outcome: 'destroyed' }]);
    expect(app.ports.buckets.keys('archive').filter((k) => k.startsWith(packagePrefix(archiveNo)))).toEqual([]);
    expect(await app.ports.archive.getJob(caseNo)).toMatchObject({ state: 'disposed', disposal: { state: 'destroyed', approvedBy: 'director1' } });
    expect((await app.archive.getPackage(archivist, archiveNo)).files).toEqual([]);
    await expect(app.archive.download(archivist, archiveNo, 'metadata.json', '查阅')).rejects.toBeInstanceOf(RuleViolationError);
  });
});
