/**
 * The notice sender: DynamoDB Streams delivers each new notice of the outbox (INSERT of an
 * `entity = notice` item, filtered by the event source mapping); each is delivered by email
 * through SES. Failed records are reported (partial batch response) and retried; after the
 * retries the event source mapping sends them to the sender's failure queue. A notice another
 * sender holds under a live lease is reported too (retried, not counted as delivered). Delivery
 * is idempotent per notice (claimed before sending, marked after).
 *
 * Its schedule (`{ "task": "retry-notices" }`, hourly) runs the retry: every notice not delivered
 * by now — a lease that ran out, a failed send, a lost stream record — found by the byDue index
 * and sent again, or given up after its last attempt. Each notice given up or undeliverable is
 * logged with `noticesFailed` / `noticesUndeliverable`, which metric filters turn into alarms.
 */
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { RetryReport } from '../../shared/app/outbox';
import { eventHandler } from '../common/event';
import { NoticeSchema } from '../../shared/domain/supervision';
import { logger } from '../common/runtime';
import { getSenderRuntime } from '../common/sender-runtime';

export interface RetryEvent {
  task: 'retry-notices';
}

export const handler = eventHandler(
  'notices',
  async (event: DynamoDBStreamEvent | RetryEvent, _context?: Context): Promise<DynamoDBBatchResponse | RetryReport> => {
    const { delivery } = await getSenderRuntime();
    if ('task' in event) {
      if (event.task !== 'retry-notices') throw new Error(`Unknown task ${String(event.task)}`);
      const report = await delivery.retryDue();
      logger.info('notice retry run', { ...report, noticesUndeliverable: report.undeliverable });
      return report;
    }
    const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = fromImage(image);
      if (item.entity !== 'notice') continue;
      const parsed = NoticeSchema.safeParse(item.notice);
      if (!parsed.success) {
        logger.error('not a notice; skipped', { keys: { pk: item.pk, sk: item.sk } });
        continue;
      }
      try {
        const result = await delivery.deliver(parsed.data);
        if (result === 'busy') {
          // Another sender holds it under a live lease: retried by the stream, then the retry run.
          logger.warn('notice held by another sender; retried', { noticeId: parsed.data.noticeId });
          failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        } else if (result === 'undeliverable') {
          logger.warn('notice undeliverable', { noticeId: parsed.data.noticeId, noticesUndeliverable: 1 });
        } else logger.info('notice delivered', { noticeId: parsed.data.noticeId, result });
      } catch (err) {
        logger.error('notice delivery failed; retried', { noticeId: parsed.data.noticeId, error: err as Error });
        failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      }
    }
    return { batchItemFailures: failures };
  },
);

/** A stream image as plain values (the attribute types the registry writes). */
function fromImage(image: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fromAttribute(v)]));
}

function fromAttribute(v: AttributeValue): unknown {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.L !== undefined) return v.L.map(fromAttribute);
  if (v.M !== undefined) return fromImage(v.M);
  if (v.SS !== undefined) return v.SS;
  if (v.NS !== undefined) return v.NS.map(Number);
  return undefined;
}
