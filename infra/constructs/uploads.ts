/**
 * The daily upload reconciliation in AWS (docs/architecture.md, Uploads): EventBridge Scheduler
 * invokes `verify-upload` every day at 01:00 Asia/Shanghai — before the archive run at 02:00 —
 * with `{ "task": "reconcile-uploads" }`. Pending uploads whose link expired are checked then
 * (an object-created event may have been lost) or marked expired, so no document stays pending
 * and the archive run finds none. Retried twice by the scheduler if it cannot invoke the function
 * (then the function's DLQ); a run that stopped at its time limit fails and Lambda retries it.
 */
import { Duration, Stack, TimeZone, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, arnToken } from './nag';
import type { RegistryFunction } from './registry-function';

export interface UploadReconciliationProps {
  verifyUpload: RegistryFunction;
  /** The verify-upload function's DLQ. */
  dlq: sqs.Queue;
}

/** The hour of the daily reconciliation (Asia/Shanghai), as local/daily.ts runs it. */
export const UPLOAD_RECONCILIATION_HOUR = '1';

export class UploadReconciliation extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: UploadReconciliationProps) {
    super(scope, id);
    const { verifyUpload } = props;
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Xinfang registry: EventBridge Scheduler invokes the daily upload reconciliation',
    });
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${arnToken(verifyUpload.fn.node.defaultChild as CfnResource)}:*]`,
      "CDK's grantInvoke allows lambda:InvokeFunction on the verify-upload function and its versions and aliases (<arn>:*); this role can invoke that one function only, and is assumable only by EventBridge Scheduler of this account.",
    );
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description:
        'The upload reconciliation: pending uploads whose link expired are checked or marked expired (daily 01:00 Asia/Shanghai, before the archive run)',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: UPLOAD_RECONCILIATION_HOUR, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new targets.LambdaInvoke(verifyUpload.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ task: 'reconcile-uploads' }),
        deadLetterQueue: props.dlq,
        role,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
