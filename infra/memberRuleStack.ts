import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Annotations,
  App,
  Aws,
  CfnParameter,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Code } from "aws-cdk-lib/aws-lambda";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Bucket } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import {
  ACCOUNT_DIMENSION,
  FREQUENCY_SECONDS,
  METRICS_NAMESPACE,
  QUIET_AFTER_FREQUENCIES,
  SERVICE_NAME,
  SWEEP_HEARTBEAT_METRIC,
} from "../lambda/core/index";
import type { ExceptionEntry } from "./approvedExceptions";
import { EcsPidModeRuleFunction } from "./ruleFunction";

/** The rule function's name in every member account: the organization pack names it by this. */
export const MEMBER_FUNCTION_NAME = "ecs-pid-mode-rule";

/** The code bucket of each Region is named `<prefix>-<Region>`; the prefix names the administrator account. */
export const CODE_BUCKET_PREFIX_PARAMETER = "CodeBucketPrefix";
export const CODE_KEY_PARAMETER = "CodeKey";

/** What every member account's function is built with: the same for all accounts. */
export interface MemberRuleSettings {
  /**
   * Approved exceptions, delivered with the code in every account's exceptions parameter.
   * @default - none
   */
  readonly exceptions?: readonly ExceptionEntry[];
  /**
   * How many days from today an exception's `expires` date may be at most.
   * @default 365
   */
  readonly maxExceptionDays?: number;
  /**
   * The instant `maxExceptionDays` counts from.
   * @default - the time of synthesis
   */
  readonly exceptionsCheckedAt?: Date;
  /**
   * Share (0, 1] of each ECS read token bucket the rule may use.
   * @default 0.5
   */
  readonly ecsRateShare?: number;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

export interface MemberRuleStackProps extends StackProps, MemberRuleSettings {
  /**
   * The rule's periodic frequency in seconds: the account's heartbeat alarm fires when no sweep completed within
   * twice that (at most a day, CloudWatch's longest alarm window).
   * @default 21600 (six hours)
   */
  readonly sweepFrequencySeconds?: number;
}

/** CloudWatch evaluates an alarm over at most one day. */
const LONGEST_ALARM_WINDOW_SECONDS = 24 * 3600;

/**
 * The per-account organization shape, one member account's part: the rule function (code from the
 * administrator's code bucket in this Region), its failure queue, alarms and exceptions parameter, and the
 * permission for this account's own AWS Config to invoke it. No cross-account role, no cross-account
 * invocation. The organization stack's StackSet deploys this template to every covered account.
 */
export class MemberRuleStack extends Stack {
  readonly ruleFunction: EcsPidModeRuleFunction;
  /** Fires when this account's sweeps stop. */
  readonly sweepsStopped: Alarm;

  constructor(scope: Construct, id: string, props: MemberRuleStackProps = {}) {
    super(scope, id, {
      description:
        "ECS in-use pidMode Config rule function of this account (organization, per-account shape)",
      // The same template goes into a StackSet: no bootstrap version check, no CDK metadata resource.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
      ...props,
    });
    const prefix = new CfnParameter(this, CODE_BUCKET_PREFIX_PARAMETER, {
      allowedPattern: "[a-z0-9][a-z0-9.-]{1,40}",
      description: "The code buckets' name without the Region: <prefix>-<Region> holds the function's bundle",
    });
    const key = new CfnParameter(this, CODE_KEY_PARAMETER, {
      allowedPattern: "[\\w./-]{1,1024}",
      description: "The bundle's key (a zip whose index.js exports handler)",
    });
    const bucket = Bucket.fromBucketName(
      this,
      "CodeBucket",
      Fn.join("-", [prefix.valueAsString, Aws.REGION]),
    );
    // The key names the bundle by its content hash: new code is a new key, so the function is updated.
    Annotations.of(bucket).acknowledgeWarning(
      "@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified",
      "The code key is the bundle's content hash: every new bundle is a new key.",
    );
    this.ruleFunction = new EcsPidModeRuleFunction(this, "EcsPidModeRule", {
      ...props,
      // One list serves many accounts: entries must name theirs, as in the central shape.
      organizationExceptions: true,
      code: Code.fromBucket(bucket, key.valueAsString),
      functionName: MEMBER_FUNCTION_NAME,
    });
    // This account's AWS Config only.
    this.ruleFunction.function.addPermission("ConfigOfThisAccountInvokes", {
      principal: new ServicePrincipal("config.amazonaws.com"),
      sourceAccount: Aws.ACCOUNT_ID,
    });
    this.sweepsStopped = this.heartbeatAlarm(
      props.sweepFrequencySeconds ?? FREQUENCY_SECONDS.Six_Hours ?? 21_600,
    );
  }

  /**
   * This account's own heartbeat watch: with one function per account there is no central count, and one alarm
   * in the account's own template costs nothing to scale. Missing data is breaching: no completed sweep at all.
   */
  private heartbeatAlarm(frequencySeconds: number): Alarm {
    const window = Math.min(QUIET_AFTER_FREQUENCIES * frequencySeconds, LONGEST_ALARM_WINDOW_SECONDS);
    return new Alarm(this, "SweepsStopped", {
      alarmDescription:
        "The ECS pidMode rule completed no sweep of this account within twice its frequency (recorder off, rule removed, function failing)",
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SWEEP_HEARTBEAT_METRIC,
        dimensionsMap: { service: SERVICE_NAME, [ACCOUNT_DIMENSION]: Aws.ACCOUNT_ID },
        statistic: "Sum",
        period: Duration.seconds(window),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}

/** The member rule template as JSON, for the StackSet: synthesized from `MemberRuleStack` itself. */
export function memberRuleTemplateBody(settings: MemberRuleStackProps): string {
  // Its own output directory: under the CDK CLI the outer app's directory would receive this synthesis too.
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "member-rule-")) });
  const stack = new MemberRuleStack(app, "MemberRule", settings);
  return JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
}
