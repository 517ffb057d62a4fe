/**
 * The upload check: S3 tells us an object landed under uploads/; the registry checks it (magic
 * bytes against the declared type, size, SHA-256) and records it, quarantines it, or refuses it
 * (a second use of a link, a case that takes no more uploads). Idempotent, so S3's at-least-once
 * delivery and Lambda's retries are harmless.
 *
 * The same function runs the daily upload reconciliation (EventBridge Scheduler, `{ "task":
 * "reconcile-uploads" }`): pending uploads whose link expired are checked now or marked expired,
 * so a lost S3 event never leaves a document pending; files left at the upload key of a settled
 * document are refused, or moved to their verified copy (documents verified before verified copies
 * existed). An unfinished run throws, so it is retried.
 */
import type { Context, S3Event } from 'aws-lambda';
import { z } from 'zod';
import { eventHandler } from '../common/event';
import { parseUploadKey } from '../../shared/storage/object-keys';
import { getTokenlessRuntime, logger } from '../common/runtime';

const ReconcileEvent = z.object({ task: z.literal('reconcile-uploads') }).loose();
const SAFETY_MS = 30_000;
const isReconcile = (event: unknown) => ReconcileEvent.safeParse(event).success;

export const handler = eventHandler(
  (event) => (isReconcile(event) ? 'schedule:reconcile-uploads' : 's3:uploads'),
  async (event: S3Event | unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const { registry } = await getTokenlessRuntime();
    if (isReconcile(event)) {
      const deadline = context ? Date.now() + Math.max(5_000, context.getRemainingTimeInMillis() - SAFETY_MS) : undefined;
      const report = await registry.reconcileUploads({ deadline });
      logger.info('upload reconciliation', { ...report });
      if (!report.complete) throw new Error(`Upload reconciliation stopped at its time limit after ${report.checked} uploads; a retry continues it`);
      return report;
    }
    for (const record of (event as S3Event).Records ?? []) {
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const target = parseUploadKey(key);
      if (!target) {
        logger.warn('ignoring object outside the uploads prefix', { key });
        continue;
      }
      const doc = await registry.verifyUpload(target.caseNo, target.documentId);
      logger.info('upload checked', { caseNo: target.caseNo, documentId: target.documentId, status: doc?.status ?? 'unknown' });
    }
    return undefined;
  },
);
