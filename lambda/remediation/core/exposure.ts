// Whether a service or a group of standalone tasks can be reached from the internet, and what says so.

export type ExposureEvidence =
  | {
      readonly kind: "internet-facing-load-balancer";
      readonly loadBalancer: string;
      readonly targetGroup: string;
    }
  | { readonly kind: "service-assigns-public-ip" }
  | { readonly kind: "task-public-ip"; readonly task: string; readonly publicIp: string }
  | {
      readonly kind: "container-instance-public-ip";
      readonly task: string;
      readonly instanceId: string;
      readonly publicIp: string;
    };

export type Exposure =
  | { readonly status: "exposed"; readonly evidence: readonly ExposureEvidence[] }
  | { readonly status: "not-exposed" }
  /** Part of what decides it could not be read: ranked as exposed, since it may be. */
  | { readonly status: "unknown"; readonly unread: readonly string[] };

/** What the adapters found about one service or standalone group; every list may be empty. */
export interface ExposureFacts {
  /** Load balancers in front of the service's target groups, with their scheme. */
  readonly loadBalancers: readonly {
    readonly loadBalancer: string;
    readonly targetGroup: string;
    readonly scheme: string | undefined;
  }[];
  /** `networkConfiguration.awsvpcConfiguration.assignPublicIp` of the service. */
  readonly assignPublicIp?: string | undefined;
  /** Public IPs of the tasks' own network interfaces (awsvpc). */
  readonly taskPublicIps: readonly { readonly task: string; readonly publicIp: string }[];
  /** Public IPs of the container instances the tasks run on (host and bridge network modes). */
  readonly instancePublicIps: readonly {
    readonly task: string;
    readonly instanceId: string;
    readonly publicIp: string;
  }[];
  /** Tasks on ECS Anywhere (external) instances: outside EC2, so what reaches them is not known here. */
  readonly externalInstances?: readonly { readonly task: string; readonly instanceId: string }[];
  /** What could not be read (a target group, an interface, an instance ...). */
  readonly unread: readonly string[];
}

export function classifyExposure(facts: ExposureFacts): Exposure {
  const evidence: ExposureEvidence[] = [
    ...facts.loadBalancers
      .filter((entry) => entry.scheme === "internet-facing")
      .map((entry) => ({
        kind: "internet-facing-load-balancer" as const,
        loadBalancer: entry.loadBalancer,
        targetGroup: entry.targetGroup,
      })),
    ...(facts.assignPublicIp === "ENABLED" ? [{ kind: "service-assigns-public-ip" as const }] : []),
    ...facts.taskPublicIps.map((entry) => ({ kind: "task-public-ip" as const, ...entry })),
    ...facts.instancePublicIps.map((entry) => ({ kind: "container-instance-public-ip" as const, ...entry })),
  ];
  if (evidence.length > 0) return { status: "exposed", evidence };
  // A load balancer whose scheme is missing could be internet-facing.
  const unread = [
    ...facts.unread,
    ...[...new Set((facts.externalInstances ?? []).map((entry) => entry.instanceId))].map(
      (id) => `external instance ${id} (ECS Anywhere: whether the internet reaches it is not known)`,
    ),
    ...facts.loadBalancers
      .filter((entry) => entry.scheme === undefined)
      .map((entry) => `scheme of load balancer ${entry.loadBalancer}`),
  ];
  return unread.length > 0 ? { status: "unknown", unread } : { status: "not-exposed" };
}

/** One line a person reads: `internet-facing load balancer my-alb (target group web-tg)`. */
export function describeEvidence(evidence: ExposureEvidence): string {
  switch (evidence.kind) {
    case "internet-facing-load-balancer":
      return `internet-facing load balancer ${evidence.loadBalancer} (target group ${evidence.targetGroup})`;
    case "service-assigns-public-ip":
      return "the service assigns public IPs (assignPublicIp ENABLED)";
    case "task-public-ip":
      return `task ${evidence.task} has public IP ${evidence.publicIp}`;
    case "container-instance-public-ip":
      return `task ${evidence.task} runs on instance ${evidence.instanceId} with public IP ${evidence.publicIp}`;
  }
}

export function describeExposure(exposure: Exposure): string {
  if (exposure.status === "exposed") return exposure.evidence.map(describeEvidence).join("; ");
  if (exposure.status === "unknown") return `unknown (not read: ${exposure.unread.join("; ")})`;
  return "not internet-exposed";
}
