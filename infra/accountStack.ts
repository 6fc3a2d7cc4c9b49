import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { EcsPidModeRule, type EcsPidModeRuleProps } from "./ecsPidModeRule";
import { importedTopic } from "./ruleFunction";

export interface AccountStackProps extends StackProps {
  /** The rule, its function and how it is deployed. */
  readonly rule?: EcsPidModeRuleProps;
  /**
   * An existing SNS topic the alarms notify (overrides `rule.alarmTopic`).
   * @default - `rule.alarmTopic`
   */
  readonly alarmTopicArn?: string;
}

/** One account and Region: `npx cdk deploy` with AWS Config recording there. */
export class AccountStack extends Stack {
  readonly rule: EcsPidModeRule;

  constructor(scope: Construct, id: string, props: AccountStackProps = {}) {
    super(scope, id, {
      description:
        "AWS Config rule: ECS task definition revisions used by RUNNING tasks must not use pidMode host",
      ...props,
    });
    this.rule = new EcsPidModeRule(this, "EcsPidModeRule", {
      ...props.rule,
      alarmTopic: importedTopic(this, props.alarmTopicArn) ?? props.rule?.alarmTopic,
    });
  }
}
