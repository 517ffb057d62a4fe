/**
 * The scheduled re-queue of OCR jobs whose message was lost (shared/app/ocr.ts OcrRequeue) over the
 * in-memory OCR store and a recording queue: a job queued longer ago than the grace period is sent
 * again and its marker's time moves on; a fresh one is left alone; a finished job (its marker gone)
 * is never sent; the send limit and the deadline are respected; a failed send leaves the marker.
 */
import { describe, expect, it } from 'vitest';
import { OCR_REQUEUE_GRACE_MS, OcrRequeue } from '../../../shared/app/ocr';
import type { OcrJob, OcrQueue } from '../../../shared/app/ocr-ports';
import { FakeClock } from '../../../shared/domain/time';
import { FakeOcrStore } from '../../support/fakes/ocr-store';
import { FakeState } from '../../support/fakes/state';

const T0 = '2026-12-06T08:00:00.000Z';
const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000).toISOString();

function setup(options: { sendLimit?: number; failing?: Set<string> } = {}) {
  const store = new FakeOcrStore(new FakeState());
  const clock = new FakeClock(T0);
  const sent: OcrJob[] = [];
  const queue: OcrQueue = {
    send: async (job) => {
      if (options.failing?.has(job.documentId)) throw new Error('SQS is down');
      sent.push(job);
    },
  };
  const requeue = new OcrRequeue({ store, queue, clock, ...(options.sendLimit !== undefined ? { sendLimit: options.sendLimit } : {}) });
  return { store, clock, sent, requeue };
}

describe('the OCR re-queue', () => {
  it('sends a job queued longer ago than the grace period again, and leaves a fresh one alone', async () => {
    const { store, clock, sent, requeue } = setup();
    await store.markQueued('XF-1', 'old', T0);
    await store.markQueued('XF-1', 'fresh', minutes(50));
    clock.set(minutes(61));
    const report = await requeue.run();
    expect(sent).toEqual([{ caseNo: 'XF-1', documentId: 'old' }]);
    expect(report).toMatchObject({ sent: 1, recent: 1, failed: [], more: false });
  });

  it('waits another grace period before sending the same job once more (its marker moved on)', async () => {
    const { store, clock, sent, requeue } = setup();
    await store.markQueued('XF-1', 'lost', T0);
    clock.set(minutes(61));
    await requeue.run();
    clock.set(minutes(91));
    expect((await requeue.run()).sent).toBe(0);
    clock.set(minutes(61 + 61));
    expect((await requeue.run()).sent).toBe(1);
    expect(sent.map((j) => j.documentId)).toEqual(['lost', 'lost']);
  });

  it('sends nothing for a job finished (done, or failed on its last attempt): its marker is gone', async () => {
    const { store, clock, sent, requeue } = setup();
    await store.markQueued('XF-1', 'done', T0);
    await store.saveReading(
      'XF-1',
      'done',
      { engine: 'fake', pages: [{ page: 1, status: 'read', text: '已识别', confidence: 0.9 }] },
      { attempts: 1, at: minutes(1) },
    );
    await store.markQueued('XF-1', 'failed', T0);
    await store.recordFailure('XF-1', 'failed', { attempts: 3, error: 'x', failed: true, at: minutes(30) });
    clock.set(minutes(24 * 60));
    expect(await requeue.run()).toMatchObject({ sent: 0, recent: 0 });
    expect(sent).toEqual([]);
  });

  it('sends at most its limit per run, the longest waiting first, and says more is left', async () => {
    const { store, clock, sent, requeue } = setup({ sendLimit: 2 });
    await store.markQueued('XF-1', 'c', minutes(2));
    await store.markQueued('XF-1', 'a', minutes(0));
    await store.markQueued('XF-1', 'b', minutes(1));
    clock.set(minutes(120));
    expect(await requeue.run()).toMatchObject({ sent: 2, more: true });
    expect(sent.map((j) => j.documentId)).toEqual(['a', 'b']);
    expect(await requeue.run()).toMatchObject({ sent: 1, more: false });
    expect(sent.map((j) => j.documentId)).toEqual(['a', 'b', 'c']);
  });

  it('stops at its deadline', async () => {
    const { store, clock, sent, requeue } = setup();
    await store.markQueued('XF-1', 'a', T0);
    clock.set(minutes(120));
    expect(await requeue.run({ deadline: Date.now() - 1 })).toMatchObject({ sent: 0, more: true });
    expect(sent).toEqual([]);
  });

  it('keeps the marker of a job it could not send, so the next run sends it', async () => {
    const failing = new Set(['a']);
    const { store, clock, sent, requeue } = setup({ failing });
    await store.markQueued('XF-1', 'a', T0);
    await store.markQueued('XF-1', 'b', T0);
    clock.set(minutes(OCR_REQUEUE_GRACE_MS / 60_000 + 1));
    const errors: string[] = [];
    const report = await requeue.run({ onError: (job) => errors.push(job.documentId) });
    expect(report).toMatchObject({ sent: 1, failed: [{ caseNo: 'XF-1', documentId: 'a' }] });
    expect(errors).toEqual(['a']);
    failing.clear();
    clock.set(minutes(OCR_REQUEUE_GRACE_MS / 60_000 + 2));
    expect((await requeue.run()).sent).toBe(1);
    expect(sent.map((j) => j.documentId)).toEqual(['b', 'a']);
  });
});
