// The remediation's adapters of one account and Region, assembled in one place for the Config remediation
// (remediateFamily), the command's plan and apply, and the scan's fix plan.
import type { Clock } from "../util/clock";
import { EcsRemediationGateway } from "./adapters/ecsGateway";
import { ExposureReader, type RemediationClients } from "./adapters/exposureReader";
import { PacedCalls } from "./adapters/paced";
import type { ExposureSource, RemediationEcs } from "./ports";

export type { RemediationClients };

export interface RemediationPorts {
  readonly ecs: RemediationEcs;
  readonly exposure: ExposureSource;
}

/**
 * ECS (read, register, update) and what exposes each target (load balancers, public IPs), sharing one set of
 * token buckets at `share` (0, 1] of each, so the plan and the apply leave the rest to the owner's tooling.
 */
export function remediationPorts(clients: RemediationClients, clock: Clock, share: number): RemediationPorts {
  const calls = new PacedCalls(clock, share);
  return { ecs: new EcsRemediationGateway(clients.ecs, calls), exposure: new ExposureReader(clients, calls) };
}
