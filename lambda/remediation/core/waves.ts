import { InvalidSettingError } from "../../errors";
import type { Exposure } from "./exposure";
import type { Production } from "./production";

/** Who runs an offending revision: a service, or standalone tasks of one cluster (which nothing here restarts). */
export type WorkTarget =
  | { readonly kind: "service"; readonly cluster: string; readonly service: string }
  | { readonly kind: "standalone"; readonly cluster: string };

/** How standalone tasks were started: what a command that starts the replacement the same way needs. */
export interface TaskLaunch {
  /** EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES; absent when a capacity provider placed them. */
  readonly launchType?: string | undefined;
  readonly capacityProvider?: string | undefined;
  /** awsvpc tasks: the subnets and security groups of their network interfaces. */
  readonly network?:
    | {
        readonly subnets: readonly string[];
        readonly securityGroups: readonly string[];
        readonly assignPublicIp: "ENABLED" | "DISABLED";
      }
    | undefined;
  /** The tasks' `group` (`family:NAME`, or one a person chose). */
  readonly group?: string | undefined;
}

/** ECS's deployment controllers: who changes the revision a service runs. */
export type DeploymentController = "ECS" | "CODE_DEPLOY" | "EXTERNAL";

export interface WorkItem {
  /** `family:revision` of the offending revision, and its ARN. */
  readonly revision: string;
  readonly revisionArn: string;
  readonly target: WorkTarget;
  /** RUNNING tasks of this target that use the revision. */
  readonly runningTasks: number;
  /** Standalone tasks: their `startedBy` (a scheduler, a pipeline, a person), who must start the new revision. */
  readonly startedBy?: readonly string[];
  /** Standalone tasks: how they were started. */
  readonly launch?: TaskLaunch;
  /**
   * Services: who deploys a new revision (ECS by UpdateService, CodeDeploy by a deployment, an external
   * controller by a task set); absent when the service could not be read.
   */
  readonly deploymentController?: DeploymentController | undefined;
  /** Services behind a load balancer: the container and port it sends to (a CodeDeploy AppSpec names them). */
  readonly loadBalancerContainer?: { readonly name: string; readonly port: number } | undefined;
  readonly exposure: Exposure;
  readonly production: Production;
}

export type WaveNumber = 1 | 2 | 3 | 4;

export const WAVE_TITLES: Record<WaveNumber, string> = {
  1: "internet-exposed production",
  2: "other production",
  3: "internet-exposed non-production",
  4: "the rest",
};

export interface Batch {
  readonly number: number;
  readonly services: readonly WorkItem[];
}

export interface Wave {
  readonly number: WaveNumber;
  readonly title: string;
  /** Every target of the wave, most RUNNING tasks first. */
  readonly items: readonly WorkItem[];
  /** The wave's services in batches of at most the batch size. */
  readonly batches: readonly Batch[];
  /** Standalone task groups: listed for whoever starts them, never batched or touched. */
  readonly standalone: readonly WorkItem[];
}

/** Exposure that could not be read ranks as exposed: it may be, and exposed work goes first. */
export function waveOf(item: Pick<WorkItem, "exposure" | "production">): WaveNumber {
  const exposed = item.exposure.status !== "not-exposed";
  const production = item.production.status === "production";
  if (production) return exposed ? 1 : 2;
  return exposed ? 3 : 4;
}

export function targetLabel(target: WorkTarget): string {
  return target.kind === "service"
    ? `${target.cluster}/${target.service}`
    : `${target.cluster} (standalone tasks)`;
}

function byPriority(a: WorkItem, b: WorkItem): number {
  if (a.runningTasks !== b.runningTasks) return b.runningTasks - a.runningTasks;
  const byTarget = targetLabel(a.target).localeCompare(targetLabel(b.target));
  return byTarget !== 0 ? byTarget : a.revision.localeCompare(b.revision);
}

/** Waves 1 to 4, only those with work, each ordered by how many tasks run it and split into batches. */
export function planWaves(items: readonly WorkItem[], batchSize: number): Wave[] {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InvalidSettingError(`batch size must be a whole number of at least 1, got ${batchSize}`);
  const waves: Wave[] = [];
  for (const number of [1, 2, 3, 4] as const) {
    const inWave = items.filter((item) => waveOf(item) === number).sort(byPriority);
    if (inWave.length === 0) continue;
    const services = inWave.filter((item) => item.target.kind === "service");
    const batches: Batch[] = [];
    for (let start = 0; start < services.length; start += batchSize) {
      batches.push({ number: batches.length + 1, services: services.slice(start, start + batchSize) });
    }
    waves.push({
      number,
      title: WAVE_TITLES[number],
      items: inWave,
      batches,
      standalone: inWave.filter((item) => item.target.kind === "standalone"),
    });
  }
  return waves;
}
