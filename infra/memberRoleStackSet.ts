import { Aws, CfnCondition, type CfnResource, CfnStackSet, Duration, Fn } from "aws-cdk-lib";
import { type Alarm, Metric } from "aws-cdk-lib/aws-cloudwatch";
import { Match, Rule } from "aws-cdk-lib/aws-events";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { alarmWhenReached } from "./alarms";
import { joinRoleArns, memberRoleTemplateBody } from "./memberRoleStack";

/** Appended to the pack name to name the StackSet. */
export const STACK_SET_NAME_SUFFIX = "-member-role";

export interface MemberRoleStackSetProps {
  /** The StackSet is named after the pack: `<packName>-member-role`. */
  readonly packName: string;
  /** The member role's name, the rule's `ExecutionRoleName`. */
  readonly executionRoleName: string;
  /** Which accounts get the role (see `memberCoverage`). */
  readonly targets: CfnStackSet.DeploymentTargetsProperty;
  /** The function roles that may assume the member role, one per Region the function runs in. */
  readonly trustedFunctionRoleArns: readonly string[];
  /** Whether the StackSet is created by the management account (`SELF`) or a delegated administrator (`DELEGATED_ADMIN`). */
  readonly callAs: "SELF" | "DELEGATED_ADMIN";
  /** Created only where this condition holds (IAM is global: one StackSet for all Regions). */
  readonly condition: CfnCondition;
  /**
   * Where the failed-instances alarm notifies.
   * @default - the alarm has no action
   */
  readonly alarmTopic?: ITopic;
}

/**
 * How the organization's StackSets deploy to member accounts: to every account of the targets, kept in step
 * as accounts join and leave. The rule cannot work in an account without what they deploy: any failed account
 * fails the operation, and so the stack (before the pack). SOFT_FAILURE_TOLERANCE keeps 25 % of the accounts
 * in flight at once; under the default STRICT mode the concurrency would be capped at the tolerance + 1, here
 * 1 account.
 */
export const MEMBER_STACK_SET_DEPLOYMENT = {
  permissionModel: "SERVICE_MANAGED",
  autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
  managedExecution: { Active: true },
  operationPreferences: {
    concurrencyMode: "SOFT_FAILURE_TOLERANCE",
    failureToleranceCount: 0,
    maxConcurrentPercentage: 25,
  },
} as const;

/**
 * The service-managed StackSet that gives every covered member account the role the function assumes there,
 * with no failure tolerated, and an alarm for stack instances that fail later (automatic deployment to new
 * accounts, which `OperationPreferences` do not govern).
 */
export class MemberRoleStackSet extends Construct {
  readonly stackSet: CfnStackSet;
  readonly stackSetName: string;
  readonly condition: CfnCondition;
  readonly failedInstancesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    this.stackSetName = `${props.packName}${STACK_SET_NAME_SUFFIX}`;
    this.condition = props.condition;
    this.stackSet = new CfnStackSet(this, "Resource", {
      stackSetName: this.stackSetName,
      description: "The role the ECS in-use pidMode rule function assumes in each member account",
      ...MEMBER_STACK_SET_DEPLOYMENT,
      callAs: props.callAs,
      capabilities: ["CAPABILITY_NAMED_IAM"],
      // IAM is global: one Region (this stack's) creates the role for all Regions.
      stackInstancesGroup: [{ deploymentTargets: props.targets, regions: [Aws.REGION] }],
      parameters: [
        { parameterKey: "ExecutionRoleName", parameterValue: props.executionRoleName },
        { parameterKey: "RuleAccountId", parameterValue: Aws.ACCOUNT_ID },
        {
          parameterKey: "TrustedFunctionRoleArns",
          parameterValue: joinRoleArns(props.trustedFunctionRoleArns),
        },
      ],
      templateBody: memberRoleTemplateBody(),
    });
    this.stackSet.cfnOptions.condition = props.condition;

    // CloudFormation reports each stack instance's status to EventBridge in this account and Region.
    const failedInstances = new Rule(this, "FailedInstances", {
      description:
        "A stack instance of the ECS pidMode member-role StackSet failed: an account lacks the role",
      eventPattern: {
        source: ["aws.cloudformation"],
        detailType: ["CloudFormation StackSet StackInstance Status Change"],
        detail: {
          // By name only: which account a delegated administrator's StackSet ARN names is not documented.
          "stack-set-arn": Match.wildcard(`arn:*:cloudformation:*:*:stackset/${this.stackSetName}:*`),
          "status-details": { "detailed-status": ["FAILED", "INOPERABLE"] },
        },
      },
    });
    this.failedInstancesAlarm = alarmWhenReached(this, "FailedInstancesAlarm", {
      alarmDescription:
        "A member account has no ECS pidMode rule role (StackSet instance FAILED or INOPERABLE): its evaluations fail",
      metric: new Metric({
        namespace: "AWS/Events",
        metricName: "TriggeredRules",
        dimensionsMap: { RuleName: failedInstances.ruleName },
        statistic: "Sum",
        period: Duration.minutes(5),
      }),
      topic: props.alarmTopic,
    });
    for (const construct of [failedInstances, this.failedInstancesAlarm]) {
      (construct.node.defaultChild as CfnResource).cfnOptions.condition = props.condition;
    }
  }
}

/** True in the first listed Region only: where the StackSet and its alarm live. */
export function firstRegionCondition(scope: Construct, ruleRegions: readonly string[]): CfnCondition {
  return new CfnCondition(scope, "IsFirstRuleRegion", {
    expression: Fn.conditionEquals(Aws.REGION, ruleRegions[0] ?? ""),
  });
}
