import { App } from "aws-cdk-lib";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { AccountStack } from "./accountStack";
import { AppContext } from "./appContext";
import type { RuleDeployment } from "./ecsPidModeRule";
import type { ExceptionEntry } from "./exceptions";
import { MemberRoleStack } from "./memberRoleStack";
import { OrganizationStack } from "./organizationStack";

/**
 * The CDK app (`cdk.json`). Env-agnostic stacks: no account, Region or look-ups at synth. One account:
 * `npx cdk deploy`. Organization: set `organizationalUnitIds` and deploy the organization stack from the
 * management or delegated administrator account (see the README, "Roll out to an organization").
 */
const app = new App();
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

new AccountStack(app, "EcsPidModeRule", {
  alarmTopicArn,
  rule: {
    ...shared,
    deployAs: context.string("deployAs") as RuleDeployment | undefined,
    remediation:
      context.boolean("remediation") === false
        ? false
        : {
            automatic: context.boolean("automaticRemediation"),
            maximumAutomaticAttempts: context.number("remediationMaximumAttempts"),
            retryAttemptSeconds: context.number("remediationRetrySeconds"),
          },
  },
});

const organizationalUnitIds = context.list("organizationalUnitIds");
if (organizationalUnitIds) {
  new OrganizationStack(app, "EcsPidModeRuleOrganization", {
    ...shared,
    alarmTopicArn,
    organizationalUnitIds,
    executionRoleName: context.string("executionRoleName"),
    excludedAccounts: context.list("excludedAccounts"),
    memberAccountIds: context.list("memberAccountIds"),
    ruleRegions: context.list("ruleRegions"),
    deployMemberRoles: context.boolean("deployMemberRoles"),
    stackSetCallAs: context.string("stackSetCallAs") as "SELF" | "DELEGATED_ADMIN" | undefined,
  });
  new MemberRoleStack(app, "EcsPidModeRuleMemberRole");
}

app.synth();
