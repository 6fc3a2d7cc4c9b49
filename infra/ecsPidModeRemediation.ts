import * as path from "node:path";
import { Aws, CfnOutput, Duration } from "aws-cdk-lib";
import type { Alarm } from "aws-cdk-lib/aws-cloudwatch";
import { CfnRemediationConfiguration } from "aws-cdk-lib/aws-config";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { CfnDocument, type IStringParameter } from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { FAMILY_SHAPE, TASK_DEFINITION_TYPE } from "../lambda/core/index";
import { alarmWhenReached } from "./alarms";
import { RULE_ARCHITECTURE, RULE_RUNTIME, ruleBundling, SOURCE_MAP_NODE_OPTIONS } from "./bundling";
import { packageRoot } from "./packageRoot";
import type { PackRemediation } from "./ruleDefinition";
import { ecsReadStatements } from "./rulePermissions";
import { acknowledge, requireInteger } from "./validation";

export const REMEDIATION_ENTRY = path.join(packageRoot(), "lambda", "remediation", "handler.ts");

/** aws:invokeLambdaFunction runs at most 300 s, so the function must end within it, report included. */
const STEP_TIMEOUT_SECONDS = 300;
const FUNCTION_TIMEOUT = Duration.seconds(290);

/** The tag every replacement carries: the function may register only revisions that carry it. */
const REPLACES_TAG_KEY = "ecs-pid-mode:replaces";

/** An IAM role name, or the ARN of a role (with its path). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export interface EcsPidModeRemediationProps {
  /** The Config rule the remediation belongs to (a literal name). */
  readonly ruleName: string;
  /**
   * The IAM roles (names, or ARNs for roles with a path) the function may pass to ECS tasks: the task and
   * execution roles of the families it may fix. Registering a replacement passes its roles, so its
   * `iam:PassRole` names only these; a family whose roles are not listed is reported as a manual step. At
   * least one: synth refuses a remediation that could pass every role of the account.
   */
  readonly passRoles: readonly string[];
  /**
   * Where the alarm on the function's errors notifies.
   * @default - the alarm has no action
   */
  readonly alarmTopic?: ITopic;
  /**
   * The exceptions parameter the rule reads: exempted revisions are never replaced.
   * @default - no exceptions
   */
  readonly exceptionsParameter?: IStringParameter;
  /**
   * How the rule's function verifies that parameter (`EcsPidModeRuleFunction.exceptionsEnvironment`: the
   * deployed value's digest, the maximum duration, organization mode): the remediation applies the same check,
   * and moves nothing while the list cannot be verified.
   * @default - no digest check, the default maximum duration, account mode
   */
  readonly exceptionsVerification?: Readonly<Record<string, string>>;
  /**
   * Run the remediation by itself for every NON_COMPLIANT task definition. Off by default: a person starts it
   * from the Config console (Remediate) for one family at a time.
   * @default false
   */
  readonly automatic?: boolean;
  /**
   * Automatic mode: attempts per resource within `retryAttemptSeconds` before Config gives up (1-25).
   * @default 3
   */
  readonly maximumAutomaticAttempts?: number;
  /**
   * Automatic mode: the window in seconds the attempts count in (1-2,678,000).
   * @default 600
   */
  readonly retryAttemptSeconds?: number;
  /**
   * How long the function waits for one service's deployment; a longer one fails the run, and a rerun resumes.
   * @default Duration.seconds(200)
   */
  readonly rolloutTimeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Whether this construct creates the AWS::Config::RemediationConfiguration. False when a conformance pack
   * carries it (the pack gets the runbook and role as parameters).
   * @default true
   */
  readonly createRemediationConfiguration?: boolean;
}

/**
 * The Config console's remediation for the rule: an SSM Automation runbook that invokes a small function
 * running the same code as `npm run remediate -- --apply`, for the one task definition family Config names.
 */
export class EcsPidModeRemediation extends Construct {
  readonly function: NodejsFunction;
  readonly document: CfnDocument;
  readonly automationRole: Role;
  readonly remediationConfiguration: CfnRemediationConfiguration | undefined;
  /** Fires when the function fails (a stopped run, manual steps left, an error): someone must look. */
  readonly errorsAlarm: Alarm;
  /** What a conformance pack's RemediationConfiguration needs to behave like this one. */
  readonly packRemediation: PackRemediation;

  constructor(scope: Construct, id: string, props: EcsPidModeRemediationProps) {
    super(scope, id);
    this.packRemediation = automationSettings(props);
    const rolloutSeconds = (props.rolloutTimeout ?? Duration.seconds(200)).toSeconds();
    requireInteger("rolloutTimeout (seconds)", rolloutSeconds, 1, FUNCTION_TIMEOUT.toSeconds() - 60);
    const passRoles = requirePassRoles(props.passRoles);

    const logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "ECS pidMode remediation function",
      inlinePolicies: {
        Remediate: new PolicyDocument({
          statements: functionStatements(passRoles, logGroup, props.exceptionsParameter),
        }),
      },
    });
    this.function = this.createFunction(props, role, logGroup, rolloutSeconds, passRoles);
    this.errorsAlarm = this.createErrorsAlarm(props.alarmTopic);
    this.automationRole = this.createAutomationRole();
    this.document = this.createRunbook();
    this.remediationConfiguration =
      props.createRemediationConfiguration === false
        ? undefined
        : this.createRemediationConfiguration(props.ruleName);
    this.addConformancePackOutputs();
    acknowledgeFunctionRole(role);
  }

  private createFunction(
    props: EcsPidModeRemediationProps,
    role: Role,
    logGroup: LogGroup,
    rolloutSeconds: number,
    passRoles: readonly { name: string }[],
  ): NodejsFunction {
    return new NodejsFunction(this, "Function", {
      entry: REMEDIATION_ENTRY,
      handler: "handler",
      runtime: RULE_RUNTIME,
      architecture: RULE_ARCHITECTURE,
      bundling: ruleBundling,
      role: role.withoutPolicyUpdates(),
      timeout: FUNCTION_TIMEOUT,
      memorySize: 1024,
      logGroup,
      // The runbook calls it synchronously and reports the outcome; no asynchronous retries.
      retryAttempts: 0,
      environment: {
        ...(props.exceptionsParameter
          ? {
              ...props.exceptionsVerification,
              EXCEPTIONS_PARAMETER_NAME: props.exceptionsParameter.parameterName,
            }
          : {}),
        ROLLOUT_TIMEOUT_SECONDS: String(rolloutSeconds),
        PASSABLE_ROLE_NAMES: JSON.stringify(passRoles.map((role) => role.name)),
        NODE_OPTIONS: SOURCE_MAP_NODE_OPTIONS,
      },
      description:
        "Moves the services of one ECS task definition family off pidMode host (Config remediation)",
    });
  }

  private createErrorsAlarm(alarmTopic: ITopic | undefined): Alarm {
    return alarmWhenReached(this, "FunctionErrors", {
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      alarmDescription:
        "The ECS pidMode remediation failed: a deployment failed, manual steps remain, or it could not run",
      topic: alarmTopic,
    });
  }

  /** The role the runbook runs as: it may only invoke the function. */
  private createAutomationRole(): Role {
    return new Role(this, "AutomationRole", {
      assumedBy: new ServicePrincipal("ssm.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
      description: "SSM Automation: invokes the ECS pidMode remediation function",
      inlinePolicies: {
        Invoke: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ["lambda:InvokeFunction"],
              resources: [this.function.functionArn],
            }),
          ],
        }),
      },
    });
  }

  private createRunbook(): CfnDocument {
    return new CfnDocument(this, "Runbook", {
      documentType: "Automation",
      documentFormat: "JSON",
      content: {
        schemaVersion: "0.3",
        description:
          "Registers a revision without pidMode host for each host-PID revision of the family that services run, moves each service to it and waits for its deployment. Never stops or starts standalone tasks.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
          Family: {
            type: "String",
            description: "The task definition family (the Config resource id).",
            allowedPattern: `^${FAMILY_SHAPE}$`,
          },
          AutomationAssumeRole: { type: "String", description: "The role the runbook runs as." },
        },
        mainSteps: [
          {
            name: "RemediateFamily",
            action: "aws:invokeLambdaFunction",
            timeoutSeconds: STEP_TIMEOUT_SECONDS,
            maxAttempts: 1,
            onFailure: "Abort",
            inputs: {
              FunctionName: this.function.functionArn,
              InvocationType: "RequestResponse",
              Payload: '{"family":"{{ Family }}"}',
            },
          },
        ],
      },
    });
  }

  private createRemediationConfiguration(ruleName: string): CfnRemediationConfiguration {
    const { automatic, maximumAutomaticAttempts, retryAttemptSeconds } = this.packRemediation;
    return new CfnRemediationConfiguration(this, "Remediation", {
      configRuleName: ruleName,
      targetType: "SSM_DOCUMENT",
      targetId: this.document.ref,
      resourceType: TASK_DEFINITION_TYPE,
      parameters: {
        AutomationAssumeRole: { StaticValue: { Values: [this.automationRole.roleArn] } },
        Family: { ResourceValue: { Value: "RESOURCE_ID" } },
      },
      automatic,
      ...(automatic ? { maximumAutomaticAttempts, retryAttemptSeconds } : {}),
    });
  }

  private addConformancePackOutputs(): void {
    new CfnOutput(this, "RemediationDocumentName", {
      description: "The runbook, for a conformance pack's RemediationDocumentName parameter",
      value: this.document.ref,
    });
    new CfnOutput(this, "RemediationRoleArn", {
      description: "The runbook's role, for a conformance pack's RemediationRoleArn parameter",
      value: this.automationRole.roleArn,
    });
  }
}

/** Automatic mode and its retries, validated (synth refuses a value Config would refuse). */
function automationSettings(props: EcsPidModeRemediationProps): PackRemediation {
  const maximumAutomaticAttempts = requireInteger(
    "maximumAutomaticAttempts",
    props.maximumAutomaticAttempts ?? 3,
    1,
    25,
  );
  const retryAttemptSeconds = requireInteger(
    "retryAttemptSeconds",
    props.retryAttemptSeconds ?? 600,
    1,
    2_678_000,
  );
  return { automatic: props.automatic ?? false, maximumAutomaticAttempts, retryAttemptSeconds };
}

/**
 * What the function may do: read what runs and how exposed it is, register only tagged replacements, update
 * services, pass only the named roles, write its logs and read the exceptions.
 */
function functionStatements(
  passRoles: readonly { arn: string }[],
  logGroup: LogGroup,
  exceptionsParameter: IStringParameter | undefined,
): PolicyStatement[] {
  const own = { region: Aws.REGION, account: Aws.ACCOUNT_ID };
  const ecsArn = (resource: string) => `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  return [
    ...ecsReadStatements(own),
    new PolicyStatement({
      sid: "ListRevisionsAndDescribeNetworkSupportNoResourceScope",
      actions: [
        "ecs:ListTaskDefinitions",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeLoadBalancers",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInstances",
      ],
      resources: ["*"],
    }),
    new PolicyStatement({
      sid: "DescribeServicesClustersInstancesOfThisRegion",
      actions: ["ecs:DescribeServices", "ecs:DescribeClusters", "ecs:DescribeContainerInstances"],
      resources: [ecsArn("service/*/*"), ecsArn("cluster/*"), ecsArn("container-instance/*/*")],
    }),
    new PolicyStatement({
      sid: "RegisterOnlyRevisionsTaggedAsReplacements",
      actions: ["ecs:RegisterTaskDefinition"],
      resources: ["*"],
      conditions: { Null: { [`aws:RequestTag/${REPLACES_TAG_KEY}`]: "false" } },
    }),
    new PolicyStatement({
      sid: "TagRevisionsOnlyWhileRegisteringThem",
      actions: ["ecs:TagResource"],
      resources: [ecsArn("task-definition/*:*")],
      conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    }),
    new PolicyStatement({
      sid: "UpdateServicesOfThisRegion",
      actions: ["ecs:UpdateService"],
      resources: [ecsArn("service/*/*")],
    }),
    new PolicyStatement({
      sid: "PassOnlyTheNamedRolesToEcsTasks",
      actions: ["iam:PassRole"],
      resources: passRoles.map((role) => role.arn),
      conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    }),
    new PolicyStatement({
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [logGroup.logGroupArn],
    }),
    ...(exceptionsParameter
      ? [
          new PolicyStatement({
            sid: "ReadExceptions",
            actions: ["ssm:GetParameter"],
            resources: [exceptionsParameter.parameterArn],
          }),
        ]
      : []),
  ];
}

function acknowledgeFunctionRole(role: Role): void {
  acknowledge(
    role,
    [
      "AwsSolutions-IAM5[Resource::*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service/*/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:cluster/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/*/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition/*:*]",
    ],
    "Resource * only for calls with no resource type in the Service Authorization Reference " +
      "(ecs:ListClusters, ecs:ListTaskDefinitions, ecs:DescribeTaskDefinition, ecs:RegisterTaskDefinition, " +
      "the Elastic Load Balancing and EC2 describes) and ecs:ListTasks (scoped by ecs:cluster). The family to fix " +
      "is chosen at run time, so services, clusters, instances and revisions of this account and Region end in *; " +
      "ecs:TagResource only on creation by RegisterTaskDefinition; ecs:RegisterTaskDefinition only with the replaces " +
      "tag; iam:PassRole only the roles the operator named, only to ecs-tasks.amazonaws.com.",
  );
}

/** The operator's roles as names and ARNs; refuses an empty list and anything that is not a role. */
function requirePassRoles(roles: readonly string[] | undefined): { name: string; arn: string }[] {
  if (roles === undefined || roles.length === 0)
    throw new Error(
      "remediation needs passRoles (context remediationPassRoles): the task and execution roles it may pass to ECS when it registers a replacement; without them it could pass any role of the account",
    );
  return [...new Set(roles)].map((role) => {
    if (ROLE_NAME.test(role))
      return { name: role, arn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${role}` };
    const name = ROLE_ARN.exec(role)?.[1];
    if (name === undefined)
      throw new Error(`passRoles: ${JSON.stringify(role)} is neither an IAM role name nor a role ARN`);
    return { name, arn: role };
  });
}
