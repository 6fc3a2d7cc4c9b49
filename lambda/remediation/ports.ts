// What the remediation's use cases ask of the world: ECS, the journal, and what exposes a target. The
// adapters implement these; the use cases see nothing else.
import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import type { InUseRevision } from "../core/inUseView";
import type { ExposureFacts } from "./core/exposure";
import type { Journal } from "./core/journal";
import type { Tag } from "./core/production";
import type { ServiceRollout } from "./core/rollout";
import type { DeploymentController, TaskLaunch, WorkTarget } from "./core/waves";

export interface TaggedCandidate {
  readonly arn: string;
  readonly described: Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">;
}

/** What the choice of a replacement reads: one revision, and the revisions tagged as replacing one. */
export interface ReplacementLookup {
  describeRevision(
    revisionArn: string,
  ): Promise<Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">>;
  taggedCandidates(family: string, replaces: string, newerThan: number): Promise<readonly TaggedCandidate[]>;
}

/** The ECS calls an apply makes (the adapter pages, paces and names permissions). */
export interface RemediationEcs extends ReplacementLookup {
  describeRevision(revisionArn: string): Promise<DescribeTaskDefinitionCommandOutput>;
  register(input: RegisterTaskDefinitionCommandInput): Promise<string>;
  /** `undefined` when the service is gone (MISSING, or INACTIVE). */
  describeService(cluster: string, service: string): Promise<ServiceRollout | undefined>;
  updateService(cluster: string, service: string, taskDefinitionArn: string): Promise<void>;
}

/** Where the journal lives: a file for the command, memory for the function. */
export interface JournalStore {
  load(): Promise<Journal>;
  save(journal: Journal): Promise<void>;
}

/** What was found about one target that runs an offending revision. */
export interface TargetFacts {
  readonly revisionArn: string;
  readonly target: WorkTarget;
  readonly runningTasks: number;
  /** `startedBy` of standalone tasks: who starts them (a scheduler, a person, a pipeline). */
  readonly startedBy: readonly string[];
  readonly exposure: ExposureFacts;
  /** Services: their deployment controller and the container a load balancer sends to. */
  readonly deploymentController?: DeploymentController | undefined;
  readonly loadBalancerContainer?: { readonly name: string; readonly port: number } | undefined;
  /** Standalone tasks: how they were started (of the first task; a group started in several ways shows one). */
  readonly launch?: TaskLaunch | undefined;
  readonly serviceTags: readonly Tag[] | undefined;
  readonly clusterTags: readonly Tag[] | undefined;
}

export interface ExposureRead {
  readonly targets: readonly TargetFacts[];
  readonly unreadParts: readonly string[];
}

/** What decides how exposed and how "production" each target running an offending revision is. */
export interface ExposureSource {
  read(revisions: readonly InUseRevision[]): Promise<ExposureRead>;
}
