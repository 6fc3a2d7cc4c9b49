import type { ECSClient } from "@aws-sdk/client-ecs";
import { EcsCaller } from "../adapters/ecsCalls";
import { ecsLimiters } from "../adapters/ecsReadBuckets";
import { EcsInUseReader } from "../adapters/inUseReader";
import { EcsRevisionDescriber, RevisionFactsCache } from "../adapters/revisionDescriber";
import { judgeTaskDefinition, type VerdictInputs } from "../core/evaluate";
import type { ApprovedException } from "../core/exceptions";
import { DEFAULT_ECS_RATE_SHARE } from "../core/ruleDefaults";
import type { ComplianceType, InUseView, RevisionFacts } from "../core/types";
import type { Clock } from "../util/clock";

/** The share of each ECS read bucket a remediation's reads take, as the rule's default. */
export const REMEDIATION_RATE_SHARE = DEFAULT_ECS_RATE_SHARE;

export interface InUseState {
  readonly view: InUseView;
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  /** What the view or the descriptions missed. */
  readonly unreadParts: readonly string[];
}

/** Which revisions RUNNING tasks use in one account and Region, and their pidMode: the rule's own adapters. */
export async function readInUseState(client: Pick<ECSClient, "send">, clock: Clock): Promise<InUseState> {
  const ecs = new EcsCaller(client, ecsLimiters(REMEDIATION_RATE_SHARE, clock), clock);
  const describer = new EcsRevisionDescriber(ecs, new RevisionFactsCache());
  const view = await new EcsInUseReader(ecs).read({ onRevision: (arn) => describer.prefetch(arn) });
  const described = await describer.describeAll(view.revisions.map((revision) => revision.arn));
  return {
    view,
    facts: described.facts,
    unreadParts: [
      ...view.unreadParts,
      ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
    ],
  };
}

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
