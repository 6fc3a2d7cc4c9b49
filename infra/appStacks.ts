import type { App } from "aws-cdk-lib";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { AccountStack } from "./accountStack";
import { AppContext } from "./appContext";
import type { ExceptionEntry } from "./approvedExceptions";
import type { RuleDeployment } from "./ecsPidModeRule";
import { MemberRoleStack } from "./memberRoleStack";
import { MemberRuleStack } from "./memberRuleStack";
import { OrganizationPerAccountStack } from "./organizationPerAccountStack";
import { OrganizationStack } from "./organizationStack";

/**
 * The stacks of the CDK app, from its context. One rollout at a time: with `organizationalUnitIds` the
 * organization stacks only, otherwise the account stack only, so that `cdk deploy --all` can never put the
 * standalone rule beside the organization pack (two rules on one account, every verdict written twice).
 */
export function addStacks(app: App): void {
  const context = new AppContext(app.node);
  const shared = {
    exceptions: context.json("exceptions") as ExceptionEntry[] | undefined,
    maxExceptionDays: context.number("maxExceptionDays"),
    reservedConcurrency: context.number("reservedConcurrency"),
    ecsRateShare: context.number("ecsRateShare"),
    logRetention: context.number("logRetentionDays") as RetentionDays | undefined,
    ...context.ruleSettings(),
    conformancePackName: context.string("conformancePackName"),
  };
  const alarmTopicArn = context.string("alarmTopicArn");

  const organizationalUnitIds = context.list("organizationalUnitIds");
  const shape = context.string("organizationShape") ?? "central";
  if (!["central", "perAccount"].includes(shape)) {
    throw new Error(`context organizationShape must be central or perAccount, got "${shape}"`);
  }
  if (context.boolean("allowConfigOfAnyAccount") !== undefined) {
    throw new Error(
      "allowConfigOfAnyAccount was removed: it let AWS Config of every AWS account invoke the function, and " +
        "nothing AWS documents lets the policy narrow that to the organization. List the accounts in " +
        "memberAccountIds (one invoke policy holds 1,335 besides the rule account).",
    );
  }
  if (organizationalUnitIds && shape === "perAccount") {
    new OrganizationPerAccountStack(app, "EcsPidModeRuleOrganization", {
      ...shared,
      organizationalUnitIds,
      organizationId: context.string("organizationId") ?? "",
      excludedAccounts: context.list("excludedAccounts"),
      memberAccountIds: context.list("memberAccountIds"),
      stackSetCallAs: context.string("stackSetCallAs") as "SELF" | "DELEGATED_ADMIN" | undefined,
    });
    // For the management account, which service-managed StackSets never reach.
    new MemberRuleStack(app, "EcsPidModeRuleMemberFunction", shared);
    return;
  }
  if (organizationalUnitIds) {
    new OrganizationStack(app, "EcsPidModeRuleOrganization", {
      ...shared,
      alarmTopicArn,
      organizationalUnitIds,
      executionRoleName: context.string("executionRoleName"),
      excludedAccounts: context.list("excludedAccounts"),
      memberAccountIds: context.list("memberAccountIds") ?? [],
      managementAccountId: context.string("managementAccountId"),
      syncMembersWithOrganization: context.boolean("syncMembersWithOrganization"),
      ruleRegions: context.list("ruleRegions") ?? [],
      stackSetCallAs: context.string("stackSetCallAs") as "SELF" | "DELEGATED_ADMIN" | undefined,
    });
    new MemberRoleStack(app, "EcsPidModeRuleMemberRole");
    return;
  }

  new AccountStack(app, "EcsPidModeRule", {
    alarmTopicArn,
    rule: {
      ...shared,
      deployAs: context.string("deployAs") as RuleDeployment | undefined,
      // Off unless asked for: it registers revisions, passes roles and updates services.
      remediation:
        context.boolean("remediation") !== true
          ? false
          : {
              passRoles: context.list("remediationPassRoles") ?? [],
              automatic: context.boolean("automaticRemediation"),
              maximumAutomaticAttempts: context.number("remediationMaximumAttempts"),
              retryAttemptSeconds: context.number("remediationRetrySeconds"),
            },
    },
  });
}
