import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { missingService, type ServiceState, type ServiceToDescribe, serviceState } from "../core/services";
import type { ServiceSource, ServicesRead } from "../rule/ports";
import { errorText } from "../util/errorText";
import { type EcsCaller, isClusterNotFound } from "./ecsCalls";

/** DescribeServices takes at most 10 services of one cluster a call. */
export const DESCRIBE_SERVICES_BATCH = 10;

/** One DescribeServices per 10 services of a cluster; a deleted cluster's services are deleted too. */
export class EcsServiceReader implements ServiceSource {
  constructor(private readonly ecs: EcsCaller) {}

  async describe(services: readonly ServiceToDescribe[]): Promise<ServicesRead> {
    const states = new Map<string, ServiceState>();
    const unread = new Map<string, string>();
    const byCluster = new Map<string, ServiceToDescribe[]>();
    for (const service of services) {
      const list = byCluster.get(service.cluster) ?? [];
      list.push(service);
      byCluster.set(service.cluster, list);
    }
    const batches: ServiceToDescribe[][] = [];
    for (const list of byCluster.values()) {
      for (let start = 0; start < list.length; start += DESCRIBE_SERVICES_BATCH)
        batches.push(list.slice(start, start + DESCRIBE_SERVICES_BATCH));
    }
    await Promise.all(batches.map((batch) => this.describeBatch(batch, states, unread)));
    return { states, unread };
  }

  private async describeBatch(
    batch: readonly ServiceToDescribe[],
    states: Map<string, ServiceState>,
    unread: Map<string, string>,
  ): Promise<void> {
    const cluster = (batch[0] as ServiceToDescribe).cluster;
    let response: Awaited<ReturnType<typeof this.send>>;
    try {
      response = await this.send(
        cluster,
        batch.map((service) => service.describeAs ?? service.resourceId),
      );
    } catch (error) {
      for (const service of batch) {
        if (isClusterNotFound(error))
          states.set(service.resourceId, missingService(service.resourceId, service));
        else
          unread.set(service.resourceId, `service ${service.cluster}/${service.name}: ${errorText(error)}`);
      }
      return;
    }
    for (const service of batch) {
      const asked = service.describeAs ?? service.resourceId;
      const found = (response.services ?? []).find(
        (described) => described.serviceArn === asked || described.serviceName === service.name,
      );
      if (found) {
        states.set(service.resourceId, serviceState(service.resourceId, found));
        continue;
      }
      const failure = (response.failures ?? []).find(
        (failed) => failed.arn === asked || failed.arn?.endsWith(`/${service.name}`),
      );
      if (failure?.reason === "MISSING")
        states.set(service.resourceId, missingService(service.resourceId, service));
      else {
        unread.set(
          service.resourceId,
          `service ${service.cluster}/${service.name}: ${failure?.reason ?? "not in the DescribeServices answer"}`,
        );
      }
    }
  }

  private send(cluster: string, serviceArns: string[]) {
    return this.ecs.call("serviceRead", (client) =>
      client.send(new DescribeServicesCommand({ cluster, services: serviceArns })),
    );
  }
}
