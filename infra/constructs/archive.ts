/**
 * The archive in AWS (DESIGN §6, docs/archive.md):
 * - ArchiveStore: the archive bucket with S3 Object Lock in compliance mode (a 10-year default
 *   retention as a safety net; archive-run sets each object's own retention, and a legal hold on
 *   permanent records), versioning, its own rotating KMS key, TLS only, public access blocked,
 *   access logs; a bucket policy denies every write and delete to anyone but archive-run's role.
 * - ArchiveOperations: the schedules (daily archive run, monthly fixity pass with a daily
 *   continuation, Asia/Shanghai), their dead-letter queues, and the alarms (errors, DLQs, cases
 *   the run could not archive, fixity problems).
 */
import { Duration, RemovalPolicy, Stack, TimeZone, type CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { atLeastOnceAlarm, FIVE_MINUTE_SUM } from './alarms';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ARCHIVE_BUCKET } from '../../shared/storage/definitions';
import { suppressDeadLetterQueueOfItsOwn, suppressGuard } from './guard';
import { registryKey } from './keys';
import { acknowledge, arnToken } from './nag';
import type { RegistryFunction } from './registry-function';

/** The shortest retention class (10 years), as the bucket's default: an object written without its own lock still gets one. */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 3653;
export const ARCHIVE_OBJECT_LOCK_MODE = 'COMPLIANCE';
export const METRICS_NAMESPACE = 'XinfangRegistry';

export interface ArchiveStoreProps {
  /** Server access logs go to the registry's access-log bucket, under archive/. */
  accessLogs: s3.IBucket;
  /** Browser origins of the web UI: archivists view retrieved files in the page (presigned GET only). */
  webOrigins: string[];
}

export class ArchiveStore extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly objectLockMode = ARCHIVE_OBJECT_LOCK_MODE;

  constructor(scope: Construct, id: string, props: ArchiveStoreProps) {
    super(scope, id);
    this.key = registryKey(this, 'Key', `Xinfang registry: encrypts the ${ARCHIVE_BUCKET.logicalName} bucket (${ARCHIVE_BUCKET.purpose})`);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(DEFAULT_ARCHIVE_RETENTION_DAYS)),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: `${ARCHIVE_BUCKET.logicalName.toLowerCase()}/`,
      // The web application shows a retrieved PDF in the page (pdf.js fetches the presigned link).
      cors: [
        {
          allowedOrigins: props.webOrigins,
          allowedMethods: [s3.HttpMethods.GET],
          allowedHeaders: ['range'],
          exposedHeaders: ['Content-Length', 'Content-Range'],
          maxAge: 3600,
        },
      ],
      // No expiry of any kind: retention is Object Lock's business, destruction the registry's (disposal).
      lifecycleRules: [{ id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppressGuard(
      this.bucket,
      's3_event_notifications_enabled_check',
      'Only archive-run writes here (bucket policy), and it verifies every copy as it writes it; the monthly fixity pass re-reads everything. An event per archived object would have nobody to tell anything new.',
    );
  }

  /**
   * Only this role may write or delete (defence in depth beside the IAM grants): the bucket
   * refuses PUT, COPY, retention and legal-hold changes and DELETE from every other principal of
   * the account, administrators included.
   */
  restrictWritesTo(role: iam.IRole): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheArchiveRunWrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:PutObject',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:BypassGovernanceRetention',
          's3:RestoreObject',
        ],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
  }
}

export interface ArchiveOperationsProps {
  archiveRun: RegistryFunction;
  fixity: RegistryFunction;
  /** The DLQs the functions were created with (asynchronous invocations after their retries). */
  archiveRunDlq: sqs.Queue;
  fixityDlq: sqs.Queue;
}

/** A dead-letter queue of a scheduled archive function: SSE, TLS only, kept 14 days. */
export function archiveDlq(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  suppressDeadLetterQueueOfItsOwn(queue);
  return queue;
}

export class ArchiveOperations extends Construct {
  readonly schedules: scheduler.Schedule[];
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ArchiveOperationsProps) {
    super(scope, id);
    const { archiveRun, fixity } = props;
    const at = (o: { minute: string; hour: string; day?: string }) => scheduler.ScheduleExpression.cron({ ...o, timeZone: TimeZone.ASIA_SHANGHAI });
    // One role for the archive's schedules: it may invoke the two archive functions and send to their DLQs.
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Xinfang registry: EventBridge Scheduler invoking the archive run and the fixity check',
    });
    for (const fn of [archiveRun, fixity]) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${arnToken(fn.fn.node.defaultChild as CfnResource)}:*]`,
        `The scheduler target's invoke grant (CDK grantInvoke) covers the ${fn.functionName} function and its versions/aliases (ARN:*); it names no other function.`,
      );
    }
    const invoke = (fn: RegistryFunction, dlq: sqs.Queue, input: Record<string, string>) =>
      new targets.LambdaInvoke(fn.fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject(input),
        deadLetterQueue: dlq,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });

    this.schedules = [
      new scheduler.Schedule(this, 'DailyArchiveRun', {
        description: 'Archives every closed case, then carries out approved disposals (02:00 Asia/Shanghai)',
        schedule: at({ minute: '0', hour: '2' }),
        target: invoke(archiveRun, props.archiveRunDlq, { task: 'archive-run' }),
      }),
      new scheduler.Schedule(this, 'MonthlyFixityPass', {
        description: 'Starts a fixity pass: re-hashes every archived file against its manifest (1st of the month, 03:00 Asia/Shanghai)',
        schedule: at({ minute: '0', hour: '3', day: '1' }),
        target: invoke(fixity, props.fixityDlq, { task: 'fixity', mode: 'start' }),
      }),
      new scheduler.Schedule(this, 'DailyFixityContinue', {
        description: 'Continues an unfinished fixity pass where its time ran out (daily 03:30 Asia/Shanghai; does nothing when none is open)',
        schedule: at({ minute: '30', hour: '3' }),
        target: invoke(fixity, props.fixityDlq, { task: 'fixity', mode: 'continue' }),
      }),
    ];
    // Cases the run could not archive and fixity problems are counted from the functions' own logs.
    const failures = new logs.MetricFilter(this, 'ArchiveFailuresFilter', {
      logGroup: archiveRun.logGroup,
      metricNamespace: METRICS_NAMESPACE,
      metricName: 'ArchiveFailures',
      filterPattern: logs.FilterPattern.numberValue('$.archiveFailures', '>', 0),
      metricValue: '$.archiveFailures',
    });
    const problems = new logs.MetricFilter(this, 'FixityProblemsFilter', {
      logGroup: fixity.logGroup,
      metricNamespace: METRICS_NAMESPACE,
      metricName: 'FixityProblems',
      filterPattern: logs.FilterPattern.numberValue('$.fixityProblems', '>', 0),
      metricValue: '$.fixityProblems',
    });
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric) => atLeastOnceAlarm(this, alarmId, description, metric);
    const five = FIVE_MINUTE_SUM;
    this.alarms = [
      alarm(
        'FixityProblems',
        'The fixity check found an archived file missing or altered: see the archive-verify logs and the case’s audit trail (archive.fixity-failed).',
        problems.metric({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      ),
      alarm(
        'ArchiveFailures',
        'The archive run could not archive a case (it stays closed with its originals; the next run retries): see the archive-run logs.',
        failures.metric({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      ),
      alarm('ArchiveRunErrors', 'archive-run failed (it is retried twice, then the event goes to its DLQ).', archiveRun.fn.metricErrors(five)),
      alarm(
        'ArchiveRunDlqNotEmpty',
        'Archive runs that failed after all retries are waiting in the archive-run DLQ.',
        props.archiveRunDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      ),
      alarm('FixityErrors', 'The fixity check failed (it is retried twice, then the event goes to its DLQ).', fixity.fn.metricErrors(five)),
      alarm(
        'FixityDlqNotEmpty',
        'Fixity runs that failed after all retries are waiting in the archive-verify DLQ.',
        props.fixityDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      ),
    ];
  }
}
