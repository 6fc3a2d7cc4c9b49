import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  type ApprovedException,
  CLUSTER_TYPE,
  type ComplianceType,
  DEFAULT_ECS_RATE_SHARE,
  judgeCluster,
  judgeTaskDefinition,
  nameFromArn,
  TASK_DEFINITION_TYPE,
  type VerdictInputs,
} from "../../lambda/core/index";
import { type Clock, type InUseProgress, readInUseState } from "../../lambda/index";
import {
  type ProductionRule,
  planRegion,
  type RegionPlan,
  remediationPorts,
} from "../../lambda/remediation/index";
import { type AppliedException, exceptionsOf, type RevisionUse, revisionUses } from "./formats/verdictFacts";

/** The share of each ECS read bucket the scan takes, as the rule does by default: the owner's tooling keeps the rest. */
const ECS_RATE_SHARE = DEFAULT_ECS_RATE_SHARE;

/**
 * A family's verdict, or a cluster's on the ECS Managed Daemons it runs (as the rule reports them);
 * INSUFFICIENT_DATA when an unread part of the account could change it.
 */
export interface ScannedVerdict {
  readonly region: string;
  /** `AWS::ECS::TaskDefinition`, or `AWS::ECS::Cluster` for daemons. */
  readonly resourceType: string;
  /** The family, or `daemons in cluster NAME`. */
  readonly taskDefinition: string;
  readonly complianceType: ComplianceType | "INSUFFICIENT_DATA";
  readonly annotation: string;
  readonly accountId: string;
  /** As Config names the resource: the family, or the cluster's name. */
  readonly resourceId: string;
  /** The cluster's ARN for a cluster; `null` for a family (its revisions carry theirs). */
  readonly resourceArn: string | null;
  /** The revisions in use the verdict covers, where each runs and the exception matched. */
  readonly revisions: readonly RevisionUse[];
  /** The exceptions matched, valid or expired, once each. */
  readonly exceptions: readonly AppliedException[];
}

export interface RegionScan {
  readonly region: string;
  readonly verdicts: readonly ScannedVerdict[];
  readonly unreadParts: readonly string[];
  /** With `--fix-plan`: the waves. What the plan could not read changes no verdict, so it is kept apart. */
  readonly plan?: RegionPlan;
}

export interface FixPlanSettings {
  readonly elb: Pick<ElasticLoadBalancingV2Client, "send">;
  readonly ec2: Pick<EC2Client, "send">;
  readonly productionRules: readonly ProductionRule[];
  readonly batchSize: number;
}

export interface RegionScanSettings {
  readonly region: string;
  readonly accountId: string;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  readonly clock: Clock;
  /** Plan the fix in waves (reads ECS services and clusters, Elastic Load Balancing and EC2 as well). */
  readonly fixPlan?: FixPlanSettings;
  readonly onProgress?: (progress: InUseProgress) => void;
}

/**
 * Judges every task definition family that RUNNING tasks use in one Region, with the rule's own adapters
 * and verdict. Read-only: ECS List and Describe calls, nothing else.
 */
export async function scanRegion(
  client: Pick<ECSClient, "send">,
  settings: RegionScanSettings,
): Promise<RegionScan> {
  const read = await readInUseState(client, {
    clock: settings.clock,
    share: ECS_RATE_SHARE,
    daemons: true,
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
  });
  const state: VerdictInputs = {
    accountId: settings.accountId,
    view: read.view,
    facts: read.facts,
    exceptions: settings.exceptions,
    now: settings.now,
  };
  const verdicts = [...familyVerdicts(state, settings), ...daemonClusterVerdicts(state, settings)];
  const base = { region: settings.region, verdicts, unreadParts: [...read.unreadParts].sort() };
  if (settings.fixPlan === undefined) return base;
  return { ...base, plan: await planFix(client, state, settings.fixPlan, settings) };
}

/** One verdict per task definition family in use, sorted by family. */
function familyVerdicts(state: VerdictInputs, settings: RegionScanSettings): ScannedVerdict[] {
  const { view } = state;
  const families = [...new Set(view.revisions.map((revision) => revision.family))].sort();
  return families.flatMap((family) => {
    const judgement = judgeTaskDefinition(family, state);
    if (judgement === undefined) return [];
    const revisions = revisionUses(
      view.revisions.filter((revision) => revision.family === family),
      "task",
      state,
    );
    return [
      {
        region: settings.region,
        resourceType: TASK_DEFINITION_TYPE,
        taskDefinition: family,
        complianceType: judgement.certain ? judgement.complianceType : "INSUFFICIENT_DATA",
        annotation: judgement.annotation,
        accountId: settings.accountId,
        resourceId: family,
        resourceArn: null,
        revisions,
        exceptions: exceptionsOf(revisions),
      },
    ];
  });
}

/** One verdict per cluster running ECS Managed Daemons, on the daemons it runs, sorted by cluster. */
function daemonClusterVerdicts(state: VerdictInputs, settings: RegionScanSettings): ScannedVerdict[] {
  const { view } = state;
  const clusters = [
    ...new Set(
      view.daemonRevisions.flatMap((revision) => revision.placements.map((placement) => placement.cluster)),
    ),
  ].sort();
  return clusters.map((cluster) => {
    const judgement = judgeCluster(cluster, state);
    const revisions = revisionUses(
      view.daemonRevisions.flatMap((revision) => {
        const placements = revision.placements.filter((placement) => placement.cluster === cluster);
        return placements.length > 0 ? [{ ...revision, placements }] : [];
      }),
      "daemon",
      state,
    );
    return {
      region: settings.region,
      resourceType: CLUSTER_TYPE,
      taskDefinition: `daemons in cluster ${cluster}`,
      complianceType: judgement.certain ? judgement.complianceType : "INSUFFICIENT_DATA",
      annotation: judgement.annotation,
      accountId: settings.accountId,
      resourceId: cluster,
      resourceArn: view.clusterArns.find((arn) => nameFromArn(arn) === cluster) ?? null,
      revisions,
      exceptions: exceptionsOf(revisions),
    };
  });
}

/** `--fix-plan`: the waves, from what was read and described, and the services' exposure. */
function planFix(
  client: Pick<ECSClient, "send">,
  state: VerdictInputs,
  fixPlan: FixPlanSettings,
  settings: RegionScanSettings,
): Promise<RegionPlan> {
  return planRegion(
    {
      region: settings.region,
      accountId: settings.accountId,
      view: state.view,
      facts: state.facts,
      exceptions: settings.exceptions,
      now: settings.now,
      productionRules: fixPlan.productionRules,
      batchSize: fixPlan.batchSize,
    },
    remediationPorts({ ecs: client, elb: fixPlan.elb, ec2: fixPlan.ec2 }, settings.clock, ECS_RATE_SHARE),
  );
}
