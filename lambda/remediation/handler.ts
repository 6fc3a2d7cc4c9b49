import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import { SsmExceptionsSource } from "../adapters/approvedExceptionsSource";
import { httpTimeouts } from "../adapters/sdkClientOptions";
import {
  type ApprovedException,
  DEFAULT_MAX_EXCEPTION_DAYS,
  exceptionsInForce,
} from "../core/approvedExceptions";
import { parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import { InvalidEventError, InvalidSettingError, RemediationStoppedError } from "../errors";
import { systemClock } from "../util/clock";
import { type FamilyOutcome, remediateFamily } from "./remediateFamily";

/** The remediation function: the SSM Automation runbook invokes it with `{"family": "<resource id>"}`. */

const options = { requestHandler: httpTimeouts(), maxAttempts: 1 };
const clients = {
  ecs: new ECSClient(options),
  elb: new ElasticLoadBalancingV2Client(options),
  ec2: new EC2Client(options),
};
const exceptions = new SsmExceptionsSource(new SSMClient({ requestHandler: httpTimeouts() }), systemClock, {
  parameterName: process.env.EXCEPTIONS_PARAMETER_NAME || undefined,
  expectedSha256: process.env.EXCEPTIONS_SHA256 || undefined,
});

/**
 * The exceptions the rule would apply now. Unlike the rule, which judges without an unverifiable list, the
 * remediation refuses to act on one: moving a service its owner may have an exception for is the harm.
 */
async function verifiedExceptions(): Promise<readonly ApprovedException[]> {
  const maxDays = Number(process.env.MAX_EXCEPTION_DAYS || DEFAULT_MAX_EXCEPTION_DAYS);
  if (!Number.isInteger(maxDays) || maxDays < 1)
    throw new InvalidSettingError(
      `environment variable MAX_EXCEPTION_DAYS must be a whole number of at least 1, got ${JSON.stringify(process.env.MAX_EXCEPTION_DAYS)}`,
    );
  const { review, unverifiable } = exceptionsInForce(await exceptions.load(), {
    now: new Date(systemClock.now()),
    maxDurationDays: maxDays,
    organization: process.env.EXCEPTIONS_ORGANIZATION_MODE === "true",
  });
  if (unverifiable !== undefined)
    throw new RemediationStoppedError(
      `the exceptions list is ${unverifiable.problem}, so nothing was moved: ${unverifiable.detail}`,
    );
  return review.approved;
}

/**
 * `PASSABLE_ROLE_NAMES`: the JSON list of role names the function's role may pass to ECS tasks (the stack
 * sets it from the same list as the role's iam:PassRole statement). Missing or malformed: the invocation fails.
 */
export function passableRoles(value: string | undefined): ReadonlySet<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? "");
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.some((name) => typeof name !== "string" || !/^[\w+=,.@-]{1,64}$/.test(name))
  )
    throw new InvalidSettingError(
      `PASSABLE_ROLE_NAMES must be a JSON list of IAM role names, got ${JSON.stringify(value ?? null)}`,
    );
  return new Set(parsed as string[]);
}

/** Config names a task definition resource by its family; a family is all the runbook accepts. */
export function familyOf(event: unknown): string {
  const family = (event as { family?: unknown } | null)?.family;
  if (typeof family !== "string")
    throw new InvalidEventError("event.family: must be a task definition family name");
  const ref = parseTaskDefinitionRef(family);
  if (ref === undefined || ref.revision !== undefined || family.startsWith("arn:"))
    throw new InvalidEventError(
      `event.family: ${JSON.stringify(family)} is not a task definition family name`,
    );
  return family;
}

export async function handler(event: unknown, context: Context): Promise<FamilyOutcome> {
  const family = familyOf(event);
  const accountId = context.invokedFunctionArn.split(":")[4];
  const region = process.env.AWS_REGION;
  if (!accountId || !region)
    throw new InvalidSettingError("cannot tell the account and Region from the invocation");
  const timeoutSeconds = Number(process.env.ROLLOUT_TIMEOUT_SECONDS ?? "600");
  const passable = passableRoles(process.env.PASSABLE_ROLE_NAMES);
  const outcome = await remediateFamily(
    {
      accountId,
      region,
      family,
      exceptions: await verifiedExceptions(),
      // Leave a minute of the function's time to report.
      rolloutTimeoutMs: Math.max(
        0,
        Math.min(timeoutSeconds * 1000, context.getRemainingTimeInMillis() - 60_000),
      ),
      pollIntervalMs: 10_000,
      passableRoles: passable,
    },
    clients,
    systemClock,
    (line) => console.log(line),
  );
  console.log(JSON.stringify(outcome));
  // The runbook's step, and so the remediation in the Config console, fails with the reason.
  if (outcome.stoppedAt !== undefined) throw new RemediationStoppedError(`stopped at ${outcome.stoppedAt}`);
  // The family stays NON_COMPLIANT until people take these steps: the console says so rather than "success".
  if (outcome.manualSteps.length > 0)
    throw new RemediationStoppedError(`manual steps remain: ${outcome.manualSteps.join("; ")}`);
  return outcome;
}
