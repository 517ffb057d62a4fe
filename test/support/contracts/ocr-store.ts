/**
 * The contract of the OCR store (shared/app/ocr-ports.ts OcrStore, docs/ocr.md): what the OCR use
 * case relies on, run against the in-memory fake (test/unit/fakes/contracts.test.ts) and the
 * DynamoDB adapter (test/adapter/contracts.test.ts). Every check uses a case number of its own,
 * so the suites may share a table.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OcrStore } from '../../../shared/app/ocr-ports';
import type { OcrReading } from '../../../shared/domain/ocr';

const caseNo = () => `OCR-2026-${randomUUID().slice(0, 8)}`;
const reading = (texts: string[]): OcrReading => ({
  engine: 'fake-engine',
  pages: texts.map((text, i) =>
    text === '' ? { page: i + 1, status: 'blank', text: '', confidence: null } : { page: i + 1, status: 'read', text, confidence: 0.9 },
  ),
});

export function ocrStoreContract(name: string, make: () => OcrStore) {
  describe(`OcrStore contract: ${name}`, () => {
    it('queues a document once: marking it again answers the status stored, and a reading already done is never queued again', async () => {
      const store = make();
      const no = caseNo();
      expect(await store.get(no, 'doc-a')).toBeNull();
      expect(await store.markQueued(no, 'doc-a', '2026-03-02T01:00:00.000Z')).toMatchObject({ status: 'queued', attempts: 0, pages: [] });
      expect(await store.markQueued(no, 'doc-a', '2026-03-02T02:00:00.000Z')).toMatchObject({ status: 'queued', queuedAt: '2026-03-02T01:00:00.000Z' });
      await store.saveReading(no, 'doc-a', reading(['第一页', '']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      expect(await store.markQueued(no, 'doc-a', '2026-03-02T03:00:00.000Z')).toMatchObject({ status: 'done' });
    });

    it('stores a reading page by page, in order, and reads it back with the status; saving it again writes the same', async () => {
      const store = make();
      const no = caseNo();
      await store.markQueued(no, 'doc-a', '2026-03-02T01:00:00.000Z');
      const pages = Array.from({ length: 12 }, (_, i) => `第${i + 1}页 信访人反映的问题`);
      await store.saveReading(no, 'doc-a', reading(pages), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      await store.saveReading(no, 'doc-a', reading(pages), { attempts: 2, at: '2026-03-02T01:02:00.000Z' });
      const got = await store.get(no, 'doc-a');
      expect(got).toMatchObject({ caseNo: no, documentId: 'doc-a', status: 'done', engine: 'fake-engine', queuedAt: '2026-03-02T01:00:00.000Z' });
      expect(got?.pages.map((p) => p.text)).toEqual(pages);
      expect(got?.pages.map((p) => p.page)).toEqual(pages.map((_, i) => i + 1));
      expect(got?.error).toBeUndefined();
    });

    it('a failed attempt keeps it queued with the error, the last marks it failed; a failure never undoes a reading', async () => {
      const store = make();
      const no = caseNo();
      await store.markQueued(no, 'doc-a', '2026-03-02T01:00:00.000Z');
      await store.recordFailure(no, 'doc-a', { attempts: 1, error: 'engine crashed', failed: false, at: '2026-03-02T01:01:00.000Z' });
      expect(await store.get(no, 'doc-a')).toMatchObject({ status: 'queued', attempts: 1, error: 'engine crashed', pages: [] });
      await store.recordFailure(no, 'doc-a', { attempts: 3, error: 'engine crashed again', failed: true, at: '2026-03-02T01:02:00.000Z' });
      expect(await store.get(no, 'doc-a')).toMatchObject({ status: 'failed', attempts: 3, error: 'engine crashed again' });
      // A retry succeeds later (another delivery): done, the error gone; a late failure does not undo it.
      await store.saveReading(no, 'doc-a', reading(['终于识别']), { attempts: 4, at: '2026-03-02T01:03:00.000Z' });
      await store.recordFailure(no, 'doc-a', { attempts: 5, error: 'late failure', failed: true, at: '2026-03-02T01:04:00.000Z' });
      const got = await store.get(no, 'doc-a');
      expect(got).toMatchObject({ status: 'done', attempts: 4 });
      expect(got?.error).toBeUndefined();
      expect(got?.pages.map((p) => p.text)).toEqual(['终于识别']);
    });

    it('lists the jobs not finished: a document queued, or failed but for its last attempt; not one done or failed', async () => {
      const store = make();
      const no = caseNo();
      await store.markQueued(no, 'doc-q', '2026-03-02T01:00:00.000Z');
      await store.markQueued(no, 'doc-retry', '2026-03-02T01:00:00.000Z');
      await store.recordFailure(no, 'doc-retry', { attempts: 1, error: 'x', failed: false, at: '2026-03-02T01:01:00.000Z' });
      await store.markQueued(no, 'doc-done', '2026-03-02T01:00:00.000Z');
      await store.saveReading(no, 'doc-done', reading(['读完']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      await store.markQueued(no, 'doc-failed', '2026-03-02T01:00:00.000Z');
      await store.recordFailure(no, 'doc-failed', { attempts: 3, error: 'x', failed: true, at: '2026-03-02T01:01:00.000Z' });
      const mine = (await store.queuedJobs()).filter((j) => j.caseNo === no);
      expect(mine.map((j) => j.documentId).sort()).toEqual(['doc-q', 'doc-retry']);
    });

    it("tells when a queued job was last sent: its queuing, then the re-queue's markSent; a finished job is not marked again", async () => {
      const store = make();
      const no = caseNo();
      await store.markQueued(no, 'doc-q', '2026-03-02T01:00:00.000Z');
      await store.markQueued(no, 'doc-done', '2026-03-02T01:00:00.000Z');
      const sentAt = async () => Object.fromEntries((await store.queuedJobs()).filter((j) => j.caseNo === no).map((j) => [j.documentId, j.sentAt]));
      expect(await sentAt()).toEqual({ 'doc-q': '2026-03-02T01:00:00.000Z', 'doc-done': '2026-03-02T01:00:00.000Z' });
      expect(await store.markSent(no, 'doc-q', '2026-03-02T02:00:00.000Z')).toBe(true);
      await store.saveReading(no, 'doc-done', reading(['读完']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      expect(await store.markSent(no, 'doc-done', '2026-03-02T02:00:00.000Z')).toBe(false);
      expect(await store.markSent(no, 'doc-never', '2026-03-02T02:00:00.000Z')).toBe(false);
      expect(await sentAt()).toEqual({ 'doc-q': '2026-03-02T02:00:00.000Z' });
    });

    it('discards a job with nothing to read: its status and marker go, again changes nothing, a reading done stays', async () => {
      const store = make();
      const no = caseNo();
      await store.markQueued(no, 'doc-gone', '2026-03-02T01:00:00.000Z');
      await store.markQueued(no, 'doc-done', '2026-03-02T01:00:00.000Z');
      await store.saveReading(no, 'doc-done', reading(['读完']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      await store.discard(no, 'doc-gone');
      await store.discard(no, 'doc-gone');
      await store.discard(no, 'doc-done');
      expect(await store.get(no, 'doc-gone')).toBeNull();
      expect((await store.queuedJobs()).filter((j) => j.caseNo === no)).toEqual([]);
      expect((await store.get(no, 'doc-done'))?.status).toBe('done');
    });

    it("lists the readings of a case that are done, by document, each document's pages in order, and no other case's", async () => {
      const store = make();
      const no = caseNo();
      const otherCase = caseNo();
      await store.saveReading(no, 'doc-b', reading(['乙一', '乙二']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      await store.saveReading(no, 'doc-a', reading(['甲一']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      await store.markQueued(no, 'doc-c', '2026-03-02T01:00:00.000Z');
      await store.recordFailure(no, 'doc-d', { attempts: 3, error: 'x', failed: true, at: '2026-03-02T01:01:00.000Z' });
      await store.saveReading(otherCase, 'doc-z', reading(['别的案件']), { attempts: 1, at: '2026-03-02T01:01:00.000Z' });
      const got = await store.readingsOf(no);
      expect(got.map((r) => [r.documentId, r.pages.map((p) => p.text)])).toEqual([
        ['doc-a', ['甲一']],
        ['doc-b', ['乙一', '乙二']],
      ]);
      expect(await store.readingsOf(caseNo())).toEqual([]);
    });
  });
}
