import { Aws } from "aws-cdk-lib";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { ACCOUNT_ID_PATTERN } from "../lambda/core/identifiers";
import { requireAll } from "./validation";

/** A Lambda function's resource-based policy is at most 20 KB. */
export const LAMBDA_POLICY_LIMIT_BYTES = 20 * 1024;

/**
 * One `SourceAccount` permission as Lambda stores it in the function's policy, at its longest: a 100-character
 * statement id (CloudFormation generates it from stack name, logical id and a random part, up to Lambda's 100),
 * a 64-character function name (CloudFormation's generated names are at most 64) in a long partition and Region.
 */
export function longestSourceAccountStatement(): string {
  return JSON.stringify({
    Sid: "s".repeat(100),
    Effect: "Allow",
    Principal: { Service: "config.amazonaws.com" },
    Action: "lambda:InvokeFunction",
    Resource: `arn:aws-us-gov:lambda:ap-southeast-5:111111111111:function:${"f".repeat(64)}`,
    Condition: { StringEquals: { "AWS:SourceAccount": "222222222222" } },
  });
}

const POLICY_ENVELOPE = JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: [] });

/** How many such statements fit in one policy (the rule account's own one included), comma separators too. */
export const MAX_SOURCE_ACCOUNT_PERMISSIONS = Math.floor(
  (LAMBDA_POLICY_LIMIT_BYTES - POLICY_ENVELOPE.length + 1) / (longestSourceAccountStatement().length + 1),
);

export interface ConfigInvokers {
  readonly memberAccountIds?: readonly string[];
  readonly allowConfigOfAnyAccount?: boolean;
}

/**
 * Lets AWS Config of the member accounts invoke the central function. Lambda
 * permissions for a service principal can be narrowed by `SourceAccount` or `SourceArn` only: Config's
 * invocation carries no organization condition key, so `PrincipalOrgID` cannot restrict it. The strongest
 * restriction is one `SourceAccount` permission per member account; a function any account's Config may
 * invoke must be asked for explicitly.
 */
export function allowConfigToInvoke(fn: IFunction, invokers: ConfigInvokers): void {
  const principal = new ServicePrincipal("config.amazonaws.com");
  if (invokers.allowConfigOfAnyAccount === true) {
    if (invokers.memberAccountIds !== undefined) {
      throw new Error("set memberAccountIds or allowConfigOfAnyAccount: true, not both");
    }
    fn.addPermission("ConfigOfAnyAccountInvokes", { principal });
    return;
  }
  if (invokers.memberAccountIds === undefined || invokers.memberAccountIds.length === 0) {
    throw new Error(
      "memberAccountIds must list the accounts whose AWS Config may invoke the central function (one " +
        "SourceAccount permission each), or set allowConfigOfAnyAccount: true to let AWS Config of any AWS " +
        "account invoke it",
    );
  }
  const members = [
    ...new Set(
      requireAll("memberAccountIds", invokers.memberAccountIds, ACCOUNT_ID_PATTERN, "12-digit account ids"),
    ),
  ];
  if (members.length + 1 > MAX_SOURCE_ACCOUNT_PERMISSIONS) {
    throw new Error(
      `memberAccountIds holds ${members.length} accounts; with the rule account's own permission at most ` +
        `${MAX_SOURCE_ACCOUNT_PERMISSIONS} fit in Lambda's 20 KB function policy, so at most ` +
        `${MAX_SOURCE_ACCOUNT_PERMISSIONS - 1} member accounts (or allowConfigOfAnyAccount: true)`,
    );
  }
  fn.addPermission("ConfigInvokesFromRuleAccount", { principal, sourceAccount: Aws.ACCOUNT_ID });
  for (const accountId of members) {
    fn.addPermission(`ConfigInvokesFrom${accountId}`, { principal, sourceAccount: accountId });
  }
}
