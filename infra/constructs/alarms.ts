/**
 * The registry's alarms all say "something happened at least once": an error, a message in a
 * dead-letter queue, a fixity problem. One helper fixes that shape; each caller gives the metric
 * and a description that tells the operator where to look.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** Sum over five minutes (errors, counts). */
export const FIVE_MINUTE_SUM = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
/** Maximum over five minutes (queue depth). */
export const FIVE_MINUTE_MAX = { period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM };

export function atLeastOnceAlarm(scope: Construct, id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
