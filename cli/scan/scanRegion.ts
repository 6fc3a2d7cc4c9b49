import { DescribeTaskDefinitionCommand, type ECSClient } from "@aws-sdk/client-ecs";
import type { Clock } from "../../lambda/adapters/clock";
import { EcsCaller } from "../../lambda/adapters/ecsCalls";
import { EcsInUseReader, type ReadProgress } from "../../lambda/adapters/inUseReader";
import { errorText } from "../../lambda/adapters/retry";
import { EcsRevisionDescriber, RevisionFactsCache } from "../../lambda/adapters/revisionDescriber";
import { ecsLimiters } from "../../lambda/adapters/tokenBucket";
import { type AccountState, judgeTaskDefinition } from "../../lambda/core/evaluate";
import { type ApprovedException, matchException } from "../../lambda/core/exceptions";
import { revisionLabel } from "../../lambda/core/taskDefinitionRef";
import type { ComplianceType, InUseRevision } from "../../lambda/core/types";
import { planRevisionFix, type RevisionFix } from "./fixPlan";

/** The share of each ECS read bucket the scan takes, as the rule does by default: the owner's tooling keeps the rest. */
const ECS_RATE_SHARE = 0.5;

/** A family's verdict; INSUFFICIENT_DATA when an unread part of the account could change it. */
export interface ScannedVerdict {
  readonly region: string;
  readonly taskDefinition: string;
  readonly complianceType: ComplianceType | "INSUFFICIENT_DATA";
  readonly annotation: string;
}

export interface RegionScan {
  readonly region: string;
  readonly verdicts: readonly ScannedVerdict[];
  readonly unreadParts: readonly string[];
  readonly fixes: readonly RevisionFix[];
}

export interface RegionScanSettings {
  readonly region: string;
  readonly accountId: string;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  readonly clock: Clock;
  readonly fixPlan: boolean;
  readonly onProgress?: (progress: ReadProgress & { readonly revisionsFound: number }) => void;
}

/**
 * Judges every task definition family that RUNNING tasks use in one Region, with the rule's own adapters
 * and verdict. Read-only: ECS List and Describe calls, nothing else.
 */
export async function scanRegion(
  client: Pick<ECSClient, "send">,
  settings: RegionScanSettings,
): Promise<RegionScan> {
  const ecs = new EcsCaller(client, ecsLimiters(ECS_RATE_SHARE, settings.clock), settings.clock);
  const describer = new EcsRevisionDescriber(ecs, new RevisionFactsCache());
  let revisionsFound = 0;
  let lastProgress: ReadProgress = { clustersListed: 0, clustersRead: 0, tasksDescribed: 0 };
  const view = await new EcsInUseReader(ecs).read({
    onRevision: (arn) => {
      revisionsFound++;
      settings.onProgress?.({ ...lastProgress, revisionsFound });
      describer.prefetch(arn);
    },
    onProgress: (progress) => {
      lastProgress = progress;
      settings.onProgress?.({ ...progress, revisionsFound });
    },
  });
  const described = await describer.describeAll(view.revisions.map((revision) => revision.arn));
  const state: AccountState = {
    accountId: settings.accountId,
    view,
    facts: described.facts,
    exceptions: settings.exceptions,
    now: settings.now,
  };
  const unreadParts = [
    ...view.unreadParts,
    ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
  ];

  const families = [...new Set(view.revisions.map((revision) => revision.family))].sort();
  const verdicts: ScannedVerdict[] = [];
  const toFix: InUseRevision[] = [];
  for (const family of families) {
    const judgement = judgeTaskDefinition(family, state);
    if (judgement === undefined) continue;
    verdicts.push({
      region: settings.region,
      taskDefinition: family,
      complianceType: judgement.certain ? judgement.complianceType : "INSUFFICIENT_DATA",
      annotation: judgement.annotation,
    });
    if (judgement.complianceType === "NON_COMPLIANT") {
      toFix.push(
        ...view.revisions.filter((revision) => revision.family === family && needsFix(revision, state)),
      );
    }
  }

  const fixes: RevisionFix[] = [];
  if (settings.fixPlan) {
    for (const revision of toFix) {
      try {
        const response = await ecs.call("taskDefinitionRead", (ecsClient) =>
          ecsClient.send(
            new DescribeTaskDefinitionCommand({ taskDefinition: revision.arn, include: ["TAGS"] }),
          ),
        );
        fixes.push(planRevisionFix(response, revision.placements));
      } catch (error) {
        unreadParts.push(`fix plan for ${revisionLabel(revision)}: ${errorText(error)}`);
      }
    }
  }
  return { region: settings.region, verdicts, unreadParts: unreadParts.sort(), fixes };
}

/** A revision the control fails: it shares the host PID namespace and no unexpired exception covers it. */
function needsFix(revision: InUseRevision, state: AccountState): boolean {
  if (state.facts.get(revision.arn)?.pidMode !== "host") return false;
  return matchException(state.exceptions, revision, state.accountId, state.now)?.status !== "valid";
}
