/**
 * The upload check: S3 tells us an object landed under uploads/; the registry checks it (magic
 * bytes against the declared type, size, SHA-256) and records it or quarantines it. Idempotent,
 * so S3's at-least-once delivery and Lambda's retries are harmless.
 */
import type { S3Event } from 'aws-lambda';
import { parseUploadKey } from '../../shared/storage/object-keys';
import { getRuntime, logger } from '../common/runtime';

export async function handler(event: S3Event): Promise<void> {
  const { registry } = await getRuntime();
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const target = parseUploadKey(key);
    if (!target) {
      logger.warn('ignoring object outside the uploads prefix', { key });
      continue;
    }
    const doc = await registry.verifyUpload(target.caseNo, target.documentId);
    logger.info('upload checked', { caseNo: target.caseNo, documentId: target.documentId, status: doc?.status ?? 'unknown' });
  }
}
