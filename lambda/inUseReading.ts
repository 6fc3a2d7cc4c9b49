// What runs in one account and Region, read in one place for the rule's wiring, the scan and the remediation:
// one paced ECS caller, the in-use reader (with the daemon reads when asked) and the revision describer with
// its cache.
import type { ECSClient } from "@aws-sdk/client-ecs";
import { EcsDaemonReader } from "./adapters/daemonReader";
import { EcsCaller } from "./adapters/ecsCalls";
import { ecsLimiters } from "./adapters/ecsReadBuckets";
import { EcsInUseReader } from "./adapters/inUseReader";
import { EcsRevisionDescriber, RevisionFactsCache } from "./adapters/revisionDescriber";
import type { InUseView, RevisionFacts } from "./core/inUseView";
import { DEFAULT_ECS_RATE_SHARE } from "./core/ruleDefaults";
import type { ReadProgress } from "./rule/ports";
import type { Clock } from "./util/clock";
import type { InvocationDeadline } from "./util/deadline";

export interface InUseReadingSettings {
  readonly clock: Clock;
  /** Share (0, 1] of each ECS read bucket the readers may use. @default DEFAULT_ECS_RATE_SHARE */
  readonly share?: number;
  /** Every wait stops at the invocation's deadline. @default - no deadline (a command runs to the end) */
  readonly deadline?: InvocationDeadline;
  /** What immutable revisions say, kept for as long as the caller keeps it. @default - a cache of its own */
  readonly cache?: RevisionFactsCache;
  /**
   * Read ECS Managed Daemons too: the rule and the scan judge them, the remediation cannot move them and
   * leaves them out. @default false
   */
  readonly daemons?: boolean;
}

/** The readers of what runs in one account, over one paced ECS caller. */
export interface InUseReaders {
  /** The caller the readers share: anything else that reads the same account's ECS goes through it too. */
  readonly ecs: EcsCaller;
  readonly inUse: EcsInUseReader;
  readonly revisions: EcsRevisionDescriber;
}

export function inUseReaders(client: Pick<ECSClient, "send">, settings: InUseReadingSettings): InUseReaders {
  const ecs = new EcsCaller(
    client,
    ecsLimiters(settings.share ?? DEFAULT_ECS_RATE_SHARE, settings.clock),
    settings.clock,
    undefined,
    settings.deadline,
  );
  return {
    ecs,
    inUse: new EcsInUseReader(ecs, undefined, settings.daemons ? new EcsDaemonReader(ecs) : undefined),
    revisions: new EcsRevisionDescriber(ecs, settings.cache ?? new RevisionFactsCache()),
  };
}

export interface InUseState {
  readonly view: InUseView;
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  /** What the view (daemons included) or the descriptions missed. */
  readonly unreadParts: readonly string[];
}

/** Running totals of a read of what runs, with the revisions found so far. */
export type InUseProgress = ReadProgress & { readonly revisionsFound: number };

/**
 * Which revisions RUNNING tasks (and, with `daemons`, ECS Managed Daemons) use in one account and Region, and
 * what each says (pidMode), read as the rule reads them: each revision is described as soon as it is found.
 */
export async function readInUseState(
  client: Pick<ECSClient, "send">,
  settings: InUseReadingSettings & { readonly onProgress?: (progress: InUseProgress) => void },
): Promise<InUseState> {
  const { inUse, revisions } = inUseReaders(client, settings);
  let revisionsFound = 0;
  let lastProgress: ReadProgress = { clustersListed: 0, clustersRead: 0, tasksDescribed: 0 };
  const view = await inUse.read({
    includeDaemons: settings.daemons ?? false,
    onRevision: (arn) => {
      revisionsFound++;
      settings.onProgress?.({ ...lastProgress, revisionsFound });
      revisions.prefetch(arn);
    },
    onProgress: (progress) => {
      lastProgress = progress;
      settings.onProgress?.({ ...progress, revisionsFound });
    },
  });
  const described = await revisions.describeAll(
    [...view.revisions, ...view.daemonRevisions].map((revision) => revision.arn),
  );
  return {
    view,
    facts: described.facts,
    unreadParts: [
      ...view.unreadParts,
      ...(view.daemonUnreadParts ?? []),
      ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
    ],
  };
}
