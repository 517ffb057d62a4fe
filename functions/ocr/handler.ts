/**
 * Machine reading of the scans (docs/ocr.md): SQS delivers the object-created events of the
 * verified copies (`verified/<caseNo>/<documentId>`, S3 → SQS in AWS; locally the stack's
 * in-process queue sends the same records); each names one OCR job. A job that fails is reported
 * as a partial batch failure, so SQS retries that message alone (its receive count is the
 * attempt); the last attempt marks the document failed, and the message goes to the DLQ.
 * Idempotent: a duplicate message finds the reading stored and reads nothing again.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { OcrJob } from '../../shared/app/ocr-ports';
import { parseVerifiedKey } from '../../shared/storage/object-keys';
import { eventHandler } from '../common/event';
import { getOcrRuntime } from '../common/ocr-runtime';
import { logger } from '../common/runtime';

const S3Notification = z.object({
  Records: z.array(z.object({ eventName: z.string().optional(), s3: z.object({ object: z.object({ key: z.string() }) }) })).optional(),
});

/** The jobs a message names: the verified copies of its S3 records (S3's test event names none). */
export function jobsOf(body: string): OcrJob[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const records = S3Notification.safeParse(parsed).data?.Records ?? [];
  return records.flatMap((r) => parseVerifiedKey(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '))) ?? []);
}

export const handler = eventHandler('sqs:ocr', async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { ocr } = await getOcrRuntime();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const attempt = Math.max(1, Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1);
    const jobs = jobsOf(record.body);
    if (jobs.length === 0) logger.warn('ignoring a message that names no verified copy', { messageId: record.messageId });
    try {
      for (const job of jobs) {
        const started = Date.now();
        const outcome = await ocr.run(job, attempt);
        logger.info('ocr job', { ...job, attempt, outcome, ms: Date.now() - started });
      }
    } catch (err) {
      logger.error('ocr job failed; SQS retries it', { messageId: record.messageId, attempt, error: err as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
