import type { ApprovedException } from "../core/approvedExceptions";
import { readInUseState } from "../inUseReading";
import type { Clock } from "../util/clock";
import { MemoryJournalStore } from "./adapters/memoryJournal";
import { DEFAULT_PRODUCTION_RULES } from "./core/production";
import { targetLabel } from "./core/waves";
import { type ApplyResult, applyBatch, describeManualStep } from "./useCases/apply";
import { planRegion } from "./useCases/plan";
import { REMEDIATION_RATE_SHARE } from "./useCases/verdicts";
import { type RemediationClients, remediationPorts } from "./wiring";

export interface FamilyRemediation {
  readonly accountId: string;
  readonly region: string;
  readonly family: string;
  readonly exceptions: readonly ApprovedException[];
  readonly rolloutTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** The roles (names) the function may pass to ECS when it registers a replacement. */
  readonly passableRoles?: ReadonlySet<string>;
}

export interface FamilyOutcome {
  readonly family: string;
  readonly registered: readonly string[];
  readonly moved: readonly string[];
  readonly notTouched: readonly string[];
  /** What remains for people (CodeDeploy or external services, standalone tasks, roles it may not pass). */
  readonly manualSteps: readonly string[];
  /** Moves an earlier run began, checked again. */
  readonly reconciled: readonly string[];
  readonly stoppedAt?: string;
  /** A deployment still running when the wait ended: the next run checks it again. */
  readonly inProgress?: string;
  readonly unreadParts: readonly string[];
}

/**
 * What the apply does, for every service that runs a host-PID revision of one family
 * (all waves, in wave order), as the Config remediation runs it. Without a journal file, the replaces tag on
 * each registered revision is what keeps a second run from registering again.
 */
export async function remediateFamily(
  request: FamilyRemediation,
  clients: RemediationClients,
  clock: Clock,
  log: (line: string) => void,
): Promise<FamilyOutcome> {
  const state = await readInUseState(clients.ecs, { clock, share: REMEDIATION_RATE_SHARE });
  const ports = remediationPorts(clients, clock, REMEDIATION_RATE_SHARE);
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
    ports,
  );
  const items = plan.waves.flatMap((wave) => [
    ...wave.batches.flatMap((batch) => batch.services),
    ...wave.standalone,
  ]);
  const result: ApplyResult = await applyBatch(
    items,
    { ecs: ports.ecs, journal: new MemoryJournalStore(), clock, report: log },
    {
      scope: { accountId: request.accountId, region: request.region },
      rolloutTimeoutMs: request.rolloutTimeoutMs,
      pollIntervalMs: request.pollIntervalMs,
      ...(request.passableRoles === undefined ? {} : { passableRoles: request.passableRoles }),
    },
  );
  return {
    family: request.family,
    registered: result.registrations.map(
      (entry) => `${entry.revision} -> ${entry.replacementArn} (${entry.how})`,
    ),
    moved: result.services
      .filter((entry) => entry.outcome.kind === "moved" || entry.outcome.kind === "already moved")
      .map((entry) => targetLabel(entry.item.target)),
    notTouched: result.services.flatMap((entry) =>
      entry.outcome.kind === "not touched" ? [`${targetLabel(entry.item.target)}: ${entry.outcome.why}`] : [],
    ),
    manualSteps: result.manualSteps.map(describeManualStep),
    reconciled: result.reconciled.map((entry) => `${entry.service}: ${entry.outcome}`),
    ...(result.stoppedAt === undefined
      ? {}
      : { stoppedAt: `${targetLabel(result.stoppedAt.item.target)}: ${result.stoppedAt.why}` }),
    ...(result.inProgressAt === undefined
      ? {}
      : { inProgress: `${targetLabel(result.inProgressAt.item.target)}: ${result.inProgressAt.detail}` }),
    unreadParts: [...state.unreadParts, ...plan.unreadParts],
  };
}
