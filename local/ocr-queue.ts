/**
 * The local stand-in for the OCR's SQS queue (docs/ocr.md, "Locally"): s3rver's object-created
 * events of the verified copies become messages, and the same `ocr` handler as in AWS runs them
 * in-process, one at a time, in the background — the API never waits for a reading. A message
 * whose job failed (a partial batch failure) is delivered again after `retryDelayMs`, its receive
 * count raised, up to OCR_MAX_ATTEMPTS (the handler's last attempt marks the document failed),
 * then dropped as SQS would move it to the DLQ. The queue itself is in memory: at start the stack
 * queues again the jobs a stopped process left unfinished (the documents still marked queued).
 */
import { randomUUID } from 'node:crypto';
import type { S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { OcrJob } from '../shared/app/ocr-ports';
import { OCR_MAX_ATTEMPTS } from '../shared/domain/ocr';
import { ocrJobMessageBody } from '../shared/storage/object-keys';

export type OcrHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface LocalOcrQueueOptions {
  /** The `ocr` handler (loaded on the first message, so a start with no job loads nothing). */
  handler: () => Promise<OcrHandler>;
  region: string;
  /** Before a failed message is delivered again (default 5 s). */
  retryDelayMs?: number;
  maxAttempts?: number;
  /** Told about a message given up (SQS's DLQ) or a handler that threw. */
  onError?: (message: string, error?: unknown) => void;
}

export interface LocalOcrQueue {
  /** Queues the records of an object-created event (one message, as S3 sends it). */
  send(records: S3EventRecord[]): void;
  /** Queues a job as the event of its verified copy would (the jobs a stopped process left, queued again at start). */
  sendJob(job: OcrJob): void;
  /** Resolves when no message waits, runs or is due for a retry. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Message {
  id: string;
  body: string;
  receives: number;
  sentAt: number;
}

export function startLocalOcrQueue(options: LocalOcrQueueOptions): LocalOcrQueue {
  const waiting: Message[] = [];
  const retries = new Set<NodeJS.Timeout>();
  const maxAttempts = options.maxAttempts ?? OCR_MAX_ATTEMPTS;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  let running: Promise<void> | undefined;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running || waiting.length > 0 || retries.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const deliver = async (message: Message): Promise<void> => {
    message.receives += 1;
    const record: SQSRecord = {
      messageId: message.id,
      receiptHandle: `${message.id}#${message.receives}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receives),
        SentTimestamp: String(message.sentAt),
        SenderId: 's3.amazonaws.com',
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${options.region}:000000000000:xf-ocr-local`,
      awsRegion: options.region,
    };
    let failed: boolean;
    try {
      const handler = await options.handler();
      const response = await handler({ Records: [record] });
      failed = (response?.batchItemFailures ?? []).some((f) => f.itemIdentifier === message.id);
    } catch (error) {
      options.onError?.('[ocr] the handler failed', error);
      failed = true;
    }
    if (!failed || stopped) return;
    if (message.receives >= maxAttempts) {
      options.onError?.(`[ocr] message ${message.id} failed ${message.receives} times: given up (in AWS: the DLQ)`);
      return;
    }
    const timer = setTimeout(() => {
      retries.delete(timer);
      waiting.push(message);
      pump();
    }, retryDelayMs);
    retries.add(timer);
  };

  const pump = () => {
    if (running || stopped) return settleIdle();
    const next = waiting.shift();
    if (!next) return settleIdle();
    running = deliver(next).finally(() => {
      running = undefined;
      // The next job on a later turn of the event loop: requests waiting meanwhile go first.
      setImmediate(pump);
    });
  };

  return {
    send(records) {
      if (stopped || records.length === 0) return;
      waiting.push({ id: randomUUID(), body: JSON.stringify({ Records: records }), receives: 0, sentAt: Date.now() });
      pump();
    },
    sendJob(job) {
      if (stopped) return;
      waiting.push({ id: randomUUID(), body: ocrJobMessageBody(job), receives: 0, sentAt: Date.now() });
      pump();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    async stop() {
      stopped = true;
      for (const t of retries) clearTimeout(t);
      retries.clear();
      waiting.length = 0;
      await running;
      settleIdle();
    },
  };
}
