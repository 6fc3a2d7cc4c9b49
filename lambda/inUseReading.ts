// How what runs is read, in one place for the rule's wiring and the remediation (and the scan, through
// lambda/index.ts): the in-use reader and the revision describer over one paced ECS caller.
import type { ECSClient } from "@aws-sdk/client-ecs";
import { EcsDaemonReader } from "./adapters/daemonReader";
import { EcsCaller } from "./adapters/ecsCalls";
import { ecsLimiters } from "./adapters/ecsReadBuckets";
import { EcsInUseReader } from "./adapters/inUseReader";
import { EcsRevisionDescriber, RevisionFactsCache } from "./adapters/revisionDescriber";
import { DEFAULT_ECS_RATE_SHARE } from "./core/ruleDefaults";
import type { InUseView, RevisionFacts } from "./core/types";
import type { Clock } from "./util/clock";

/**
 * The two readers of what runs, over one caller; `cache` keeps what immutable revisions say. `daemons`: read
 * ECS Managed Daemons too (the rule judges them; the remediation cannot move them, so it leaves them out).
 */
export function inUseReading(
  ecs: EcsCaller,
  cache: RevisionFactsCache,
  options: { readonly daemons?: boolean } = {},
): { readonly inUse: EcsInUseReader; readonly revisions: EcsRevisionDescriber } {
  return {
    inUse: new EcsInUseReader(ecs, undefined, options.daemons ? new EcsDaemonReader(ecs) : undefined),
    revisions: new EcsRevisionDescriber(ecs, cache),
  };
}

export interface InUseState {
  readonly view: InUseView;
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  /** What the view or the descriptions missed. */
  readonly unreadParts: readonly string[];
}

/**
 * Which revisions RUNNING tasks use in one account and Region, and what each says (pidMode), read as the rule
 * reads them, at `share` of each ECS read bucket.
 */
export async function readInUseState(
  client: Pick<ECSClient, "send">,
  clock: Clock,
  share: number = DEFAULT_ECS_RATE_SHARE,
): Promise<InUseState> {
  const ecs = new EcsCaller(client, ecsLimiters(share, clock), clock);
  const { inUse, revisions } = inUseReading(ecs, new RevisionFactsCache());
  const view = await inUse.read({ onRevision: (arn) => revisions.prefetch(arn) });
  const described = await revisions.describeAll(view.revisions.map((revision) => revision.arn));
  return {
    view,
    facts: described.facts,
    unreadParts: [
      ...view.unreadParts,
      ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
    ],
  };
}
