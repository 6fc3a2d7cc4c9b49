import type { ApprovedException } from "../../core/approvedExceptions";
import { judgeTaskDefinition, type VerdictInputs } from "../../core/judgeResources";
import { DEFAULT_ECS_RATE_SHARE } from "../../core/ruleDefaults";
import type { ComplianceType } from "../../core/verdicts";
import type { InUseState } from "../../inUseReading";

/** The share of each ECS read bucket a remediation's reads take, as the rule's default. */
export const REMEDIATION_RATE_SHARE = DEFAULT_ECS_RATE_SHARE;

export interface FamilyVerdict {
  readonly family: string;
  readonly complianceType: ComplianceType | "INSUFFICIENT_DATA";
  readonly annotation: string;
}

/** The rule's verdict for each family; a family nothing runs any more is NOT_APPLICABLE. */
export function familyVerdicts(
  families: readonly string[],
  state: InUseState,
  context: { accountId: string; exceptions: readonly ApprovedException[]; now: Date },
): FamilyVerdict[] {
  const account: VerdictInputs = { ...context, view: state.view, facts: state.facts };
  return [...new Set(families)].sort().map((family) => {
    const judgement = judgeTaskDefinition(family, account);
    if (judgement === undefined)
      return { family, complianceType: "NOT_APPLICABLE", annotation: "not a task definition family" };
    return {
      family,
      complianceType: judgement.certain ? judgement.complianceType : "INSUFFICIENT_DATA",
      annotation: judgement.annotation,
    };
  });
}
