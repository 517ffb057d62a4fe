/**
 * The OCR flow through the local stack (docs/ocr.md): a letter registered with a scanned PDF (an
 * image of Chinese text, no text layer) is verified, its verified copy's event queues the job, the
 * `ocr` handler reads it in the background, and then `GET /cases?q=` finds the case by a word only
 * the scan holds; the reading is served page by page to whoever may download the scan, recorded;
 * the clerk takes it into the 全文 while the case is being registered. A file the engine cannot
 * open is marked so, page by page, the document untouched. The engine is the real PP-OCRv4 one
 * (XF_TEST_OCR=fake: a stand-in that knows the test's scans).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { scannedLetterPdf, testOcrEngine } from '../support/ocr';
import { uploadPresignedPost } from '../support/upload';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ ocr: { engine: testOcrEngine(), retryDelayMs: 200 } });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

/** A word only the scan holds (the registration's texts never do). */
const WORD = '青松村排水沟';
const LINES = ['江川市信访局：', `我是${WORD}旁的住户张建华，`, '排水沟堵塞已有三个月，', '雨天污水漫进院子，请求尽快疏通。'];

async function registerWithScan(bytes: Uint8Array, over: Record<string, unknown> = {}) {
  const reg = await stack.api.post(
    '/cases',
    registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: bytes.byteLength, fileName: '来信扫描件.pdf' }], ...over }),
    { token: t.clerk },
  );
  expect(reg.status, reg.text).toBe(201);
  const caseNo = reg.json.case.caseNo as string;
  const documentId = reg.json.uploads[0].documentId as string;
  expect((await uploadPresignedPost(reg.json.uploads[0].upload, bytes, { contentType: 'application/pdf' })).status).toBe(204);
  return { caseNo, documentId };
}

/** Polls the reading until it is no longer queued (the real engine takes seconds a page on a busy machine). */
async function settledReading(caseNo: string, documentId: string, timeoutMs = 240_000) {
  const until = Date.now() + timeoutMs;
  await stack.ocrSettled();
  for (;;) {
    const res = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/ocr`, { token: t.clerk });
    expect(res.status, res.text).toBe(200);
    if (res.json.status !== 'queued') return res.json;
    if (Date.now() > until) throw new Error(`the OCR of ${caseNo}/${documentId} is still queued`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('OCR of a scanned letter', () => {
  it('makes the case searchable by the text of its scan, and serves the reading page by page under the download rule, recorded', async () => {
    const pdf = await scannedLetterPdf(LINES);
    const { caseNo, documentId } = await registerWithScan(pdf);
    const reading = await settledReading(caseNo, documentId);
    expect(reading).toMatchObject({ caseNo, documentId, status: 'done', statusLabel: '已识别' });
    expect(reading.pages).toHaveLength(1);
    expect(reading.pages[0]).toMatchObject({ page: 1, status: 'read', statusLabel: '已识别' });
    expect((reading.pages[0].text as string).replace(/\s/g, '')).toContain(WORD);

    const found = await stack.api.get(`/cases?q=${encodeURIComponent(WORD)}`, { token: t.clerk });
    expect(found.status, found.text).toBe(200);
    expect(found.json.items.map((i: { caseNo: string }) => i.caseNo)).toEqual([caseNo]);
    expect(found.json.items[0].highlights.map((h: { label: string }) => h.label)).toContain('扫描件识别文本');

    // The document is unchanged, the case item holds no OCR text, and each reading handed out is recorded.
    const c = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect(c.json.documents.find((d: { documentId: string }) => d.documentId === documentId)).toMatchObject({ status: 'verified' });
    expect(c.json.fullText).toBe('');
    expect(c.json.timeline.filter((e: { type: string }) => e.type === 'document.ocr-read').length).toBeGreaterThanOrEqual(1);

    // A department that may not read the case gets 404, as for the download.
    expect((await stack.api.get(`/cases/${caseNo}/documents/${documentId}/ocr`, { token: t.hrss })).status).toBe(404);
    expect((await stack.api.get(`/cases/${caseNo}/documents/no-such-document/ocr`, { token: t.clerk })).status).toBe(404);
  }, 300_000);

  it('lets the clerk take the reading into the full text while the case is being registered, and not after', async () => {
    const word = '柳荫巷路灯';
    const pdf = await scannedLetterPdf(['江川市信访局：', `${word}损坏半年，`, '夜间出行不便，请求修复。']);
    const { caseNo, documentId } = await registerWithScan(pdf, { petitioners: [{ name: '赵丽娟', phone: '13700008801' }] });
    const reading = await settledReading(caseNo, documentId);
    const text = (reading.pages as { text: string }[]).map((p) => p.text).join('\n\n');
    const before = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect((await stack.api.post(`/cases/${caseNo}/full-text`, { fullText: text, source: 'ocr' }, { token: t.clerk })).status).toBe(428);
    const set = await stack.api.post(
      `/cases/${caseNo}/full-text`,
      { fullText: text, source: 'ocr' },
      { token: t.clerk, headers: ifMatch(before.json.version) },
    );
    expect(set.status, set.text).toBe(200);
    expect(set.json.fullText).toBe(text);
    expect(set.json.version).toBe(before.json.version + 1);
    const after = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect(after.json.timeline.at(-1)).toMatchObject({ type: 'case.full-text-set', data: { source: 'ocr', length: text.length } });
    // Only the clerk; and once the case is accepted the letter's text is fixed.
    expect((await stack.api.post(`/cases/${caseNo}/full-text`, { fullText: 'x' }, { token: t.director, headers: ifMatch(after.json.version) })).status).toBe(
      403,
    );
    const accepted = await stack.api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(after.json.version) });
    expect(accepted.status, accepted.text).toBe(200);
    const late = await stack.api.post(`/cases/${caseNo}/full-text`, { fullText: 'x' }, { token: t.clerk, headers: ifMatch(accepted.json.version) });
    expect(late.status).toBe(409);
  }, 300_000);

  it('marks a scan it cannot open as such, page by page, never silently empty; the document stays verified and downloadable', async () => {
    // A file that passes the upload check (it starts %PDF-) but is no PDF: the engine rejects its page;
    // the stand-in engine (XF_TEST_OCR=fake) cannot read it at all, so the job is retried and ends failed.
    const broken = new TextEncoder().encode('%PDF-1.7\nthis is not a PDF at all\n'.padEnd(400, '#'));
    const { caseNo, documentId } = await registerWithScan(broken, { petitioners: [{ name: '孙海涛', phone: '13700008802' }] });
    const reading = await settledReading(caseNo, documentId);
    if (testOcrEngine() === undefined) {
      expect(reading).toMatchObject({ status: 'done' });
      expect(reading.pages).toEqual([expect.objectContaining({ page: 1, status: 'rejected', statusLabel: '未识别（页面过大或无法解码）', text: '' })]);
    } else {
      expect(reading).toMatchObject({ status: 'failed', statusLabel: '识别失败', attempts: 3 });
    }
    const c = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
    expect(c.json.documents.find((d: { documentId: string }) => d.documentId === documentId)).toMatchObject({ status: 'verified' });
    expect((await stack.api.get(`/cases/${caseNo}/documents/${documentId}/download`, { token: t.clerk })).status).toBe(200);
  }, 300_000);
});
