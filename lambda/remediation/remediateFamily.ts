import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ApprovedException } from "../core/exceptions";
import type { Clock } from "../util/clock";
import { type ApplyResult, applyBatch } from "./apply";
import { EcsRemediationGateway } from "./ecsGateway";
import { ExposureReader } from "./exposureReader";
import { MemoryJournalStore } from "./journal";
import { PacedCalls } from "./paced";
import { planRegion } from "./plan";
import { DEFAULT_PRODUCTION_RULES } from "./production";
import { REMEDIATION_RATE_SHARE, readInUseState } from "./readRegion";
import { targetLabel } from "./waves";

export interface FamilyRemediation {
  readonly accountId: string;
  readonly region: string;
  readonly family: string;
  readonly exceptions: readonly ApprovedException[];
  readonly rolloutTimeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface FamilyClients {
  readonly ecs: Pick<ECSClient, "send">;
  readonly elb: Pick<ElasticLoadBalancingV2Client, "send">;
  readonly ec2: Pick<EC2Client, "send">;
}

export interface FamilyOutcome {
  readonly family: string;
  readonly registered: readonly string[];
  readonly moved: readonly string[];
  readonly notTouched: readonly string[];
  readonly standalone: readonly string[];
  readonly stoppedAt?: string;
  readonly unreadParts: readonly string[];
}

/**
 * What `npm run remediate -- --apply` does, for every service that runs a host-PID revision of one family
 * (all waves, in wave order), as the Config remediation runs it. Without a journal file, the replaces tag on
 * each registered revision is what keeps a second run from registering again.
 */
export async function remediateFamily(
  request: FamilyRemediation,
  clients: FamilyClients,
  clock: Clock,
  log: (line: string) => void,
): Promise<FamilyOutcome> {
  const state = await readInUseState(clients.ecs, clock);
  const calls = new PacedCalls(clock, REMEDIATION_RATE_SHARE);
  const gateway = new EcsRemediationGateway(clients.ecs, calls);
  const plan = await planRegion(
    {
      region: request.region,
      accountId: request.accountId,
      view: state.view,
      facts: state.facts,
      exceptions: request.exceptions,
      now: new Date(clock.now()),
      productionRules: DEFAULT_PRODUCTION_RULES,
      batchSize: Number.MAX_SAFE_INTEGER,
      families: new Set([request.family]),
    },
    { ecs: gateway, exposure: new ExposureReader(clients, calls) },
  );
  const items = plan.waves.flatMap((wave) => [
    ...wave.batches.flatMap((batch) => batch.services),
    ...wave.standalone,
  ]);
  const result: ApplyResult = await applyBatch(
    items,
    { ecs: gateway, journal: new MemoryJournalStore(), clock, report: log },
    {
      scope: { accountId: request.accountId, region: request.region },
      rolloutTimeoutMs: request.rolloutTimeoutMs,
      pollIntervalMs: request.pollIntervalMs,
    },
  );
  return {
    family: request.family,
    registered: result.registrations.map(
      (entry) => `${entry.revision} -> ${entry.replacementArn} (${entry.how})`,
    ),
    moved: result.services
      .filter((entry) => entry.outcome.kind !== "not touched")
      .map((entry) => targetLabel(entry.item.target)),
    notTouched: result.services.flatMap((entry) =>
      entry.outcome.kind === "not touched" ? [`${targetLabel(entry.item.target)}: ${entry.outcome.why}`] : [],
    ),
    standalone: result.standalone.map(
      (entry) => `${targetLabel(entry.target)} runs ${entry.revision}: start it from the replacement`,
    ),
    ...(result.stoppedAt === undefined
      ? {}
      : { stoppedAt: `${targetLabel(result.stoppedAt.item.target)}: ${result.stoppedAt.why}` }),
    unreadParts: [...state.unreadParts, ...plan.unreadParts],
  };
}
