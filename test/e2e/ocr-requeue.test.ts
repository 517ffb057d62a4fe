/**
 * The scheduled re-queue of OCR jobs through the local stack (docs/ocr.md, "In AWS" and
 * "Locally"): a scan whose job message was lost (its document queued, its `OCRQ#` marker more than
 * an hour old, no message anywhere) is sent again by the sweep function's `ocr-requeue` task to
 * the OCR queue (locally the in-process queue, behind the same OcrQueue port as SQS) and read; a
 * job queued within the grace period is left alone. The engine is the stand-in of
 * test/support/ocr.ts (this test is about the queueing, not the reading).
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOcrStore } from '../../shared/adapters/ocr-store';
import { ocrKey } from '../../shared/storage/ocr-keys';
import { fakeOcrEngine, scannedLetterPdf } from '../support/ocr';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ ocr: { engine: async () => fakeOcrEngine, retryDelayMs: 200 } });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

async function registerWithScan(bytes: Uint8Array) {
  const reg = await stack.api.post(
    '/cases',
    registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: bytes.byteLength, fileName: '来信扫描件.pdf' }] }),
    { token: t.clerk },
  );
  expect(reg.status, reg.text).toBe(201);
  expect((await uploadPresignedPost(reg.json.uploads[0].upload, bytes, { contentType: 'application/pdf' })).status).toBe(204);
  return { caseNo: reg.json.case.caseNo as string, documentId: reg.json.uploads[0].documentId as string };
}

describe('the OCR re-queue', () => {
  it('sends a job whose message was lost to the queue again, and it is read; a recent job is left alone', async () => {
    const { caseNo, documentId } = await registerWithScan(await scannedLetterPdf(['江川市信访局：', '桂花巷路灯不亮已有两周。']));
    await stack.ocrSettled();
    const read = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/ocr`, { token: t.clerk });
    expect(read.json.status, read.text).toBe('done');

    // As if S3 had never announced the verified copy: the reading gone, the document queued two hours ago.
    const db = documentClient(stack.clients.dynamodb);
    for (const key of [ocrKey.status(caseNo, documentId), ocrKey.page(caseNo, documentId, 1)])
      await db.send(new DeleteCommand({ TableName: stack.tableName, Key: key }));
    const store = new DynamoDbOcrStore(db, stack.tableName);
    const now = stack.clock.now().getTime();
    await store.markQueued(caseNo, documentId, new Date(now - 2 * 3_600_000).toISOString());
    // Another, queued ten minutes ago (in flight, as far as the re-queue knows).
    await store.markQueued(caseNo, 'doc-in-flight', new Date(now - 10 * 60_000).toISOString());
    const queued = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/ocr`, { token: t.clerk });
    expect(queued.json.status).toBe('queued');

    const report = await stack.requeueOcr();
    expect(report).toMatchObject({ sent: 1, recent: 1, failed: [] });
    await stack.ocrSettled();
    const again = await stack.api.get(`/cases/${caseNo}/documents/${documentId}/ocr`, { token: t.clerk });
    expect(again.json).toMatchObject({ status: 'done' });
    expect((again.json.pages[0].text as string).replace(/\s/g, '')).toContain('桂花巷路灯不亮');
    // Done: its marker is gone, so the next run sends nothing for it (the recent one still waits).
    expect(await stack.requeueOcr()).toMatchObject({ sent: 0, recent: 1 });
  }, 120_000);
});
