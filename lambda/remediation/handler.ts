import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import { SsmExceptionsSource } from "../adapters/exceptionsSource";
import { httpTimeouts } from "../adapters/sdkClientOptions";
import { type ApprovedException, DEFAULT_MAX_EXCEPTION_DAYS, exceptionsInForce } from "../core/exceptions";
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
      pollIntervalMs: 15_000,
    },
    clients,
    systemClock,
    (line) => console.log(line),
  );
  console.log(JSON.stringify(outcome));
  // The runbook's step, and so the remediation in the Config console, fails with the reason.
  if (outcome.stoppedAt !== undefined) throw new RemediationStoppedError(`stopped at ${outcome.stoppedAt}`);
  return outcome;
}
