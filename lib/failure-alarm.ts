import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface FailureAlarmProps {
  /** Counts failures: the alarm fires from the first one in a period. */
  readonly metric: cloudwatch.IMetric;
  readonly description: string;
  /** Where the alarm notifies. */
  readonly topic: ITopic;
}

/** An alarm on any failure (metric ≥ 1; no data is no failure) that notifies a topic. */
export function failureAlarm(scope: Construct, id: string, props: FailureAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.topic));
  return alarm;
}
