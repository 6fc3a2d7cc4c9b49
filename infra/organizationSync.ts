import * as path from "node:path";
import { Aws, Duration } from "aws-cdk-lib";
import { type Alarm, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct, type IConstruct } from "constructs";
import {
  METRICS_NAMESPACE,
  QUIET_ACCOUNTS_METRIC,
  SERVICE_NAME,
  SYNC_SERVICE_NAME,
} from "../lambda/core/index";
import { alarmWhenReached } from "./alarms";
import { RULE_ARCHITECTURE, RULE_RUNTIME, ruleBundling, SOURCE_MAP_NODE_OPTIONS } from "./bundling";
import { packageRoot } from "./packageRoot";
import { acknowledge } from "./validation";

export const ORGANIZATION_SYNC_ENTRY = path.join(packageRoot(), "lambda", "orgSync", "handler.ts");

/** The sync runs this often whatever events arrive: the guarantee, events only make it sooner. */
export const SYNC_SCHEDULE_MINUTES = 60;

/**
 * AWS Organizations API calls and service events, delivered by CloudTrail to EventBridge (best effort), after
 * which the organization's ACTIVE accounts may have changed.
 */
export const ORGANIZATION_EVENT_NAMES = [
  "CreateAccountResult",
  "AcceptHandshake",
  "InviteAccountToOrganization",
  "RemoveAccountFromOrganization",
  "LeaveOrganization",
  "CloseAccount",
] as const;

export interface OrganizationSyncFunctionProps {
  /** The central rule function whose invoke policy the sync rewrites. */
  readonly ruleFunction: IFunction;
  /** Accounts the pack skips: the policy never admits them. */
  readonly excludedAccounts: readonly string[];
  /** The rule's periodic frequency in seconds: an account is quiet after twice that without a sweep. */
  readonly frequencySeconds: number;
  /**
   * Where the alarms notify.
   * @default - alarms without actions
   */
  readonly alarmTopic?: ITopic;
}

/**
 * A small function that keeps the central function's invoke policy equal to the organization's ACTIVE
 * accounts (`lambda/orgSync/`), every hour, after AWS Organizations' account events and after each deployment
 * of this stack, and counts the accounts whose sweeps stopped. Its role may list the organization's accounts,
 * read and write the resource policy of that one function and read metrics, nothing else.
 */
export class OrganizationSyncFunction extends Construct {
  readonly function: NodejsFunction;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: OrganizationSyncFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, "Logs", { retention: RetentionDays.THREE_MONTHS });
    const role = this.createRole(props, logGroup);

    this.function = new NodejsFunction(this, "Function", {
      entry: ORGANIZATION_SYNC_ENTRY,
      handler: "handler",
      runtime: RULE_RUNTIME,
      architecture: RULE_ARCHITECTURE,
      bundling: ruleBundling,
      role: role.withoutPolicyUpdates(),
      timeout: Duration.minutes(5),
      memorySize: 256,
      // One writer at a time; the policy's revision id guards against any other.
      reservedConcurrentExecutions: 1,
      retryAttempts: 2,
      logGroup,
      environment: {
        RULE_FUNCTION_ARN: props.ruleFunction.functionArn,
        EXCLUDED_ACCOUNTS: props.excludedAccounts.join(","),
        RULE_FREQUENCY_SECONDS: String(props.frequencySeconds),
        RULE_METRICS_NAMESPACE: METRICS_NAMESPACE,
        RULE_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: SOURCE_MAP_NODE_OPTIONS,
      },
      description: "Keeps the ECS pidMode rule function's invoke policy equal to the organization's accounts",
    });

    this.runOnScheduleAndEvents();
    this.alarms = this.createAlarms(props.alarmTopic);
  }

  /** May list the organization's accounts, read and write this one function's policy and read metrics. */
  private createRole(props: OrganizationSyncFunctionProps, logGroup: LogGroup): Role {
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description:
        "ECS in-use pidMode rule: keeps the central function's invoke policy in step with the organization",
      inlinePolicies: {
        Sync: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: "ListOrganizationAccounts",
              actions: ["organizations:ListAccounts"],
              resources: ["*"],
            }),
            new PolicyStatement({
              sid: "RuleFunctionInvokePolicy",
              actions: ["lambda:GetResourcePolicy", "lambda:PutResourcePolicy"],
              resources: [props.ruleFunction.functionArn],
            }),
            new PolicyStatement({
              sid: "ReadSweepHeartbeats",
              actions: ["cloudwatch:GetMetricData"],
              resources: ["*"],
            }),
            new PolicyStatement({
              sid: "WriteOwnLogs",
              actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    acknowledge(
      role.node.defaultChild as IConstruct,
      ["AwsSolutions-IAM5[Resource::*]"],
      "organizations:ListAccounts and cloudwatch:GetMetricData have no resource type in the Service " +
        "Authorization Reference: they take Resource * only.",
    );
    return role;
  }

  /** Hourly, when an account joins or leaves, and after each deployment of the stack. */
  private runOnScheduleAndEvents(): void {
    const target = new LambdaFunction(this.function);
    new Rule(this, "Schedule", {
      description: "Sync the ECS pidMode rule's invoke policy with the organization, hourly",
      schedule: Schedule.rate(Duration.minutes(SYNC_SCHEDULE_MINUTES)),
      targets: [target],
    });
    // Organizations is a global service: CloudTrail delivers its events to EventBridge in us-east-1 of the
    // management account; elsewhere (another Region, a delegated administrator) this rule never fires and the
    // schedule alone keeps the policy true.
    new Rule(this, "AccountEvents", {
      description:
        "Sync the ECS pidMode rule's invoke policy when an account joins or leaves the organization",
      eventPattern: {
        source: ["aws.organizations"],
        detailType: ["AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"],
        detail: { eventSource: ["organizations.amazonaws.com"], eventName: [...ORGANIZATION_EVENT_NAMES] },
      },
      targets: [target],
    });
    // A deployment puts the synthesized policy (memberAccountIds) back: sync right after it.
    new Rule(this, "AfterDeployment", {
      description: "Sync the ECS pidMode rule's invoke policy after each deployment of its stack",
      eventPattern: {
        source: ["aws.cloudformation"],
        detailType: ["CloudFormation Stack Status Change"],
        detail: {
          "stack-id": [Aws.STACK_ID],
          "status-details": { status: ["CREATE_COMPLETE", "UPDATE_COMPLETE"] },
        },
      },
      targets: [target],
    });
  }

  private createAlarms(topic: ITopic | undefined): Alarm[] {
    return [
      alarmWhenReached(this, "SyncErrors", {
        topic,
        alarmDescription:
          "The ECS pidMode organization sync failed: accounts that joined may be refused, or the organization outgrew one policy",
        metric: this.function.metricErrors({ period: Duration.hours(1), statistic: "Sum" }),
      }),
      // Missing data is breaching: no count at all means the sync stopped, and with it the watch.
      alarmWhenReached(this, "AccountsWithoutSweep", {
        topic,
        alarmDescription:
          "An account has completed no ECS pidMode sweep within twice the rule's frequency (role removed, recorder off, Lambda refusing it): see the sync function's log for which",
        metric: new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: QUIET_ACCOUNTS_METRIC,
          dimensionsMap: { service: SYNC_SERVICE_NAME },
          statistic: "Maximum",
          period: Duration.minutes(SYNC_SCHEDULE_MINUTES),
        }),
        treatMissingData: TreatMissingData.BREACHING,
      }),
    ];
  }
}
