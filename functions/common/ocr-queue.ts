/**
 * The OCR queue of this process (shared/app/ocr-ports.ts OcrQueue), for the sweep function's
 * `ocr-requeue` task: in AWS the SQS queue at OCR_QUEUE_URL (built on first use); the local stack
 * puts its in-process queue in its place (`useOcrQueue`), as it swaps the engine and the clock.
 * Nothing reachable over HTTP can.
 */
import { createSqsClient } from '../../shared/adapters/clients';
import { SqsOcrQueue } from '../../shared/adapters/sqs-ocr-queue';
import type { OcrQueue } from '../../shared/app/ocr-ports';
import { need } from '../../shared/config/env';
import { clientConfig, config } from './runtime-support';

let local: OcrQueue | undefined;
let sqs: OcrQueue | undefined;

/** Replaces the queue of this process (the local stack); undefined: SQS again. */
export function useOcrQueue(next: OcrQueue | undefined): void {
  local = next;
}

/** The queue the re-queue sends to: the local stack's, else SQS (fails fast without OCR_QUEUE_URL). */
export function ocrQueue(): OcrQueue {
  if (local) return local;
  sqs ??= new SqsOcrQueue(createSqsClient(clientConfig()), need(config(), 'ocrQueueUrl'));
  return sqs;
}
