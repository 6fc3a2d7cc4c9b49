import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";

export interface AlarmWhenReachedProps {
  /** What has gone wrong when it fires, and what that means for the owner. */
  readonly alarmDescription: string;
  /** The count (or age) watched, over one period. */
  readonly metric: IMetric;
  /** The value that fires the alarm. @default 1 */
  readonly threshold?: number;
  /** A period without data: quiet, unless silence itself is the failure. @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: TreatMissingData;
  /** Notified when the alarm fires. @default - no action */
  readonly topic?: ITopic | undefined;
}

/** An alarm that fires as soon as one period's value reaches the threshold: every alarm of this project. */
export function alarmWhenReached(scope: Construct, id: string, props: AlarmWhenReachedProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: props.alarmDescription,
    metric: props.metric,
    threshold: props.threshold ?? 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
  });
  if (props.topic) alarm.addAlarmAction(new SnsAction(props.topic));
  return alarm;
}
