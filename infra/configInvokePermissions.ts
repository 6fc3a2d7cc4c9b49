import { Aws, Token } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { CfnResourcePolicy } from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import { ACCOUNT_ID_PATTERN, configInvokePolicy, MAX_INVOKE_POLICY_ACCOUNTS } from "../lambda/core/index";
import { requireAll } from "./validation";

/** Accounts whose AWS Config may invoke the central function, as the organization stack was given them. */
export interface ConfigInvokers {
  /** The member accounts (the rule account is always added). */
  readonly memberAccountIds?: readonly string[];
  /** Accounts the pack does not reach: listing one as a member is a contradiction. */
  readonly excludedAccounts?: readonly string[];
}

/** At most this many member accounts fit beside the rule account in one invoke policy. */
export const MAX_MEMBER_ACCOUNTS = MAX_INVOKE_POLICY_ACCOUNTS - 1;

/** What synth says when an organization is too large for one invoke policy. */
export const PER_ACCOUNT_SHAPE_HINT =
  "an organization this large needs the per-account shape (organizationShape=perAccount: the function and its " +
  "rule in each member account, OrganizationPerAccountStack)";

/**
 * The member accounts, checked: 12-digit ids, none twice, none excluded, not empty, and no more than fit in
 * Lambda's 20 KB policy beside the rule account. Each refusal names the value and the reason.
 */
export function requireMemberAccounts(invokers: ConfigInvokers, ruleAccountId: string): readonly string[] {
  const members = invokers.memberAccountIds;
  if (members === undefined || members.length === 0) {
    throw new Error(
      "memberAccountIds must list the accounts whose AWS Config may invoke the central function (every " +
        "account the organization conformance pack reaches); it is empty",
    );
  }
  requireAll("memberAccountIds", members, ACCOUNT_ID_PATTERN, "12-digit account ids");
  const seen = new Set<string>();
  const twice = members.filter((id) => seen.has(id) || !seen.add(id));
  if (twice.length > 0) {
    throw new Error(`memberAccountIds lists ${[...new Set(twice)].join(", ")} more than once`);
  }
  const excluded = new Set(invokers.excludedAccounts ?? []);
  const contradictions = members.filter((id) => excluded.has(id));
  if (contradictions.length > 0) {
    throw new Error(
      `memberAccountIds lists ${contradictions.join(", ")}, which excludedAccounts excludes: the pack never ` +
        "reaches an excluded account, so its AWS Config never invokes the function",
    );
  }
  const others = members.filter((id) => id !== ruleAccountId);
  if (others.length > MAX_MEMBER_ACCOUNTS) {
    throw new Error(
      `memberAccountIds holds ${others.length} accounts; one invoke policy (Lambda's 20 KB) holds the rule ` +
        `account and at most ${MAX_MEMBER_ACCOUNTS} member accounts: ${PER_ACCOUNT_SHAPE_HINT}`,
    );
  }
  return others;
}

/**
 * Lets AWS Config of the rule account and of the member accounts invoke the central function, through the
 * function's whole resource policy (`AWS::Lambda::ResourcePolicy`): one statement with a multi-valued
 * `aws:SourceAccount`, about 15 bytes an account where one `AWS::Lambda::Permission` per account took 410.
 * It replaces the function's policy, so nothing else may add an `AWS::Lambda::Permission` to this function.
 * A service principal's permission can be narrowed by source account or ARN only: whether Config's invocation
 * carries `aws:SourceOrgID` is undocumented, so the policy never relies on it.
 */
export function allowConfigToInvoke(
  scope: Construct,
  id: string,
  fn: IFunction,
  invokers: ConfigInvokers,
): CfnResourcePolicy {
  const ruleAccountId = Token.isUnresolved(fn.env.account) ? "" : fn.env.account;
  const members = requireMemberAccounts(invokers, ruleAccountId);
  const policy = new CfnResourcePolicy(scope, id, {
    resourceArn: fn.functionArn,
    policyDocument: configInvokePolicy(fn.functionArn, Aws.ACCOUNT_ID, members),
  });
  // cfn-lint 1.51 (the one these machines have) predates AWS::Lambda::ResourcePolicy and reports E3006
  // (unknown resource type) for it: that check only, on this resource only.
  policy.addMetadata("cfn-lint", { config: { ignore_checks: ["E3006"] } });
  return policy;
}
