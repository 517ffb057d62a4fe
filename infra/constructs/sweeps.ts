/**
 * The deadline sweep in AWS (DESIGN §5, docs/sweeps.md):
 * - the schedule: EventBridge Scheduler runs the `sweep` function every day at 08:00 in
 *   Asia/Shanghai (retried twice by the scheduler if it cannot invoke it, then its DLQ; a failed
 *   run is retried twice by Lambda — the sweep is resumable — then the same DLQ);
 * - the search retry: every 15 minutes the same function, with `{ task: 'search-refresh' }`,
 *   refreshes the search index of the cases whose refresh failed after they were saved
 *   (docs/search.md); same role, DLQ and retries;
 * - the OCR re-queue: every 30 minutes the same function, with `{ task: 'ocr-requeue' }`, sends the
 *   OCR jobs whose message was lost to the OCR queue again (docs/ocr.md); same role, DLQ and retries;
 * - the notices: the table's stream, filtered to new notice items, invokes `notify-sender`,
 *   which sends them by email through SES (a configuration set of its own; the sender identity
 *   and the address book come from context); failed batches are bisected and retried, then the
 *   records go to a failure queue;
 * - the sender's retry run, hourly: notices not delivered by now (expired leases, failed sends,
 *   lost stream records) are sent again or, after their last attempt, given up;
 * - alarms on the functions' errors, the DLQ, the failure queue, notices given up and notices
 *   with no address.
 */
import { Duration, Stack, TimeZone, type CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { atLeastOnceAlarm, FIVE_MINUTE_MAX, FIVE_MINUTE_SUM } from './alarms';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { parseAddressBook } from '../../shared/app/outbox';
import { METRICS_NAMESPACE } from './archive';
import { suppressDeadLetterQueueOfItsOwn } from './guard';
import { acknowledge, arnToken } from './nag';
import type { RegistryFunction } from './registry-function';
import type { RegistryTable } from './storage';

/** Where the notices come from and go to: CDK context `notifyFrom`, `sesIdentity`, `notifyAddresses`, `createSesIdentity`. */
export interface NotifyConfig {
  /** The From address of the notices (an address of the SES identity). */
  from: string;
  /** The SES identity it belongs to (a domain, or the address itself). */
  identity: string;
  /** The office's address book as JSON (director, clerk, departments); see docs/sweeps.md. */
  addresses?: string;
  /** Create the identity in this stack (its DNS records must then be published); default: it exists. */
  createIdentity: boolean;
}

export const DEFAULT_NOTIFY_FROM = 'xinfang-noreply@example.gov.cn';

export function notifyConfigFromContext(scope: Construct): NotifyConfig {
  const ctx = (k: string): string | undefined => {
    const v = scope.node.tryGetContext(k) as unknown;
    return v === undefined || v === '' ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
  };
  const from = ctx('notifyFrom') ?? DEFAULT_NOTIFY_FROM;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from)) throw new Error(`notifyFrom: "${from}" is not an email address`);
  const addresses = ctx('notifyAddresses');
  // A bad address book fails the synth, not the first notice.
  if (addresses !== undefined) parseAddressBook(addresses);
  return {
    from,
    identity: ctx('sesIdentity') ?? from.split('@')[1] ?? from,
    ...(addresses ? { addresses } : {}),
    createIdentity: ctx('createSesIdentity') === 'true',
  };
}

/** A dead-letter queue of the sweep: SSE, TLS only, kept 14 days. */
export function sweepDlq(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  suppressDeadLetterQueueOfItsOwn(queue);
  return queue;
}

export interface DeadlineSweepsProps {
  sweep: RegistryFunction;
  sender: RegistryFunction;
  table: RegistryTable;
  /** The DLQ the sweep function was created with. */
  sweepDlq: sqs.Queue;
  notify: NotifyConfig;
}

export class DeadlineSweeps extends Construct {
  readonly schedule: scheduler.Schedule;
  /** The retry of failed search-index refreshes, every 15 minutes (the sweep function's `search-refresh` task). */
  readonly searchRefreshSchedule: scheduler.Schedule;
  /** The re-queue of OCR jobs whose message was lost, every 30 minutes (the sweep function's `ocr-requeue` task; its grant: OcrPipeline). */
  readonly ocrRequeueSchedule: scheduler.Schedule;
  readonly senderFailures: sqs.Queue;
  readonly configurationSet: ses.ConfigurationSet;
  readonly noticeStream: lambda.EventSourceMapping;
  /** The sender's hourly retry run (expired leases, failed sends, lost stream records). */
  readonly retrySchedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DeadlineSweepsProps) {
    super(scope, id);
    const { sweep, sender, table } = props;

    // The scheduler's own role for this one target (instead of CDK's shared singleton), so the
    // one finding on it can be acknowledged here, with its reason.
    const stack = Stack.of(this);
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'Xinfang registry: EventBridge Scheduler invokes the deadline sweep and the search retry',
    });
    acknowledge(
      schedulerRole,
      `AwsSolutions-IAM5[Resource::${arnToken(sweep.fn.node.defaultChild as CfnResource)}:*]`,
      "CDK's grantInvoke allows lambda:InvokeFunction on the sweep function and its versions and aliases (<arn>:*); this role can invoke that one function only, and is assumable only by EventBridge Scheduler of this account.",
    );
    // Every schedule invokes the sweep function with its task, through the one role, the sweep's DLQ and 2 retries.
    const sweepTask = (input: Record<string, string>, maxEventAge: Duration) =>
      new targets.LambdaInvoke(sweep.fn, {
        input: scheduler.ScheduleTargetInput.fromObject(input),
        deadLetterQueue: props.sweepDlq,
        role: schedulerRole,
        retryAttempts: 2,
        maxEventAge,
      });
    this.schedule = new scheduler.Schedule(this, 'DailySweep', {
      description:
        'The deadline sweep: reminders, supervision (督办), flagged supervision, closing passed request windows, archive eligibility (daily 08:00 Asia/Shanghai)',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '8', timeZone: TimeZone.ASIA_SHANGHAI }),
      target: sweepTask({ source: 'schedule' }, Duration.hours(6)),
    });

    // A search-index refresh that failed after its case was saved leaves the case pending: retried
    // here, soon enough that a case is found by search a quarter of an hour later at worst.
    this.searchRefreshSchedule = new scheduler.Schedule(this, 'SearchRefresh', {
      description: 'Search: refreshes the index of the cases whose refresh failed after they were saved (every 15 minutes)',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(15)),
      target: sweepTask({ task: 'search-refresh' }, Duration.minutes(15)),
    });

    // An OCR job whose message was lost (S3 did not announce its verified copy) leaves its document
    // 识别中… for good: its marker, older than the grace period, is sent to the OCR queue again
    // (docs/ocr.md, "In AWS"). The queue's SendMessage permission and URL: OcrPipeline.
    this.ocrRequeueSchedule = new scheduler.Schedule(this, 'OcrRequeue', {
      description: 'OCR: sends the jobs whose message was lost (queued for over an hour) to the OCR queue again (every 30 minutes)',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(30)),
      target: sweepTask({ task: 'ocr-requeue' }, Duration.minutes(30)),
    });

    // Notices by email: SES with a configuration set of its own, from the configured identity.
    if (props.notify.createIdentity) {
      new ses.EmailIdentity(this, 'Identity', {
        identity: props.notify.identity.includes('@') ? ses.Identity.email(props.notify.identity) : ses.Identity.domain(props.notify.identity),
      });
    }
    this.configurationSet = new ses.ConfigurationSet(this, 'NoticeEmails', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    sender.bindNoticeStream(table);
    sender.bindEmail({
      identityArn: stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.notify.identity }),
      configurationSetArn: stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
      configurationSetName: this.configurationSet.configurationSetName,
      from: props.notify.from,
      addresses: props.notify.addresses,
    });

    this.senderFailures = sweepDlq(this, 'SenderFailures');
    acknowledge(
      this.senderFailures,
      'AwsSolutions-SQS3',
      'This queue is itself the failure destination of the notice stream’s event source mapping (records the sender could not deliver after its retries); cdk-nag recognises only Lambda DeadLetterConfig and SQS redrive as dead-letter use.',
    );
    const streamArn = table.table.tableStreamArn;
    if (!streamArn) throw new Error('The registry table has no stream: the notice sender reads new notices from it');
    this.noticeStream = new lambda.EventSourceMapping(this, 'NoticeStream', {
      target: sender.fn,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      retryAttempts: 5,
      maxRecordAge: Duration.days(1),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.senderFailures),
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('notice') } } },
        }),
      ],
    });
    // The mapping checks the role's stream permissions when it is created.
    this.noticeStream.node.addDependency(sender);

    // The retry run: hourly, every notice not delivered by now (a sender that died holding its
    // lease, a failed send, a lost stream record) is found by the byDue index and sent again, or
    // given up after its last attempt (NoticesFailed below).
    const retryRole = new iam.Role(this, 'RetrySchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: "Xinfang registry: EventBridge Scheduler invokes the notice sender's retry run",
    });
    acknowledge(
      retryRole,
      `AwsSolutions-IAM5[Resource::${arnToken(sender.fn.node.defaultChild as CfnResource)}:*]`,
      "CDK's grantInvoke allows lambda:InvokeFunction on the notice sender and its versions and aliases (<arn>:*); this role can invoke that one function only, and is assumable only by EventBridge Scheduler of this account.",
    );
    this.retrySchedule = new scheduler.Schedule(this, 'NoticeRetry', {
      description: 'Notices not delivered by now (expired leases, failed sends, lost stream records): sent again, or given up after 5 attempts (hourly)',
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new targets.LambdaInvoke(sender.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ task: 'retry-notices' }),
        deadLetterQueue: this.senderFailures,
        role: retryRole,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
    // Notices given up, and notices nobody has an address for, counted from the sender's own log lines.
    const counted = (filterId: string, metricName: string, field: string) =>
      new logs.MetricFilter(this, filterId, {
        logGroup: sender.logGroup,
        metricNamespace: METRICS_NAMESPACE,
        metricName,
        filterPattern: logs.FilterPattern.numberValue(`$.${field}`, '>', 0),
        metricValue: `$.${field}`,
      }).metric({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM });
    const failed = counted('NoticesFailedFilter', 'NoticesFailed', 'noticesFailed');
    const undeliverable = counted('NoticesUndeliverableFilter', 'NoticesUndeliverable', 'noticesUndeliverable');

    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric) => atLeastOnceAlarm(this, alarmId, description, metric);
    const five = FIVE_MINUTE_SUM;
    const visible = FIVE_MINUTE_MAX;
    this.alarms = [
      alarm(
        'SweepErrors',
        'The deadline sweep failed or could not finish (it is retried twice and continues where it stopped; then the event goes to its DLQ): see the sweep logs.',
        sweep.fn.metricErrors(five),
      ),
      alarm(
        'SweepDlqNotEmpty',
        'A deadline sweep failed after all retries: reminders and supervisions of that day may be missing until the next run (npm run sweep, or POST /admin/sweep).',
        props.sweepDlq.metricApproximateNumberOfMessagesVisible(visible),
      ),
      alarm('SenderErrors', 'The notice sender failed to deliver notices (retried; see the notify-sender logs).', sender.fn.metricErrors(five)),
      alarm(
        'SenderFailuresNotEmpty',
        'Stream records the sender could not handle after all retries (or retry runs the scheduler could not start) are in its failure queue; the hourly retry run still takes the notices.',
        this.senderFailures.metricApproximateNumberOfMessagesVisible(visible),
      ),
      alarm(
        'NoticesFailed',
        'A notice was given up after 5 delivery attempts (status failed in GET /outbox; counted on the dashboard): see the notify-sender logs ("notice failed").',
        failed,
      ),
      alarm(
        'NoticesUndeliverable',
        'A notice has no address in the address book (status undeliverable in GET /outbox): add the recipient to notifyAddresses.',
        undeliverable,
      ),
    ];
  }
}
