/**
 * The OCR use case (shared/app/ocr.ts) over the in-memory fakes, with a fake engine: a verified
 * scan is queued, its job stores the reading beside the document and makes the case searchable
 * by it; a repeated job writes nothing twice; a failing engine ends failed after its attempts;
 * queueing never fails the upload check; the reading is read under the download's rule, recorded.
 */
import { describe, expect, it } from 'vitest';
import type { OcrEngine, OcrInput } from '../../../shared/app/ocr-ports';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../../../shared/domain/errors';
import type { OcrReading } from '../../../shared/domain/ocr';
import { jobsOf } from '../../../functions/ocr/handler';
import { fakeApp } from '../../support/fakes/use-cases';
import { clerk, director, housing, hrss, registration } from '../lifecycle/fixtures';

const scan = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Pages /Count 2 >> endobj\n%%EOF\n');
const docx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(60).fill(0)]);

/** An engine that reads two pages and counts its calls. */
function fakeEngine(
  pages: OcrReading['pages'] = [
    { page: 1, status: 'read', text: '来信人张建华反映青松村排水沟堵塞', confidence: 0.93 },
    { page: 2, status: 'blank', text: '', confidence: null },
  ],
): OcrEngine & { calls: OcrInput[] } {
  const calls: OcrInput[] = [];
  return {
    calls,
    read: async (input) => {
      calls.push(input);
      return { engine: 'fake-engine', pages };
    },
  };
}

async function registeredWithScan(app: ReturnType<typeof fakeApp>) {
  const reg = await app.registry.register(
    clerk,
    registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: '来信扫描件.pdf' }] }),
  );
  const [link] = reg.uploads;
  if (!link) throw new Error('no upload link');
  await app.ports.storage.upload(link.upload, scan);
  return { caseNo: reg.case.caseNo, documentId: link.documentId };
}

describe('OCR of a verified scan', () => {
  it('queues the scan when it is verified, stores the reading beside it, and makes the case searchable by its text', async () => {
    const engine = fakeEngine();
    const app = fakeApp({ ocrEngine: engine });
    const { caseNo, documentId } = await registeredWithScan(app);
    expect(app.ocr.queue).toEqual([]);
    await app.registry.verifyUpload(caseNo, documentId);
    expect(app.ocr.queue).toEqual([{ caseNo, documentId }]);
    expect(await app.registry.ocrReading(clerk, caseNo, documentId)).toMatchObject({ status: 'queued', pages: [] });
    expect((await app.search.search(clerk, { q: '青松村排水沟', limit: 20 })).items).toEqual([]);

    expect(await app.ocr.service.run({ caseNo, documentId })).toBe('read');
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]?.contentType).toBe('application/pdf');
    expect(Buffer.from(engine.calls[0]?.bytes ?? []).equals(Buffer.from(scan))).toBe(true);
    const reading = await app.registry.ocrReading(clerk, caseNo, documentId);
    expect(reading).toMatchObject({ status: 'done', engine: 'fake-engine', attempts: 1 });
    expect(reading?.pages.map((p) => [p.page, p.status])).toEqual([
      [1, 'read'],
      [2, 'blank'],
    ]);
    // Beside the document, never in the case item; the document itself is unchanged.
    const c = await app.ports.repo.getCase(caseNo);
    expect(JSON.stringify(c)).not.toContain('青松村');
    expect(await app.ports.repo.getDocument(caseNo, documentId)).toMatchObject({ status: 'verified', sha256: expect.any(String) });

    const found = await app.search.search(clerk, { q: '青松村排水沟', limit: 20 });
    expect(found.items.map((i) => i.caseNo)).toEqual([caseNo]);
    expect(found.items[0]?.highlights[0]).toMatchObject({ field: 'scanText', label: '扫描件识别文本' });
  });

  it('a job run again (a duplicate message) reads nothing again and writes the same; a repeated upload event queues nothing new', async () => {
    const engine = fakeEngine();
    const app = fakeApp({ ocrEngine: engine });
    const { caseNo, documentId } = await registeredWithScan(app);
    await app.registry.verifyUpload(caseNo, documentId);
    await app.registry.verifyUpload(caseNo, documentId);
    expect(app.ocr.queue).toHaveLength(1);
    await Promise.all([app.ocr.service.run({ caseNo, documentId }), app.ocr.service.run({ caseNo, documentId })]);
    const before = await app.ports.ocr.get(caseNo, documentId);
    expect(await app.ocr.service.run({ caseNo, documentId })).toBe('already-read');
    expect(engine.calls.length).toBeLessThanOrEqual(2);
    expect(await app.ports.ocr.get(caseNo, documentId)).toEqual(before);
    expect(app.ports.state.scanTexts.get(caseNo)).toEqual({ text: '来信人张建华反映青松村排水沟堵塞', readings: 1 });
    // Queued again by hand after it was read: nothing is sent.
    const doc = await app.ports.repo.getDocument(caseNo, documentId);
    if (!doc) throw new Error('no document');
    expect(await app.ocr.service.enqueue(doc)).toBe(false);
  });

  it('a failing engine leaves the job queued with the error until its last attempt, which marks it failed; the case and document are untouched', async () => {
    const app = fakeApp({ ocrEngine: { read: () => Promise.reject(new Error('onnxruntime: out of memory')) } });
    const { caseNo, documentId } = await registeredWithScan(app);
    await app.registry.verifyUpload(caseNo, documentId);
    const version = (await app.ports.repo.getCase(caseNo))?.version;
    await expect(app.ocr.service.run({ caseNo, documentId }, 1)).rejects.toThrow('out of memory');
    expect(await app.ports.ocr.get(caseNo, documentId)).toMatchObject({ status: 'queued', attempts: 1, error: 'onnxruntime: out of memory' });
    await expect(app.ocr.service.run({ caseNo, documentId }, 3)).rejects.toThrow('out of memory');
    expect(await app.registry.ocrReading(clerk, caseNo, documentId)).toMatchObject({ status: 'failed', attempts: 3 });
    expect((await app.ports.repo.getCase(caseNo))?.version).toBe(version);
    expect(await app.ports.repo.getDocument(caseNo, documentId)).toMatchObject({ status: 'verified' });
  });

  it('a job redriven from the DLQ after the cause was fixed reads the scan and ends done', async () => {
    let broken = true;
    const engine = fakeEngine();
    const app = fakeApp({ ocrEngine: { read: (input) => (broken ? Promise.reject(new Error('model file missing')) : engine.read(input)) } });
    const { caseNo, documentId } = await registeredWithScan(app);
    await app.registry.verifyUpload(caseNo, documentId);
    for (const attempt of [1, 2, 3]) await expect(app.ocr.service.run({ caseNo, documentId }, attempt)).rejects.toThrow('model file missing');
    expect(await app.ports.ocr.get(caseNo, documentId)).toMatchObject({ status: 'failed' });
    broken = false;
    expect(await app.ocr.service.run({ caseNo, documentId }, 1)).toBe('read');
    expect(await app.ports.ocr.get(caseNo, documentId)).toMatchObject({ status: 'done', attempts: 1 });
    expect((await app.search.search(clerk, { q: '青松村排水沟', limit: 20 })).items.map((i) => i.caseNo)).toEqual([caseNo]);
  });

  it('queues only uploaded scans: not a DOCX, not a quarantined file', async () => {
    const app = fakeApp({ ocrEngine: fakeEngine() });
    const reg = await app.registry.register(clerk, registration());
    const word = await app.registry.createUpload(clerk, reg.case.caseNo, {
      kind: 'attachment',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: docx.byteLength,
      fileName: '材料.docx',
    });
    await app.ports.storage.upload(word.upload, docx);
    expect(await app.registry.verifyUpload(reg.case.caseNo, word.documentId)).toMatchObject({ status: 'verified' });
    const fake = await app.registry.createUpload(clerk, reg.case.caseNo, { kind: 'attachment', contentType: 'application/pdf', size: 4, fileName: '附件.pdf' });
    await app.ports.storage.upload(fake.upload, new Uint8Array([0x4d, 0x5a, 0x90, 0x00]));
    expect(await app.registry.verifyUpload(reg.case.caseNo, fake.documentId)).toMatchObject({ status: 'quarantined' });
    expect(app.ocr.queue).toEqual([]);
    // A job that has nothing to read (as if queued before it was quarantined) is forgotten: no
    // status left 识别中…, no marker for the re-queue to send every hour.
    await app.ports.ocr.markQueued(reg.case.caseNo, fake.documentId, '2026-03-02T01:00:00.000Z');
    expect(await app.ocr.service.run({ caseNo: reg.case.caseNo, documentId: fake.documentId })).toBe('skipped');
    expect(await app.ports.ocr.get(reg.case.caseNo, fake.documentId)).toBeNull();
    expect((await app.ports.ocr.queuedJobs()).filter((j) => j.caseNo === reg.case.caseNo)).toEqual([]);
  });

  it('queueing never fails the upload check: a store that fails leaves the document verified', async () => {
    const app = fakeApp({ ocrEngine: fakeEngine() });
    const { caseNo, documentId } = await registeredWithScan(app);
    const markQueued = app.ports.ocr.markQueued.bind(app.ports.ocr);
    app.ports.ocr.markQueued = () => Promise.reject(new Error('throttled'));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(await app.registry.verifyUpload(caseNo, documentId)).toMatchObject({ status: 'verified' });
    } finally {
      console.error = original;
      app.ports.ocr.markQueued = markQueued;
    }
    expect(errors).toHaveLength(1);
    expect(app.ocr.queue).toEqual([]);
  });

  it("the text of each scan of a case is searchable; two jobs finishing at once keep both readings' text", async () => {
    const app = fakeApp({
      ocrEngine: {
        read: async ({ bytes }) => ({ engine: 'fake-engine', pages: [{ page: 1, status: 'read', text: `第${bytes.byteLength}号材料内容`, confidence: 0.9 }] }),
      },
    });
    const { caseNo, documentId } = await registeredWithScan(app);
    const extra = await app.registry.createUpload(clerk, caseNo, { kind: 'attachment', contentType: 'image/png', size: 12, fileName: '照片.png' });
    await app.ports.storage.upload(extra.upload, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]));
    await app.registry.verifyUpload(caseNo, documentId);
    await app.registry.verifyUpload(caseNo, extra.documentId);
    await Promise.all(app.ocr.queue.map((job) => app.ocr.service.run(job)));
    expect(app.ports.state.scanTexts.get(caseNo)?.readings).toBe(2);
    for (const q of [`第${scan.byteLength}号材料`, '第12号材料'])
      expect((await app.search.search(clerk, { q, limit: 20 })).items.map((i) => i.caseNo)).toEqual([caseNo]);
  });

  it('the reading is read under the rule of the download, and each reading handed out is recorded', async () => {
    const app = fakeApp({ ocrEngine: fakeEngine() });
    const { caseNo, documentId } = await registeredWithScan(app);
    await expect(app.registry.ocrReading(clerk, caseNo, documentId)).rejects.toBeInstanceOf(NotFoundError); // not verified yet
    await app.registry.verifyUpload(caseNo, documentId);
    await app.ocr.service.run({ caseNo, documentId });
    await expect(app.registry.ocrReading(hrss, caseNo, documentId)).rejects.toBeInstanceOf(NotFoundError); // not its case
    await expect(app.registry.ocrReading(housing, caseNo, documentId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.registry.ocrReading(clerk, caseNo, 'no-such-document')).rejects.toBeInstanceOf(NotFoundError);
    await app.registry.ocrReading(clerk, caseNo, documentId);
    expect((await app.ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'document.ocr-read', data: { documentId } });
    // A failed audit write hands out no text.
    app.ports.state.failNext('appendEvent', new Error('audit write failed'));
    await expect(app.registry.ocrReading(clerk, caseNo, documentId)).rejects.toThrow('audit write failed');
  });

  it("an archived case's reading answers as its download does: 409, its files being the archive's, and nothing recorded", async () => {
    const app = fakeApp({ ocrEngine: fakeEngine() });
    const { caseNo, documentId } = await registeredWithScan(app);
    await app.registry.verifyUpload(caseNo, documentId);
    await app.ocr.service.run({ caseNo, documentId });
    const c = app.ports.state.cases.get(caseNo);
    if (!c) throw new Error('no case');
    // As the archive run leaves it (the lifecycle to get there is the archive's tests').
    app.ports.state.cases.set(caseNo, { ...c, status: 'archived' });
    const events = (await app.ports.repo.listEvents(caseNo)).length;
    const download = await app.registry.download(clerk, caseNo, documentId).catch((e: unknown) => e);
    const reading = await app.registry.ocrReading(clerk, caseNo, documentId).catch((e: unknown) => e);
    expect(download).toBeInstanceOf(RuleViolationError);
    expect(reading).toBeInstanceOf(RuleViolationError);
    expect((reading as Error).message).toBe((download as Error).message);
    expect(await app.ports.repo.listEvents(caseNo)).toHaveLength(events);
  });
});

describe('the full text at registration (taken from the reading)', () => {
  it('is set by the clerk while the case is registered, versioned and recorded, searchable; refused after, to others, and on a stale version', async () => {
    const app = fakeApp({ ocrEngine: fakeEngine() });
    const { caseNo, documentId } = await registeredWithScan(app);
    await app.registry.verifyUpload(caseNo, documentId);
    await app.ocr.service.run({ caseNo, documentId });
    const reading = await app.registry.ocrReading(clerk, caseNo, documentId);
    const text = (reading?.pages ?? []).map((p) => p.text).join('\n\n');
    const c = await app.ports.repo.getCase(caseNo);
    if (!c) throw new Error('no case');
    await expect(app.registry.setFullText(clerk, caseNo, { fullText: text, source: 'ocr' }, c.version + 1)).rejects.toBeInstanceOf(ConflictError);
    await expect(app.registry.setFullText(director, caseNo, { fullText: text, source: 'ocr' }, c.version)).rejects.toBeInstanceOf(ForbiddenError);
    const view = await app.registry.setFullText(clerk, caseNo, { fullText: text, source: 'ocr' }, c.version);
    expect(view).toMatchObject({ fullText: text, version: c.version + 1 });
    expect((await app.ports.repo.listEvents(caseNo)).at(-1)).toMatchObject({ type: 'case.full-text-set', data: { source: 'ocr', length: text.length } });
    // The same text again writes nothing.
    await app.registry.setFullText(clerk, caseNo, { fullText: text, source: 'ocr' }, c.version + 1);
    expect((await app.ports.repo.getCase(caseNo))?.version).toBe(c.version + 1);
    const accepted = await app.registry.act(director, caseNo, 'accept', {}, c.version + 1);
    await expect(app.registry.setFullText(clerk, caseNo, { fullText: 'x', source: 'typed' }, accepted.version)).rejects.toBeInstanceOf(RuleViolationError);
  });
});

describe("the ocr function's messages", () => {
  it('names a job per verified copy of an S3 notification (keys URL-encoded), and none for the test event, another prefix or a bad body', () => {
    const record = (key: string) => ({ eventName: 'ObjectCreated:Copy', s3: { object: { key } } });
    expect(jobsOf(JSON.stringify({ Records: [record('verified/XF-2026-000001/doc-a'), record('verified/XF-2026-000001/doc%2Db')] }))).toEqual([
      { caseNo: 'XF-2026-000001', documentId: 'doc-a' },
      { caseNo: 'XF-2026-000001', documentId: 'doc-b' },
    ]);
    expect(jobsOf(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([]);
    expect(jobsOf(JSON.stringify({ Records: [record('uploads/XF-2026-000001/doc-a'), record('verified/XF-2026-000001/doc-a/extra')] }))).toEqual([]);
    expect(jobsOf('not json')).toEqual([]);
  });
});
