import type { CfnStackSet } from "aws-cdk-lib";
import { ACCOUNT_ID_PATTERN } from "../lambda/core/index";
import { requireAll } from "./validation";

const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** `ExcludedAccounts` of PutOrganizationConformancePack. */
const MAX_EXCLUDED_ACCOUNTS = 1000;

/** The accounts the rollout reaches: the pack skips `excludedAccounts`, the StackSet reaches the same set. */
export interface MemberCoverage {
  readonly excludedAccounts: readonly string[];
  readonly stackSetTargets: CfnStackSet.DeploymentTargetsProperty;
}

/**
 * One decision for the conformance pack and the member-role StackSet. An organization conformance pack reaches
 * every account of the organization but `ExcludedAccounts` (its API cannot target OUs), so the StackSet must
 * too: the root, minus the excluded accounts. OUs are accepted only together with the accounts to exclude,
 * which must be every account outside them (that synth cannot check); the StackSet skips those same accounts.
 * An account with the rule and no role fails every evaluation at AssumeRole.
 */
export function memberCoverage(
  organizationalUnitIds: readonly string[],
  excludedAccounts: readonly string[],
): MemberCoverage {
  if (organizationalUnitIds.length === 0) {
    throw new Error("organizationalUnitIds must name the organization root (r-...) or OUs (ou-...)");
  }
  requireAll(
    "organizationalUnitIds",
    organizationalUnitIds,
    new RegExp(`${ROOT_ID.source}|${OU_ID.source}`),
    "a root id (r-...) or OU ids (ou-...)",
  );
  requireAll("excludedAccounts", excludedAccounts, ACCOUNT_ID_PATTERN, "12-digit account ids");
  if (excludedAccounts.length > MAX_EXCLUDED_ACCOUNTS) {
    throw new Error(`excludedAccounts holds at most ${MAX_EXCLUDED_ACCOUNTS} accounts`);
  }
  const hasRoot = organizationalUnitIds.some((id) => ROOT_ID.test(id));
  if (hasRoot && organizationalUnitIds.length > 1) {
    throw new Error(
      "organizationalUnitIds: the root (r-...) already covers every OU; give the root alone or OUs alone",
    );
  }
  if (!hasRoot && excludedAccounts.length === 0) {
    throw new Error(
      `organizationalUnitIds names OUs (${organizationalUnitIds.join(", ")}) but excludedAccounts is empty: the ` +
        "organization conformance pack reaches every account of the organization, so accounts outside these " +
        "OUs would get the rule without the member role. Give the organization root (r-...), or list every " +
        "account outside these OUs in excludedAccounts.",
    );
  }
  return {
    excludedAccounts,
    stackSetTargets:
      excludedAccounts.length === 0
        ? { organizationalUnitIds: [...organizationalUnitIds] }
        : {
            organizationalUnitIds: [...organizationalUnitIds],
            accounts: [...excludedAccounts],
            accountFilterType: "DIFFERENCE",
          },
  };
}
