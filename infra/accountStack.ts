import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { EcsPidModeRule, type EcsPidModeRuleProps } from "./ecsPidModeRule";
import { DEFAULT_RULE_NAME } from "./ruleDefinition";
import { importedTopic } from "./ruleFunction";

export interface AccountStackProps extends StackProps {
  /**
   * The rule, its function and how it is deployed.
   * @default - the construct's defaults: the rule named `ecs-in-use-task-definition-pid-mode-check`, no exceptions
   */
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
    // Outputs made at the stack's top level keep their ids as logical ids: scripts can read them by name.
    // The remediation's outputs (runbook and role, for a hand-deployed pack) get their ids as names too.
    for (const output of this.rule.remediation?.node.findAll() ?? []) {
      if (output instanceof CfnOutput) output.overrideLogicalId(output.node.id);
    }
    new CfnOutput(this, "RuleFunctionArn", {
      description: "The rule's function, for a conformance pack's RuleFunctionArn parameter",
      value: this.rule.ruleFunction.function.functionArn,
    });
    new CfnOutput(this, "RuleName", {
      description:
        "The Config rule's name as written in the template (inside a pack, Config appends a suffix)",
      value: props.rule?.ruleName ?? DEFAULT_RULE_NAME,
    });
  }
}
