/**
 * The Registry's use cases over the in-memory fakes of the ports (test/support/fakes): registration
 * (numbers, idempotency, refusals that write nothing), transitions (If-Match, concurrent writers,
 * letters numbered with the write), uploads and their check, downloads recorded before the link,
 * who sees what, the public query and rating, dry runs and letter previews that write nothing.
 */
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../shared/domain/audit';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../../../shared/domain/errors';
import { shortLetterHash } from '../../../shared/letters';
import { fakeApp } from '../../support/fakes/use-cases';
import { RegistrationSchema } from '../../../shared/domain/case';
import { parseInput } from '../../../shared/domain/validation';
import { clerk, director, draft, housing, hrss, opinion, registration } from '../lifecycle/fixtures';

const scan = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Pages /Count 1 >> endobj\n%%EOF\n');
const withScan = (over: Parameters<typeof draft>[0] = {}) =>
  registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: '来信扫描件.pdf' }], ...over });

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('registering a case', () => {
  it('numbers cases without gaps, gives a query code once, and hands out an upload link per scan', async () => {
    const { registry, ports } = fakeApp();
    const first = await registry.register(clerk, withScan());
    const second = await registry.register(clerk, registration({ petitioners: [{ name: '李四', phone: '13900000000' }] }));
    expect([first.case.caseNo, second.case.caseNo]).toEqual(['XF-2026-000001', 'XF-2026-000002']);
    expect(first.queryCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(first.case).not.toHaveProperty('queryCodeHash');
    expect(first.uploads).toHaveLength(1);
    expect(first.uploads[0]?.upload.fields.key).toBe(`uploads/XF-2026-000001/${first.uploads[0]?.documentId}`);
    expect((await ports.repo.listDocuments('XF-2026-000001')).map((d) => d.status)).toEqual(['pending']);
    expect((await ports.repo.listEvents('XF-2026-000001')).map((e) => e.type)).toEqual(['case.registered']);
    expect(await ports.repo.registrationsPerMonth('2026-03', '2026-03')).toEqual([{ month: '2026-03', count: 2 }]);
  });

  it('numbers registrations made at the same moment 1…n, each once', async () => {
    const { registry } = fakeApp();
    const all = await Promise.all(
      Array.from({ length: 6 }, (_, i) => registry.register(clerk, registration({ petitioners: [{ name: `并发${i}`, phone: `1370000000${i}` }] }))),
    );
    expect(all.map((r) => r.case.caseNo).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `XF-2026-00000${i + 1}`));
  });

  it('a registration whose write fails takes no number', async () => {
    const { registry, ports } = fakeApp();
    ports.state.failNext('createCase', new Error('the table went away'));
    await expect(registry.register(clerk, registration())).rejects.toThrow('the table went away');
    expect(await ports.repo.lastCaseNumber('XF', 2026)).toBe(0);
    expect((await registry.register(clerk, registration())).case.caseNo).toBe('XF-2026-000001');
  });

  it('replays a retry with the same Idempotency-Key and refuses the key for another request', async () => {
    const { registry } = fakeApp();
    const first = await registry.register(clerk, withScan(), 'key-0001');
    const retry = await registry.register(clerk, withScan(), 'key-0001');
    expect(retry).toMatchObject({ replayed: true, queryCode: first.queryCode, case: { caseNo: first.case.caseNo } });
    expect(retry.uploads.map((u) => u.documentId)).toEqual(first.uploads.map((u) => u.documentId));
    expect(await codeOf(registry.register(clerk, registration({ subject: '另一件事' }), 'key-0001'))).toBe('IDEMPOTENCY_MISMATCH');
    expect((await registry.register(clerk, registration(), 'key-0002')).case.caseNo).toBe('XF-2026-000002');
  });

  it('refuses what the schema and the office refuse, and other roles, writing nothing', async () => {
    const { registry, ports } = fakeApp({ now: '2026-03-02T01:00:00Z' });
    await expect(registry.register(clerk, registration({ receivedOn: '2026-03-03' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(registry.register(clerk, registration({ category: 'no-such-category' }))).rejects.toBeInstanceOf(ValidationError);
    // A body the schema refuses never reaches the use case: the route (or parseInput at another edge) answers 400.
    expect(() => parseInput(RegistrationSchema, { ...draft(), subject: '' })).toThrow(ValidationError);
    await expect(
      registry.register(clerk, withScan({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: 200 * 1024 * 1024, fileName: 'big.pdf' }] })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(registry.register(director, registration())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(registry.register(hrss, registration())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await ports.repo.lastCaseNumber('XF', 2026)).toBe(0);
    expect(ports.state.cases.size).toBe(0);
  });

  it('warns at the counter of the petitioner’s earlier cases', async () => {
    const { registry } = fakeApp();
    const earlier = await registry.register(clerk, registration());
    const check = await registry.checkRegistration(clerk, registration({ subject: '再次反映拖欠工资' }));
    expect(check.earlier.map((c) => c.caseNo)).toEqual([earlier.case.caseNo]);
    expect(check.warnings.length).toBeGreaterThan(0);
    expect((await registry.checkRegistration(clerk, registration({ petitioners: [{ name: '新人', phone: '13611112222' }] }))).earlier).toEqual([]);
  });
});

describe('acting on a case', () => {
  it('needs the version read (If-Match), refuses a stale one, and lets one of two writers of the same version win', async () => {
    const { registry, ports } = fakeApp();
    const { case: c } = await registry.register(clerk, registration());
    expect(await codeOf(registry.act(director, c.caseNo, 'accept', {}, undefined))).toBe('PRECONDITION_REQUIRED');
    await expect(registry.act(director, c.caseNo, 'accept', {}, 7)).rejects.toBeInstanceOf(ConflictError);
    const results = await Promise.allSettled([registry.act(director, c.caseNo, 'accept', {}, 1), registry.act(director, c.caseNo, 'accept', {}, 1)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(ConflictError) });
    const events = await ports.repo.listEvents(c.caseNo);
    expect(events.map((e) => e.type)).toEqual(['case.registered', 'case.accepted']);
    expect(verifyChain(c.caseNo, events).ok).toBe(true);
  });

  it('walks a case to closing; each step offers the next actions and only to those who may take them', async () => {
    const { registry, ports } = fakeApp();
    const { case: c } = await registry.register(clerk, registration());
    ports.clock.set('2026-03-04T02:00:00Z');
    let v = await registry.act(director, c.caseNo, 'accept', {}, 1);
    v = await registry.act(director, c.caseNo, 'assign', { deptCode: 'HRSS' }, v.version);
    expect((await registry.inbox(hrss, 10)).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    expect((await registry.inbox(housing, 10)).items).toEqual([]);
    await expect(registry.getCase(housing, c.caseNo)).rejects.toBeInstanceOf(NotFoundError);
    expect((await registry.getCase(hrss, c.caseNo)).actions).toContain('answer');
    ports.clock.set('2026-04-01T02:00:00Z');
    v = await registry.act(hrss, c.caseNo, 'answer', opinion, v.version);
    expect((await registry.list(director, { awaiting: 'reply', limit: 10 })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    v = await registry.act(director, c.caseNo, 'approve-reply', {}, v.version);
    ports.clock.set('2026-04-03T02:00:00Z');
    v = await registry.act(clerk, c.caseNo, 'deliver', { deliveredOn: '2026-04-03', method: 'post' }, v.version);
    await expect(registry.act(clerk, c.caseNo, 'close', {}, v.version)).rejects.toBeInstanceOf(DomainError);
    ports.clock.set('2026-05-07T02:00:00Z');
    v = await registry.act(clerk, c.caseNo, 'close', {}, v.version);
    expect(v.status).toBe('closed');
    const timeline = await registry.timeline(director, c.caseNo);
    expect(timeline.map((e) => e.type)).toEqual([
      'case.registered',
      'case.accepted',
      'case.assigned',
      'case.answered',
      'case.reply-approved',
      'case.delivered',
      'case.closed',
    ]);
    expect(
      (await registry.list(hrss, { deptCode: 'HRSS', receivedFrom: '2026-03-01', receivedTo: '2026-03-31', limit: 10 })).items.map((s) => s.caseNo),
    ).toEqual([c.caseNo]);
    expect((await registry.list(housing, { receivedFrom: '2026-03-01', receivedTo: '2026-03-31', limit: 10 })).items).toEqual([]);
    expect((await registry.list(clerk, { petitioner: { idNumber: '11010519491231002X' }, limit: 10 })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    expect((await registry.list(clerk, { caseNo: c.caseNo.toLowerCase(), limit: 10 })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    await expect(registry.list(clerk, { petitioner: { name: '张建华' }, limit: 10 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('issues the letters of a transition numbered with the write, and a dry run or a preview takes no number and writes nothing', async () => {
    const { registry, ports } = fakeApp({ letters: true });
    const reg = await registry.register(clerk, registration());
    const caseNo = reg.case.caseNo;
    const receipt = (await ports.repo.listDocuments(caseNo)).filter((d) => d.kind === 'generated');
    expect(receipt.map((d) => d.letterKind)).toEqual(['receipt']);

    const seriesBefore = [...ports.state.counters].filter(([k]) => k.startsWith('doc:'));
    await registry.dryRun(director, caseNo, 'accept', {}, 1);
    const preview = await registry.previewLetters(director, caseNo, 'accept', {}, 1);
    expect(preview.letters.map((l) => l.letterKind)).toEqual(['acceptance-notice']);
    expect(
      Buffer.from(preview.letters[0]?.pdfBase64 ?? '', 'base64')
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect([...ports.state.counters].filter(([k]) => k.startsWith('doc:'))).toEqual(seriesBefore);
    expect((await ports.repo.getCase(caseNo))?.version).toBe(1);
    expect(await ports.repo.listEvents(caseNo)).toHaveLength(1);

    const accepted = await registry.act(director, caseNo, 'accept', {}, 1);
    const notice = (await ports.repo.listDocuments(caseNo)).find((d) => d.letterKind === 'acceptance-notice');
    expect(notice).toMatchObject({ status: 'verified', numbering: { seq: 1 } });
    expect(ports.buckets.get('documents', notice?.key ?? '')?.contentType).toBe('application/pdf');
    expect((await ports.repo.listEvents(caseNo)).at(-1)?.data).toMatchObject({
      letters: [{ documentId: notice?.documentId, letterKind: 'acceptance-notice' }],
    });
    expect(accepted.version).toBe(2);

    // The public letter check answers for the printed hash of an issued letter, and only for it.
    const check = await registry.verifyLetter(caseNo, shortLetterHash(notice?.contentHash ?? ''));
    expect(check).toMatchObject({ issued: true, letterKind: 'acceptance-notice' });
    await expect(registry.verifyLetter(caseNo, 'ABCDEFGH2345')).rejects.toBeInstanceOf(NotFoundError);

    // The petitioner sees and downloads the letters addressed to them, with the query code only.
    const pub = await registry.publicQuery(caseNo, reg.queryCode);
    expect(pub.letters.map((l) => l.letterKind)).toEqual(expect.arrayContaining(['acceptance-notice']));
    const download = await registry.publicDownload(caseNo, reg.queryCode, notice?.documentId ?? '');
    expect(download.url).toContain(notice?.key);
    expect((await ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'document.downloaded', actor: { public: true } });
    await expect(registry.publicDownload(caseNo, 'AAAAAAAA', notice?.documentId ?? '')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('documents', () => {
  it('checks an upload when it lands: verified with its hash, or quarantined with the reason; once', async () => {
    const { registry, ports } = fakeApp();
    const reg = await registry.register(clerk, withScan());
    const [link] = reg.uploads;
    if (!link) throw new Error('no upload link');
    await expect(ports.storage.upload(link.upload, new Uint8Array(3))).rejects.toThrow();
    await ports.storage.upload(link.upload, scan);
    const checked = await registry.verifyUpload(reg.case.caseNo, link.documentId);
    // The check's own copy, which no upload link covers, is what the record names; the upload key is cleared.
    expect(checked).toMatchObject({ status: 'verified', size: scan.byteLength, key: `verified/${reg.case.caseNo}/${link.documentId}` });
    expect(ports.buckets.get('documents', link.upload.fields.key ?? '')).toBeUndefined();
    expect(await registry.verifyUpload(reg.case.caseNo, link.documentId)).toEqual(checked);
    expect((await ports.repo.listEvents(reg.case.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'document.verified']);

    // The link used again (S3 takes a POST policy until it expires): refused and recorded, the verified copy unchanged.
    const other = new TextEncoder().encode('%PDF-1.7\n% another file of the same size\n'.padEnd(scan.byteLength, ' '));
    await ports.storage.upload(link.upload, other);
    expect(await registry.verifyUpload(reg.case.caseNo, link.documentId)).toEqual(checked);
    const rejected = (await ports.repo.listDocuments(reg.case.caseNo)).find((d) => d.status === 'rejected');
    expect(rejected).toMatchObject({ uploadOf: link.documentId, rejectionReason: expect.any(String) });
    expect(ports.buckets.get('documents', link.upload.fields.key ?? '')).toBeUndefined();
    expect((await ports.storage.inspect(checked?.key ?? ''))?.sha256).toBe(checked?.sha256);
    expect((await ports.repo.listEvents(reg.case.caseNo)).at(-1)?.type).toBe('document.upload-rejected');

    const extra = await registry.createUpload(clerk, reg.case.caseNo, { kind: 'attachment', contentType: 'application/pdf', size: 8, fileName: '附件.pdf' });
    await ports.storage.upload(extra.upload, new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x61, 0x62, 0x63, 0x64])); // an executable, declared a PDF
    const bad = await registry.verifyUpload(reg.case.caseNo, extra.documentId);
    expect(bad).toMatchObject({ status: 'quarantined', quarantineReason: expect.stringContaining('application/pdf') });
    expect(bad?.key.startsWith('quarantine/')).toBe(true);
    expect(ports.buckets.get('documents', `uploads/${reg.case.caseNo}/${extra.documentId}`)).toBeUndefined();
    expect((await ports.repo.listEvents(reg.case.caseNo)).map((e) => e.type).slice(-2)).toEqual(['document.upload-requested', 'document.quarantined']);
  });

  it('records a download before handing out its link, and offers only verified documents the actor may read', async () => {
    const { registry, ports } = fakeApp();
    const reg = await registry.register(clerk, withScan());
    const [link] = reg.uploads;
    if (!link) throw new Error('no upload link');
    await expect(registry.download(clerk, reg.case.caseNo, link.documentId)).rejects.toBeInstanceOf(NotFoundError);
    await ports.storage.upload(link.upload, scan);
    await registry.verifyUpload(reg.case.caseNo, link.documentId);
    const got = await registry.download(clerk, reg.case.caseNo, link.documentId);
    expect(got.url).toContain(`verified/${reg.case.caseNo}/${link.documentId}`);
    expect((await ports.repo.listEvents(reg.case.caseNo)).at(-1)).toMatchObject({ type: 'document.downloaded', data: { documentId: link.documentId } });
    await expect(registry.download(hrss, reg.case.caseNo, link.documentId)).rejects.toBeInstanceOf(NotFoundError);
    // A failed audit write hands out no link.
    ports.state.failNext('appendEvent', new Error('audit write failed'));
    await expect(registry.download(clerk, reg.case.caseNo, link.documentId)).rejects.toThrow('audit write failed');
    expect((await ports.repo.listEvents(reg.case.caseNo)).filter((e) => e.type === 'document.downloaded')).toHaveLength(1);
  });

  it('settles the uploads whose link expired without a file: the daily reconciliation expires them, once', async () => {
    const { registry, ports } = fakeApp();
    const reg = await registry.register(clerk, withScan());
    const [link] = reg.uploads;
    expect(await registry.reconcileUploads()).toMatchObject({ checked: 0, expired: 0 });
    ports.clock.set('2026-03-05T02:00:00Z');
    const report = await registry.reconcileUploads();
    expect(report).toMatchObject({ checked: 1, expired: 1, complete: true });
    expect(await ports.repo.getDocument(reg.case.caseNo, link?.documentId ?? '')).toMatchObject({ status: 'expired' });
    expect((await ports.repo.listEvents(reg.case.caseNo)).at(-1)?.type).toBe('document.upload-expired');
    expect(await registry.reconcileUploads()).toMatchObject({ checked: 0 });
  });

  it('moves a document verified before verified copies existed to its copy, or quarantines it when its bytes changed since', async () => {
    const { registry, ports } = fakeApp();
    const reg = await registry.register(clerk, withScan());
    const [link] = reg.uploads;
    if (!link) throw new Error('no upload link');
    // As an older check left it: verified in place, at its upload key.
    const legacy = async (bytes: Uint8Array, documentId: string) => {
      const key = `uploads/${reg.case.caseNo}/${documentId}`;
      await ports.storage.put(key, bytes, 'application/pdf');
      const doc = (await ports.repo.getDocument(reg.case.caseNo, documentId)) ?? (await ports.repo.listDocuments(reg.case.caseNo))[0];
      if (!doc) throw new Error('no document');
      const sha = (await ports.storage.inspect(key))?.sha256;
      ports.state
        .docsOf(reg.case.caseNo)
        .set(documentId, { ...doc, documentId, status: 'verified', key, size: scan.byteLength, sha256: sha, checkedAt: '2026-03-02T03:00:00.000Z' });
      return key;
    };
    const key = await legacy(scan, link.documentId);
    await expect(registry.download(clerk, reg.case.caseNo, link.documentId)).rejects.toBeInstanceOf(RuleViolationError);
    expect(await registry.reconcileUploads()).toMatchObject({ leftovers: 1 });
    expect(await ports.repo.getDocument(reg.case.caseNo, link.documentId)).toMatchObject({
      status: 'verified',
      key: `verified/${reg.case.caseNo}/${link.documentId}`,
    });
    expect(ports.buckets.get('documents', key)).toBeUndefined();
    expect((await ports.repo.listEvents(reg.case.caseNo)).at(-1)?.type).toBe('document.copy-secured');
    expect((await registry.download(clerk, reg.case.caseNo, link.documentId)).url).toContain('verified/');
    expect(await registry.reconcileUploads()).toMatchObject({ leftovers: 0 });

    // Replaced after its check: never served as the verified document.
    const replacedKey = await legacy(scan, 'legacy-2');
    await ports.storage.put(replacedKey, new TextEncoder().encode('%PDF-1.7 replaced'.padEnd(scan.byteLength, ' ')), 'application/pdf');
    expect(await registry.reconcileUploads()).toMatchObject({ leftovers: 1 });
    expect(await ports.repo.getDocument(reg.case.caseNo, 'legacy-2')).toMatchObject({
      status: 'quarantined',
      quarantineReason: expect.stringContaining('SHA-256'),
    });
  });

  it('takes a response only from the department handling the case, while it is assigned', async () => {
    const { registry, ports } = fakeApp();
    const { case: c } = await registry.register(clerk, registration());
    ports.clock.set('2026-03-04T02:00:00Z');
    const response = { kind: 'response' as const, contentType: 'application/pdf' as const, size: 100, fileName: '答复.pdf' };
    const accepted = await registry.act(director, c.caseNo, 'accept', {}, 1);
    await expect(registry.createUpload(clerk, c.caseNo, response)).rejects.toBeInstanceOf(ForbiddenError);
    await registry.act(director, c.caseNo, 'assign', { deptCode: 'HRSS' }, accepted.version);
    const link = await registry.createUpload(hrss, c.caseNo, response);
    expect(link.fileName).toBe('答复.pdf');
    await expect(registry.createUpload(housing, c.caseNo, response)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the petitioner’s public query', () => {
  it('answers only with the right code, the same way for a wrong code and no case, and takes one rating after delivery', async () => {
    const { registry, ports } = fakeApp();
    const reg = await registry.register(clerk, registration());
    const caseNo = reg.case.caseNo;
    expect((await registry.publicQuery(caseNo, reg.queryCode)).caseNo).toBe(caseNo);
    await expect(registry.publicQuery(caseNo, 'AAAAAAAA')).rejects.toBeInstanceOf(NotFoundError);
    await expect(registry.publicQuery('XF-2026-000099', reg.queryCode)).rejects.toBeInstanceOf(NotFoundError);
    await expect(registry.rate(caseNo, reg.queryCode, 'satisfied')).rejects.toBeInstanceOf(RuleViolationError);

    ports.clock.set('2026-03-04T02:00:00Z');
    let v = await registry.act(director, caseNo, 'accept', {}, 1);
    v = await registry.act(director, caseNo, 'assign', { deptCode: 'HRSS' }, v.version);
    v = await registry.act(hrss, caseNo, 'answer', opinion, v.version);
    v = await registry.act(director, caseNo, 'approve-reply', {}, v.version);
    await registry.act(clerk, caseNo, 'deliver', { deliveredOn: '2026-03-04', method: 'post' }, v.version);
    const rated = await registry.rate(caseNo, reg.queryCode, 'satisfied', '处理及时');
    expect(rated.rating).toMatchObject({ value: 'satisfied' });
    await expect(registry.rate(caseNo, reg.queryCode, 'unsatisfied')).rejects.toBeInstanceOf(RuleViolationError);
    expect((await ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'case.rated', actor: { public: true } });
  });
});
