// Whether a service's move to a revision has finished, from its DescribeServices answer. Pure.
import type { Deployment } from "@aws-sdk/client-ecs";

/** A deployment as DescribeServices returns it, reduced to what the outcome depends on. */
export type DeploymentState = Pick<
  Deployment,
  "id" | "status" | "taskDefinition" | "rolloutState" | "rolloutStateReason" | "desiredCount" | "runningCount"
>;

export interface ServiceRollout {
  readonly status?: string | undefined;
  /** `deploymentController.type`: ECS (the default when absent), CODE_DEPLOY or EXTERNAL. */
  readonly deploymentController?: string | undefined;
  readonly taskDefinition?: string | undefined;
  readonly deployments: readonly DeploymentState[];
}

export type RolloutOutcome =
  | { readonly state: "completed" }
  | { readonly state: "in-progress"; readonly detail: string }
  | { readonly state: "failed"; readonly why: string }
  | { readonly state: "rolled-back"; readonly why: string };

/**
 * ECS sets `rolloutState` on deployments of the ECS deployment controller: COMPLETED once the new tasks are
 * steady and the old ones gone, FAILED when the deployment circuit breaker gives up, in which case a rollback
 * starts a new PRIMARY deployment of the previous revision. Without `rolloutState` the deployment counts as
 * finished when it is the only one left and runs as many tasks as it wants.
 */
export function rolloutOutcome(service: ServiceRollout, target: string): RolloutOutcome {
  const ours = service.deployments.find((deployment) => deployment.taskDefinition === target);
  const primary = service.deployments.find((deployment) => deployment.status === "PRIMARY");
  if (ours?.rolloutState === "FAILED") {
    return { state: "failed", why: ours.rolloutStateReason ?? `deployment ${ours.id ?? "?"} failed` };
  }
  if (
    primary !== undefined &&
    primary.taskDefinition !== target &&
    (ours !== undefined || service.taskDefinition !== target)
  ) {
    return {
      state: "rolled-back",
      why: `the service deploys ${primary.taskDefinition ?? "another revision"} again${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ""}`,
    };
  }
  if (ours === undefined) {
    return service.taskDefinition === target
      ? { state: "in-progress", detail: "ECS has not started the deployment yet" }
      : { state: "rolled-back", why: `the service deploys ${service.taskDefinition ?? "no revision"}` };
  }
  if (ours.rolloutState === "COMPLETED") return { state: "completed" };
  if (ours.rolloutState === undefined && service.deployments.length === 1) {
    if ((ours.runningCount ?? 0) >= (ours.desiredCount ?? 0)) return { state: "completed" };
  }
  return {
    state: "in-progress",
    detail: `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} tasks running${ours.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ""}`,
  };
}
