/**
 * The archive end to end (issue 5), on the emulators behind the local gateway: a case closed
 * through the HTTP API with two scans, a department's response and three letters is archived as
 * a package whose manifest matches every file and whose registration form lists every document;
 * the originals leave the working bucket only after the archived copies were verified; a second
 * run changes nothing; a copy failing half-way leaves everything in place and the next run
 * finishes with the same archive number; `npm run archive:verify` and the scheduled pass find an
 * altered file and keep their reports for the archivists;
 * retrieval is for archivists (and borrowers) only, and recorded with its purpose; disposal
 * needs a proposal and a director's approval and removes nothing under retention.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArchiveRepository } from '../../shared/adapters/archive-repository';
import { S3ArchiveDisposal, S3ArchiveStore } from '../../shared/adapters/archive-store';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { ArchiveService } from '../../shared/app/archive';
import type { ArchiveStorage } from '../../shared/app/archive-ports';
import { ManifestSchema } from '../../shared/domain/archive';
import { verifyChain, type AuditEvent } from '../../shared/domain/audit';
import { parseOfficeSettings } from '../../shared/domain/office';
import { shanghaiDate } from '../../shared/domain/time';
import { loadLetterFonts } from '../../shared/letters/fonts';
import { registrationRenderer } from '../../shared/letters/registration';
import { LOCAL_CREDENTIALS, LOCAL_S3_CLIENT_OPTIONS } from '../../local/emulators';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { extractPageTexts, normalise } from '../unit/letters/pdf';
import { ifMatch, png, registration, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

const ANSWER = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
  decision: '责令该公司于十五日内足额支付。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

interface Doc {
  documentId: string;
  kind: string;
  letterKind?: string;
  documentNo?: string;
  fileName: string;
  sha256?: string;
  size?: number;
  status: string;
}

/** A scanned letter of `pages` pages. */
async function scan(text: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`${text}, page ${i + 1}`, { x: 72, y: 770, size: 14, font });
  return doc.save();
}

const today = () => shanghaiDate(stack.clock.now());

/**
 * A case through the HTTP API from registration to closing: two scanned letters, a response
 * uploaded by the department, and the letters the transitions issue (receipt, acceptance notice,
 * handling opinion).
 */
async function closedCase(label: string): Promise<{ caseNo: string; documents: Doc[] }> {
  const api = stack.api;
  const scans = [await scan(`${label} letter`, 2), await scan(`${label} attachment`, 3)];
  const reg = await api.post(
    '/cases',
    registration({
      subject: `请求协调解决拖欠工资问题（${label}）`,
      uploads: [
        { kind: 'letter', contentType: 'application/pdf', size: scans[0]?.byteLength, fileName: `来信扫描件-${label}.pdf` },
        { kind: 'attachment', contentType: 'application/pdf', size: scans[1]?.byteLength, fileName: `工资欠条-${label}.pdf` },
      ],
    }),
    { token: t.clerk },
  );
  expect(reg.status).toBe(201);
  const caseNo: string = reg.json.case.caseNo;
  for (const [i, bytes] of scans.entries()) {
    expect((await uploadPresignedPost(reg.json.uploads[i].upload, bytes, { contentType: 'application/pdf' })).status).toBeLessThan(300);
  }
  await stack.settled();
  let v: number = reg.json.case.version;
  const act = async (action: string, body: object, token: string) => {
    const r = await api.post(`/cases/${caseNo}/${action}`, body, { token, headers: ifMatch(v) });
    expect(r.status, `${action}: ${r.text}`).toBe(200);
    v = r.json.version;
    return r.json;
  };
  await act('accept', { warningsOverride: '同一信访人反映的另一事项' }, t.director);
  await act('assign', { deptCode: 'HRSS' }, t.director);
  const image = png();
  const up = await api.post(
    `/cases/${caseNo}/documents`,
    { kind: 'response', contentType: 'image/png', size: image.byteLength, fileName: `现场照片-${label}.png` },
    { token: t.hrss },
  );
  expect(up.status).toBe(201);
  expect((await uploadPresignedPost(up.json.upload, image, { contentType: 'image/png' })).status).toBeLessThan(300);
  await stack.settled();
  v = (await api.get(`/cases/${caseNo}`, { token: t.hrss })).json.version;
  await act('answer', ANSWER, t.hrss);
  await act('approve-reply', {}, t.director);
  const delivered = await act('deliver', { deliveredOn: today(), method: 'post' }, t.clerk);
  // The review window passes.
  stack.clock.set(`${delivered.clocks.reviewRequestWindow.due}T02:00:00Z`);
  stack.clock.advanceDays(1);
  await act('close', {}, t.clerk);
  const c = await api.get(`/cases/${caseNo}`, { token: t.clerk });
  expect(c.json.status).toBe('closed');
  return { caseNo, documents: c.json.documents as Doc[] };
}

function s3Client(): S3Client {
  return new S3Client({ endpoint: stack.endpoints.s3, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS, ...LOCAL_S3_CLIENT_OPTIONS });
}

/** The archive service as archive-run function builds it, over the test stack (an S3 client of our own, to watch or break). */
function archiveRun(s3: S3Client, wrap: (store: ArchiveStorage) => ArchiveStorage = (s) => s) {
  const db = documentClient(stack.clients.dynamodb);
  const settings = parseOfficeSettings(undefined);
  return new ArchiveService({
    repo: new DynamoDbCaseRepository(db, stack.tableName),
    archive: new DynamoDbArchiveRepository(db, stack.tableName),
    store: wrap(new S3ArchiveStore({ s3, archiveBucket: stack.archiveBucketName, documentsBucket: stack.bucketName })),
    disposal: new S3ArchiveDisposal({ s3, archiveBucket: stack.archiveBucketName }),
    clock: stack.clock,
    settings,
    registrationForm: registrationRenderer(() => loadLetterFonts()),
  });
}

async function keys(bucket: string, prefix: string): Promise<string[]> {
  const out = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function object(bucket: string, key: string): Promise<Uint8Array> {
  const out = await stack.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return new Uint8Array(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** The originals in the working bucket: verified uploads (the upload check's copies) and letters; nothing stays under uploads/. */
async function originalsInWorkingBucket(caseNo: string): Promise<string[]> {
  expect(await keys(stack.bucketName, `uploads/${caseNo}/`)).toEqual([]);
  return [...(await keys(stack.bucketName, `verified/${caseNo}/`)), ...(await keys(stack.bucketName, `generated/${caseNo}/`))];
}

async function timeline(caseNo: string, token = t.clerk): Promise<AuditEvent[]> {
  const r = await stack.api.get(`/cases/${caseNo}/timeline`, { token });
  expect(r.status).toBe(200);
  return r.json.events as AuditEvent[];
}

let first: { caseNo: string; archiveNo: string; documents: Doc[] };

describe('archiving a closed case', () => {
  it('builds a verified package, marks the case archived, and only then removes the originals', async () => {
    const { caseNo, documents } = await closedCase('A');
    const originals = documents.filter((d) => d.status === 'verified');
    expect(originals.map((d) => d.kind).sort()).toEqual(['attachment', 'generated', 'generated', 'generated', 'letter', 'response']);
    expect(
      originals
        .filter((d) => d.kind === 'generated')
        .map((d) => d.letterKind)
        .sort(),
    ).toEqual(['acceptance-notice', 'handling-opinion', 'receipt']);
    expect(await originalsInWorkingBucket(caseNo)).toHaveLength(6);

    // Watch the archive run's storage calls, and the case's status at each removal.
    const calls: { op: string; key: string; caseStatus?: string }[] = [];
    const repo = new DynamoDbCaseRepository(documentClient(stack.clients.dynamodb), stack.tableName);
    const watch = (store: ArchiveStorage): ArchiveStorage => ({
      copyIn: async (source, target, lock) => (calls.push({ op: 'copy', key: target }), store.copyIn(source, target, lock)),
      put: async (target, bytes, ct, lock) => (calls.push({ op: 'put', key: target }), store.put(target, bytes, ct, lock)),
      head: (target) => store.head(target),
      inspect: async (target, o) => (calls.push({ op: 'verify', key: target }), store.inspect(target, o)),
      read: (target, max) => store.read(target, max),
      presignDownload: (...a) => store.presignDownload(...a),
      inspectOriginal: (source) => store.inspectOriginal(source),
      deleteOriginal: async (source) => {
        calls.push({ op: 'delete', key: source, caseStatus: (await repo.getCase(caseNo))?.status });
        return store.deleteOriginal(source);
      },
    });
    const report = await archiveRun(s3Client(), watch).run({ caseNos: [caseNo] });
    expect(report.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'archived', files: 8 })]);
    const archiveNo = (report.cases[0] as { archiveNo: string }).archiveNo;
    expect(archiveNo).toMatch(/^X001-2026-D30-\d{4}$/);
    first = { caseNo, archiveNo, documents: originals };

    // Every archived copy was re-read before the first original was removed, and the case was archived by then.
    const deletes = calls.filter((c) => c.op === 'delete');
    expect(deletes).toHaveLength(6);
    const firstDelete = calls.findIndex((c) => c.op === 'delete');
    const verified = calls
      .slice(0, firstDelete)
      .filter((c) => c.op === 'verify')
      .map((c) => c.key);
    expect(new Set(verified).size).toBe(9); // six originals, metadata, registration form, manifest
    expect(calls.slice(firstDelete).some((c) => c.op !== 'delete')).toBe(false);
    expect(deletes.every((d) => d.caseStatus === 'archived')).toBe(true);
    expect(await originalsInWorkingBucket(caseNo)).toEqual([]);

    // The case shows its archive number.
    const c = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect(c.json.status).toBe('archived');
    expect(c.json.archive).toMatchObject({ archiveNo, retention: '30y', retentionEnds: '2057-01-01', files: 8 });

    // The manifest matches every file of the package, and its hash is the one on the case.
    const prefix = `packages/${archiveNo}/`;
    const manifestBytes = await object(stack.archiveBucketName, `${prefix}manifest.json`);
    expect(sha256(manifestBytes)).toBe(c.json.archive.manifestSha256);
    const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));
    expect(manifest).toMatchObject({ archiveNo, caseNo, retention: '30y' });
    expect((await keys(stack.archiveBucketName, prefix)).sort()).toEqual([...manifest.files.map((f) => prefix + f.path), `${prefix}manifest.json`].sort());
    for (const f of manifest.files) {
      const bytes = await object(stack.archiveBucketName, prefix + f.path);
      expect({ path: f.path, size: bytes.byteLength, sha256: sha256(bytes) }).toEqual({ path: f.path, size: f.size, sha256: f.sha256 });
    }
    // ...and the originals are byte for byte what was uploaded or generated.
    for (const d of originals) {
      expect(manifest.files.find((f) => f.documentId === d.documentId)).toMatchObject({ sha256: d.sha256, size: d.size, role: 'original' });
    }
    expect(manifest.files.find((f) => f.fileName === '来信扫描件-A.pdf')?.pages).toBe(2);
    expect(manifest.files.find((f) => f.fileName === '工资欠条-A.pdf')?.pages).toBe(3);

    // registration.pdf lists every document with its title, date, pages and SHA-256.
    const form = normalise((await extractPageTexts(await object(stack.archiveBucketName, `${prefix}registration.pdf`))).join(''));
    for (const expected of ['归档登记表', '卷内目录', archiveNo, caseNo, '30年', '一般信访事项的办理材料', '人力资源和社会保障局', '予以支持'])
      expect(form).toContain(normalise(expected));
    for (const f of manifest.files.filter((x) => x.role === 'original')) {
      expect(form).toContain(normalise(f.title));
      expect(form).toContain(f.sha256.slice(0, 32));
      expect(form).toContain(f.sha256.slice(32));
      expect(form).toContain(f.date);
    }
    expect(form).toContain('受理告知书');
    expect(form).toContain('信访处理意见书');
    expect(form).toContain('受理凭证');

    // metadata.json: the case, clocks with derivations, documents and the full audit chain.
    const metadata = JSON.parse(new TextDecoder().decode(await object(stack.archiveBucketName, `${prefix}metadata.json`)));
    expect(metadata).toMatchObject({ archiveNo, case: { caseNo, status: 'closed' }, retention: { class: '30y', label: '30年' } });
    expect(metadata.case.queryCodeHash).toBeUndefined();
    expect(metadata.clocks.handling.derivation.due).toBe(metadata.clocks.handling.due);
    expect(metadata.documents).toHaveLength(6);
    expect(verifyChain(caseNo, metadata.auditChain.events)).toEqual({ ok: true, count: metadata.auditChain.events.length });
    expect(metadata.auditChain.head).toEqual(manifest.auditHead);

    // The archiving is in the case's audit chain, which stays intact.
    const events = await timeline(caseNo);
    expect(verifyChain(caseNo, events)).toEqual({ ok: true, count: events.length });
    const archived = events.find((e) => e.type === 'case.archived');
    expect(archived?.data).toMatchObject({ archiveNo, manifestSha256: c.json.archive.manifestSha256, from: 'closed', to: 'archived' });
    expect(archived?.prevHash).toBe(manifest.auditHead.hash);
    expect(events.at(-1)?.type).toBe('archive.originals-removed');

    // A clerk can no longer download the case's files through the case: they are in the archive.
    const letter = originals.find((d) => d.kind === 'letter') as Doc;
    expect((await stack.api.get(`/cases/${caseNo}/documents/${letter.documentId}/download`, { token: t.clerk })).status).toBe(409);
  }, 120_000);

  it('changes nothing when it runs again', async () => {
    const { caseNo, archiveNo } = first;
    const before = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    const objects = async () => {
      const out = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.archiveBucketName, Prefix: `packages/${archiveNo}/` }));
      return (out.Contents ?? []).map((o) => ({ key: o.Key, etag: o.ETag, modified: o.LastModified?.toISOString() }));
    };
    const objectsBefore = await objects();
    // On demand by an archivist for this case, and the scheduled run over everything.
    const again = await stack.api.post('/archive/run', { caseNos: [caseNo] }, { token: t.archivist });
    expect(again.status).toBe(200);
    expect(again.json.cases).toEqual([{ caseNo, outcome: 'already-archived', archiveNo }]);
    const scheduled = await archiveRun(s3Client()).run();
    expect(scheduled.cases.filter((c) => c.caseNo === caseNo)).toEqual([]);
    const after = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect({ version: after.json.version, events: after.json.timeline.length }).toEqual({ version: before.json.version, events: before.json.timeline.length });
    expect(await objects()).toEqual(objectsBefore);
  }, 60_000);

  it('leaves the case closed with every original in place when a copy fails half-way, and the next run completes it', async () => {
    const { caseNo } = await closedCase('B');
    const s3 = s3Client();
    let copies = 0;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CopyObjectCommand' && ++copies === 3) {
          throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $fault: 'server' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectCopyFailure' },
    );
    const failed = await archiveRun(s3).run({ caseNos: [caseNo] });
    expect(failed.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'failed', error: expect.stringContaining('internal error') })]);
    const archiveNo = (failed.cases[0] as { archiveNo: string }).archiveNo;
    expect(archiveNo).toMatch(/^X001-2026-D30-\d{4}$/);
    expect((await stack.api.get(`/cases/${caseNo}`, { token: t.clerk })).json.status).toBe('closed');
    expect(await originalsInWorkingBucket(caseNo)).toHaveLength(6);
    expect((await timeline(caseNo)).some((e) => e.type.startsWith('archive.') || e.type === 'case.archived')).toBe(false);

    const retried = await archiveRun(s3Client()).run({ caseNos: [caseNo] });
    expect(retried.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'archived', archiveNo })]);
    expect((await stack.api.get(`/cases/${caseNo}`, { token: t.clerk })).json.archive.archiveNo).toBe(archiveNo);
    expect(await originalsInWorkingBucket(caseNo)).toEqual([]);
    const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(await object(stack.archiveBucketName, `packages/${archiveNo}/manifest.json`))));
    expect(manifest.files.filter((f) => f.role === 'original')).toHaveLength(6);
  }, 120_000);
});

describe('two runs at once', () => {
  it('archive a case once: one builds the package, the other leaves it alone, and the package verifies', async () => {
    const { caseNo } = await closedCase('D');
    const [a, b] = await Promise.all([archiveRun(s3Client()).run({ caseNos: [caseNo] }), archiveRun(s3Client()).run({ caseNos: [caseNo] })]);
    const outcomes = [a.cases[0]?.outcome, b.cases[0]?.outcome].sort();
    expect(outcomes.filter((o) => o === 'archived')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'archived').every((o) => o === 'busy' || o === 'already-archived')).toBe(true);
    const events = await timeline(caseNo);
    expect(events.filter((e) => e.type === 'case.archived')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'archive.originals-removed')).toHaveLength(1);
    const fixity = await archiveRun(s3Client()).verifyFixity({ refs: [caseNo] });
    expect(fixity).toMatchObject({ packages: 1, problems: [], notFound: [] });
  }, 120_000);
});

describe('retrieval', () => {
  it('is for archivists: a department token can neither search nor download', async () => {
    const { caseNo, archiveNo } = first;
    const api = stack.api;
    expect((await api.get('/archive/search?year=2026', { token: t.hrss })).status).toBe(403);
    expect((await api.get(`/archive/search?caseNo=${caseNo}`, { token: t.clerk })).status).toBe(403);
    expect((await api.get(`/archive/packages/${archiveNo}`, { token: t.hrss })).status).toBe(404);
    const denied = await api.post(`/archive/packages/${archiveNo}/download`, { path: 'registration.pdf', purpose: '核对办理情况' }, { token: t.hrss });
    expect(denied.status).toBe(404);
    expect(denied.text).not.toContain('http');

    // An archivist finds the case by each search field.
    const found = async (query: string) => {
      const r = await api.get(`/archive/search?${query}`, { token: t.archivist });
      expect(r.status, `${query}: ${r.text}`).toBe(200);
      return (r.json.items as { archiveNo: string }[]).map((i) => i.archiveNo);
    };
    expect(await found(`archiveNo=${archiveNo}`)).toEqual([archiveNo]);
    expect(await found(`caseNo=${caseNo}`)).toEqual([archiveNo]);
    expect(await found('year=2026')).toContain(archiveNo);
    expect(await found('year=2025')).not.toContain(archiveNo);
    expect(await found('category=labour')).toContain(archiveNo);
    expect(await found('deptCode=HRSS&year=2026')).toContain(archiveNo);
    expect(await found('deptCode=HOUSING')).not.toContain(archiveNo);
    expect(await found('retention=30y')).toContain(archiveNo);
    expect(await found('retention=permanent')).not.toContain(archiveNo);
    expect(await found(`petitionerIdNumber=11010519491231002X`)).toContain(archiveNo);
    const hit = (await api.get(`/archive/search?archiveNo=${archiveNo}`, { token: t.archivist })).json.items[0];
    expect(JSON.stringify(hit)).not.toContain('13812345678');
    expect(hit.petitioners).toEqual(['张**']);
  });

  it('records an archivist’s download with its purpose in the case’s audit trail', async () => {
    const { caseNo, archiveNo, documents } = first;
    const api = stack.api;
    const pkg = await api.get(`/archive/packages/${archiveNo}`, { token: t.archivist });
    expect(pkg.status).toBe(200);
    const scanFile = (pkg.json.files as { path: string; sha256: string; title: string }[]).find((f) => f.title === '来信扫描件：来信扫描件-A.pdf');
    expect(scanFile?.sha256).toBe(documents.find((d) => d.fileName === '来信扫描件-A.pdf')?.sha256);

    expect((await api.post(`/archive/packages/${archiveNo}/download`, { path: scanFile?.path }, { token: t.archivist })).status).toBe(400);
    const link = await api.post(`/archive/packages/${archiveNo}/download`, { path: scanFile?.path, purpose: '复查案件调阅原始来信' }, { token: t.archivist });
    expect(link.status).toBe(200);
    expect(link.json).toMatchObject({ fileName: '来信扫描件-A.pdf', sha256: scanFile?.sha256 });
    const bytes = new Uint8Array(await (await fetch(link.json.url)).arrayBuffer());
    expect(sha256(bytes)).toBe(scanFile?.sha256);

    const events = await timeline(caseNo, t.archivist);
    const retrieval = events.at(-1);
    expect(retrieval).toMatchObject({
      type: 'archive.file-retrieved',
      actor: { username: 'archivist1', roles: ['archivist'] },
      data: { archiveNo, path: scanFile?.path, purpose: '复查案件调阅原始来信', via: 'archivist' },
    });
    expect(verifyChain(caseNo, events).ok).toBe(true);
  });

  it('lets others read a package only through a recorded, time-limited loan', async () => {
    const { caseNo, archiveNo } = first;
    const api = stack.api;
    const lend = (username: string) => api.post(`/archive/packages/${archiveNo}/loans`, { username, days: 7, purpose: '复查需要调阅' }, { token: t.archivist });
    expect((await api.post(`/archive/packages/${archiveNo}/loans`, { username: 'hrss1', days: 7, purpose: '复查' }, { token: t.clerk })).status).toBe(403);
    // Only a user of the office may borrow (issue 11 §2): an unknown login is refused, nothing is lent.
    const unknown = await lend('nobody1');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues).toEqual([expect.objectContaining({ field: 'username' })]);
    expect((await lend('hrss1')).status).toBe(201);
    expect((await lend('housing1')).status).toBe(201);

    const get = await api.get(`/archive/packages/${archiveNo}`, { token: t.hrss });
    expect(get.status).toBe(200);
    expect(get.json.loan.purpose).toBe('复查需要调阅');
    const link = await api.post(`/archive/packages/${archiveNo}/download`, { path: 'registration.pdf', purpose: '核对卷内目录' }, { token: t.hrss });
    expect(link.status).toBe(200);
    // A department the case was never assigned to sees nothing, loan or not.
    expect((await api.get(`/archive/packages/${archiveNo}`, { token: t.housing })).status).toBe(404);
    // Still no search for a borrower.
    expect((await api.get(`/archive/search?archiveNo=${archiveNo}`, { token: t.hrss })).status).toBe(403);

    const events = await timeline(caseNo, t.archivist);
    expect(events.filter((e) => e.type === 'archive.loan-granted').map((e) => e.data.username)).toEqual(['hrss1', 'housing1']);
    expect(events.at(-1)).toMatchObject({ type: 'archive.file-retrieved', actor: { username: 'hrss1' }, data: { via: 'loan', purpose: '核对卷内目录' } });

    stack.clock.advanceDays(8);
    expect((await api.get(`/archive/packages/${archiveNo}`, { token: t.hrss })).status).toBe(404);
  });
});

describe('fixity', () => {
  it('npm run archive:verify reports exactly the archived file that was altered', async () => {
    const { archiveNo } = first;
    const prefix = `packages/${archiveNo}/`;
    const manifest = ManifestSchema.parse(JSON.parse(new TextDecoder().decode(await object(stack.archiveBucketName, `${prefix}manifest.json`))));
    const victim = manifest.files.find((f) => f.fileName === '工资欠条-A.pdf');
    expect(victim).toBeDefined();

    const verify = () =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile('npm', ['run', '--silent', 'archive:verify'], { env: { ...process.env, ...stack.env }, timeout: 60_000 }, (err, stdout) => {
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout });
        });
      });
    const clean = await verify();
    expect(clean.stdout).toMatch(/^OK: \d+ packages?, \d+ files checked$/m);
    expect(clean.code).toBe(0);

    const original = await object(stack.archiveBucketName, prefix + (victim?.path ?? ''));
    const altered = new Uint8Array(original);
    altered[altered.length - 10] = (altered[altered.length - 10] ?? 0) ^ 0xff;
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.archiveBucketName, Key: prefix + (victim?.path ?? ''), Body: altered, ContentType: 'application/pdf' }),
    );

    const dirty = await verify();
    expect(dirty.code).toBe(1);
    const problems = dirty.stdout.split('\n').filter((l) => l.startsWith(archiveNo) || /altered|missing/.test(l));
    expect(problems).toEqual([
      `${archiveNo}  ${first.caseNo}  ${victim?.path}  altered: sha256 ${createHash('sha256').update(altered).digest('hex')}, manifest says ${victim?.sha256}`,
    ]);
    expect(dirty.stdout).toMatch(/^1 PROBLEM: \d+ packages, \d+ files checked$/m);

    // Both checks are kept as reports the archivists read (GET /archive/fixity, a Query, newest first).
    const actualHash = createHash('sha256').update(altered).digest('hex');
    const victimProblem = { archiveNo, caseNo: first.caseNo, path: victim?.path, problem: 'mismatch', expected: victim?.sha256, actual: actualHash };
    const reports = async () => {
      const r = await stack.api.get('/archive/fixity', { token: t.archivist });
      expect(r.status, r.text).toBe(200);
      return r.json as {
        items: { source: string; state: string; packages: number; files: number; problems: number; problemList: object[] }[];
        pass: { state: string } | null;
      };
    };
    const commands = (await reports()).items.filter((r) => r.source === 'command');
    expect(commands).toHaveLength(2);
    expect(commands).toContainEqual(expect.objectContaining({ state: 'done', problems: 0, problemList: [] }));
    expect(commands).toContainEqual(expect.objectContaining({ state: 'done', problems: 1, problemList: [victimProblem] }));

    // The scheduled pass (archive-verify) keeps its report too, and writes the problem into the case's audit trail.
    const pass = await archiveRun(s3Client()).fixityPass('start');
    expect(pass.pass?.state).toBe('done');
    const listed = await reports();
    expect(listed.pass).toMatchObject({ state: 'done', problems: 1 });
    const scheduled = listed.items.find((r) => r.source === 'scheduled');
    expect(scheduled).toMatchObject({ state: 'done', problems: 1, problemList: [victimProblem] });
    expect(scheduled?.packages).toBeGreaterThan(0);
    expect((await timeline(first.caseNo)).filter((e) => e.type === 'archive.fixity-failed')).toHaveLength(1);
    // Archivists only.
    expect((await stack.api.get('/archive/fixity', { token: t.clerk })).status).toBe(403);
    expect((await stack.api.get('/archive/fixity', { token: t.director })).status).toBe(403);
    expect((await stack.api.get('/archive/fixity?limit=1', { token: t.archivist })).json.items).toHaveLength(1);

    // 立即检查: an archivist checks named packages now (POST /archive/fixity/checks); the report,
    // naming who asked, is listed with the others and the problem goes into the case's audit trail again.
    const checked = await stack.api.post('/archive/fixity/checks', { refs: [archiveNo, 'XF-2099-999999', archiveNo] }, { token: t.archivist });
    expect(checked.status, checked.text).toBe(201);
    expect(checked.json).toMatchObject({
      source: 'manual',
      state: 'done',
      packages: 1,
      problems: 1,
      problemList: [victimProblem],
      notFound: ['XF-2099-999999'],
    });
    expect(typeof checked.json.requestedBy).toBe('string');
    expect((await reports()).items).toContainEqual(expect.objectContaining({ reportId: checked.json.reportId, source: 'manual', problems: 1 }));
    expect((await timeline(first.caseNo)).filter((e) => e.type === 'archive.fixity-failed')).toHaveLength(2);
    for (const token of [t.clerk, t.director]) {
      expect((await stack.api.post('/archive/fixity/checks', { refs: [archiveNo] }, { token })).status).toBe(403);
    }
    for (const bad of [{}, { refs: [] }, { refs: [''] }, { refs: Array.from({ length: 11 }, (_, i) => `XF-2026-${i}`) }]) {
      expect((await stack.api.post('/archive/fixity/checks', bad, { token: t.archivist })).status).toBe(400);
    }

    // Put it back for the tests after this one.
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.archiveBucketName, Key: prefix + (victim?.path ?? ''), Body: original, ContentType: 'application/pdf' }),
    );
  }, 120_000);
});

describe('on demand and retention', () => {
  it('archives chosen cases when an archivist asks, with a retention override and its reason', async () => {
    const { caseNo } = await closedCase('C');
    expect((await stack.api.post('/archive/run', { caseNos: [caseNo] }, { token: t.clerk })).status).toBe(403);
    expect((await stack.api.post('/archive/run', { overrides: [{ caseNo, retention: 'permanent' }] }, { token: t.archivist })).status).toBe(400);
    const pending = await stack.api.get('/archive/pending', { token: t.archivist });
    expect(pending.json.items).toContainEqual(expect.objectContaining({ caseNo, proposedRetention: expect.objectContaining({ retention: '30y' }) }));
    const r = await stack.api.post(
      '/archive/run',
      { caseNos: [caseNo], overrides: [{ caseNo, retention: 'permanent', reason: '涉及群体性欠薪，具有长期查考价值' }] },
      { token: t.archivist },
    );
    expect(r.status).toBe(200);
    expect(r.json.cases).toEqual([expect.objectContaining({ caseNo, outcome: 'archived', archiveNo: expect.stringMatching(/^X001-2026-Y-0001$/) })]);
    const c = await stack.api.get(`/cases/${caseNo}`, { token: t.archivist });
    expect(c.json.archive).toMatchObject({ retention: 'permanent', retentionReason: '涉及群体性欠薪，具有长期查考价值' });
    expect(c.json.archive.retentionEnds).toBeUndefined();
    const archived = c.json.timeline.find((e: AuditEvent) => e.type === 'case.archived');
    expect(archived.actor).toMatchObject({ username: 'archivist1' });
    expect(archived.data).toMatchObject({
      retention: 'permanent',
      retentionSource: 'override',
      retentionOverride: { by: 'archivist1', reason: '涉及群体性欠薪，具有长期查考价值' },
    });
  }, 120_000);
});

describe('disposal', () => {
  it('lists a record whose retention ended, destroys it after a proposal and a director’s approval, and keeps the record of it', async () => {
    const api = stack.api;
    // A declined case: 10 years by the default rules.
    const reg = await api.post(
      '/cases',
      registration({ subject: '反映邻里纠纷问题', statutoryRoute: { litigation: true, arbitration: false, reconsideration: false } }),
      { token: t.clerk },
    );
    const caseNo: string = reg.json.case.caseNo;
    const declined = await api.post(
      `/cases/${caseNo}/decline`,
      { route: 'litigation', reason: '该事项已由人民法院受理' },
      { token: t.director, headers: ifMatch(reg.json.case.version) },
    );
    expect(declined.status, declined.text).toBe(200);
    const closed = await api.post(`/cases/${caseNo}/close`, {}, { token: t.clerk, headers: ifMatch(declined.json.version) });
    expect(closed.status).toBe(200);
    const run = await archiveRun(s3Client()).run({ caseNos: [caseNo] });
    const archiveNo = (run.cases[0] as { archiveNo: string }).archiveNo;
    expect(archiveNo).toMatch(/^X001-2026-D10-0001$/);
    const pkg = (await api.get(`/archive/packages/${archiveNo}`, { token: t.archivist })).json;
    expect(pkg.retentionEnds).toBe('2037-01-01');

    // Under retention: not on the list, not proposable.
    expect((await api.get('/archive/disposal', { token: t.archivist })).json.items).toEqual([]);
    expect((await api.post(`/archive/packages/${archiveNo}/disposal`, { reason: '保管期满，经鉴定无继续保存价值' }, { token: t.archivist })).status).toBe(409);

    stack.clock.set('2037-01-02T02:00:00Z');
    const list = await api.get('/archive/disposal', { token: t.director });
    expect(list.json.items.map((i: { archiveNo: string }) => i.archiveNo)).toEqual([archiveNo]);
    expect((await api.post(`/archive/packages/${archiveNo}/disposal`, { reason: '保管期满' }, { token: t.hrss })).status).toBe(403);
    expect((await api.post(`/archive/packages/${archiveNo}/disposal`, { reason: '保管期满，经鉴定无继续保存价值' }, { token: t.archivist })).status).toBe(201);
    expect((await api.post(`/archive/packages/${archiveNo}/disposal/approve`, {}, { token: t.archivist })).status).toBe(403);
    // Nothing is destroyed before the approval.
    await archiveRun(s3Client()).run();
    expect(await keys(stack.archiveBucketName, `packages/${archiveNo}/`)).not.toEqual([]);
    const approved = await api.post(`/archive/packages/${archiveNo}/disposal/approve`, { comment: '同意销毁' }, { token: t.director });
    expect(approved.status).toBe(200);

    const destroyed = await archiveRun(s3Client()).run();
    expect(destroyed.disposals).toEqual([{ archiveNo, outcome: 'destroyed' }]);
    expect(await keys(stack.archiveBucketName, `packages/${archiveNo}/`)).toEqual([]);
    // Other packages, permanent or not yet due, are untouched.
    expect(await keys(stack.archiveBucketName, `packages/${first.archiveNo}/`)).not.toEqual([]);

    const record = (await api.get(`/archive/packages/${archiveNo}`, { token: t.archivist })).json;
    expect(record).toMatchObject({
      state: 'disposed',
      disposal: { state: 'destroyed', proposedBy: 'archivist1', approvedBy: 'director1', reason: '保管期满，经鉴定无继续保存价值' },
    });
    expect(record.disposal.destroyed.length).toBeGreaterThan(0);
    const events = await timeline(caseNo, t.archivist);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['archive.disposal-proposed', 'archive.disposal-approved', 'archive.disposed']);
    expect((await api.get('/archive/disposal', { token: t.archivist })).json.items).toEqual([]);
  }, 120_000);
});
