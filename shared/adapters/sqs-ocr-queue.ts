/**
 * The OCR queue in AWS (shared/app/ocr-ports.ts OcrQueue): SendMessage to the queue the verified
 * copies' object-created events feed (infra/constructs/ocr.ts), with the body such an event has
 * (ocrJobMessageBody), so the `ocr` function reads a job sent again as it reads S3's event.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OcrJob, OcrQueue } from '../app/ocr-ports';
import { ocrJobMessageBody } from '../storage/object-keys';

export class SqsOcrQueue implements OcrQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(job: OcrJob): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: ocrJobMessageBody(job) }));
  }
}
