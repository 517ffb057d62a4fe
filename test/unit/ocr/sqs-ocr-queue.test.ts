/**
 * The SQS adapter of the OCR queue (shared/adapters/sqs-ocr-queue.ts), with the SDK mocked (there
 * is no SQS emulator here): one SendMessage to the queue's URL whose body the `ocr` function reads
 * as the verified copy's object-created event, naming the same job; a failed send throws.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobsOf } from '../../../functions/ocr/handler';
import { SqsOcrQueue } from '../../../shared/adapters/sqs-ocr-queue';

const sqs = new SQSClient({ region: 'cn-north-1' });
const mock = mockClient(sqs);
const URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/xf-ocr-jobs';

beforeEach(() => mock.reset());

describe('the SQS OCR queue', () => {
  it('sends one message to the queue, read by the ocr function as the job it names', async () => {
    mock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await new SqsOcrQueue(sqs, URL).send({ caseNo: 'XF-2026-000123', documentId: 'doc 1+2' });
    const calls = mock.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.QueueUrl).toBe(URL);
    expect(jobsOf(input.MessageBody ?? '')).toEqual([{ caseNo: 'XF-2026-000123', documentId: 'doc 1+2' }]);
  });

  it('throws when SQS refuses, so the re-queue keeps the marker', async () => {
    mock.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    await expect(new SqsOcrQueue(sqs, URL).send({ caseNo: 'XF-1', documentId: 'd' })).rejects.toThrow('AccessDenied');
  });
});
