/**
 * Machine reading of the scans in AWS (docs/ocr.md, "In AWS"): the object-created events of the
 * verified copies (`verified/`) go from the documents bucket to an SQS queue, which feeds the
 * `ocr` function one message at a time (partial batch failures: a failed job alone is retried).
 * After OCR_MAX_ATTEMPTS receives a message goes to the DLQ, and an alarm fires on any message
 * there; the document is then marked failed (the function's last attempt records it). A job whose
 * message was lost is sent again by the sweep function's `ocr-requeue` task (granted SendMessage
 * on this queue only; the schedule: DeadlineSweeps).
 *
 * The function's bundle carries the engine's native parts and models (infra/ocr-bundle.ts), built
 * on this machine without Docker.
 */
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { OCR_MAX_ATTEMPTS } from '../../shared/domain/ocr';
import { S3_PREFIX } from '../../shared/storage/definitions';
import { atLeastOnceAlarm, FIVE_MINUTE_MAX } from './alarms';
import { suppressDeadLetterQueueOfItsOwn } from './guard';
import type { RegistryFunction } from './registry-function';
import type { DocumentsStore } from './storage';

export interface OcrPipelineProps {
  ocr: RegistryFunction;
  documents: DocumentsStore;
  /** The function's timeout: a message stays invisible for longer while it is being read. */
  timeout: Duration;
  /** The function whose scheduled task sends lost jobs to the queue again (the sweep's `ocr-requeue`): SendMessage on this queue, its URL. */
  requeue: RegistryFunction;
}

export class OcrPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OcrPipelineProps) {
    super(scope, id);
    this.dlq = new sqs.Queue(this, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    suppressDeadLetterQueueOfItsOwn(this.dlq);
    this.queue = new sqs.Queue(this, 'Jobs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than a run may take, so a job being read is not delivered twice meanwhile.
      visibilityTimeout: props.timeout.plus(Duration.minutes(1)),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: OCR_MAX_ATTEMPTS },
    });
    props.documents.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), { prefix: S3_PREFIX.verified });
    props.ocr.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    // The scheduled re-queue (docs/ocr.md, "In AWS"): SendMessage on this queue only (SSE-SQS: no key to grant).
    props.requeue.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    props.requeue.setEnv(ENV.ocrQueueUrl, this.queue.queueUrl);
    this.alarms = [
      atLeastOnceAlarm(
        this,
        'DlqNotEmpty',
        'OCR jobs that failed on every attempt are in the OCR DLQ (their documents show 识别失败); see the ocr function logs for the error. The scans themselves are unaffected.',
        this.dlq.metricApproximateNumberOfMessagesVisible(FIVE_MINUTE_MAX),
      ),
    ];
  }
}
