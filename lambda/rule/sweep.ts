import { CLUSTER_TYPE, TASK_DEFINITION_TYPE, TASK_SET_TYPE } from "../core/identifiers";
import type { JudgedScope } from "../core/scope";
import type { ServiceState, ServiceToDescribe } from "../core/services";
import { type ConfigSnapshot, planSweep, servicesOfCluster, servicesToDescribe } from "../core/sweepPlan";
import { isDaemonDefinitionArn } from "../core/taskDefinitionRef";
import { errorText } from "../util/errorText";
import type { AccountPorts, ClusterRead, ServicesRead } from "./ports";
import { describeRevisions, wantedReferences } from "./reads";
import type { TriggerContext, TriggerOutcome } from "./trigger";

async function readConfig(
  ports: AccountPorts,
  configRuleName: string,
  scope: JudgedScope,
): Promise<ConfigSnapshot> {
  const [recordedTaskDefinitionIds, currentVerdicts, recordedClusterSample, recordedTaskSetIds] =
    await Promise.all([
      ports.config.recordedResourceIds(TASK_DEFINITION_TYPE),
      ports.config.currentVerdicts(configRuleName),
      ports.config.sampleResourceIds(CLUSTER_TYPE),
      scope.services ? ports.config.recordedResourceIds(TASK_SET_TYPE) : Promise.resolve([]),
    ]);
  return { recordedTaskDefinitionIds, currentVerdicts, recordedClusterSample, recordedTaskSetIds };
}

/**
 * The periodic sweep: read the account afresh (ECS and Config in parallel), describe the services it
 * judges, judge everything, and keep only certain verdicts that differ from what Config holds.
 */
export async function sweepAccount(context: TriggerContext, notificationTime: Date): Promise<TriggerOutcome> {
  const { ports, shouldStop } = context;
  const unreadParts: string[] = [];
  const configRead = readConfig(ports, context.configRuleName, context.scope).catch((error: unknown) => {
    unreadParts.push(
      `what AWS Config records and holds for rule ${context.configRuleName}: ${errorText(error)}`,
    );
    return undefined;
  });
  // The same for Lambda's retries of this event: they continue this sweep's reads instead of starting over.
  const resumeKey = `${context.configRuleName} ${notificationTime.toISOString()}`;
  const serviceReads = new ServiceReads(ports, configRead, shouldStop, resumeKey);
  const view = await ports.inUse.readAccount({
    shouldStop,
    includeDaemons: context.scope.daemons,
    resumeKey,
    onRevision: (arn) => {
      if (context.scope.daemons || !isDaemonDefinitionArn(arn)) ports.revisions.prefetch(arn, shouldStop);
    },
    ...(context.scope.services
      ? { onClusterRead: (read) => serviceReads.startCluster(read.clusterArn, runningServiceNames(read)) }
      : {}),
  });
  const config = await configRead;
  // Services outside the rule's scope are neither described nor judged.
  const { services: toDescribe } = context.scope.services
    ? servicesToDescribe(view, config?.currentVerdicts)
    : { services: [] };
  const servicesRead = await serviceReads.finish(toDescribe);
  const services = [...servicesRead.states.values()];
  const described = await describeRevisions(
    ports,
    [
      ...view.revisions.map((revision) => revision.arn),
      ...(context.scope.daemons ? view.daemonRevisions.map((revision) => revision.arn) : []),
      ...wantedReferences(services),
    ],
    shouldStop,
  );
  const plan = planSweep({
    state: {
      accountId: ports.accountId,
      view,
      facts: described.facts,
      exceptions: context.exceptions,
      now: context.now,
    },
    config,
    services,
    undescribedServiceIds: [...servicesRead.unread.keys()],
    orderingTimestamp: notificationTime,
    scope: context.scope,
  });
  return {
    plan,
    unreadParts: [
      ...unreadParts,
      ...view.unreadParts,
      ...(view.daemonUnreadParts ?? []),
      ...described.unreadParts,
      ...servicesRead.unread.values(),
      ...plan.unrecognised.map(
        (id) => `task definition resource id ${id}: not a family, family:revision or ARN`,
      ),
    ],
    unjudgedServiceIds: plan.unjudgedServiceIds,
    unrecognisedArns: view.unrecognisedArns,
  };
}

/**
 * The sweep's service describes, started cluster by cluster as the task reads finish each one, so they (and
 * the describes of the revisions the services want) overlap the reads of the other clusters. Each service is
 * described once: `finish` describes only what no cluster started, and keeps the answers for `final` alone.
 */
class ServiceReads {
  private readonly started = new Set<string>();
  private readonly starting: Promise<void>[] = [];
  private readonly reads: Promise<ServicesRead>[] = [];

  constructor(
    private readonly ports: AccountPorts,
    private readonly configRead: Promise<ConfigSnapshot | undefined>,
    private readonly shouldStop: () => boolean,
    private readonly resumeKey: string,
  ) {}

  startCluster(clusterArn: string, runningServiceNames: readonly string[]): void {
    this.starting.push(
      this.configRead.then((config) => {
        // Without what Config holds, the verdict services are unknown until the end: describe them there.
        if (config === undefined) return;
        this.describe(servicesOfCluster(clusterArn, runningServiceNames, config.currentVerdicts));
      }),
    );
  }

  async finish(final: readonly ServiceToDescribe[]): Promise<ServicesRead> {
    await Promise.all(this.starting);
    this.describe(final);
    const states = new Map<string, ServiceState>();
    const unread = new Map<string, string>();
    const wanted = new Set(final.map((service) => service.resourceId));
    for (const read of await Promise.all(this.reads)) {
      for (const [id, state] of read.states) if (wanted.has(id)) states.set(id, state);
      for (const [id, why] of read.unread) if (wanted.has(id)) unread.set(id, why);
    }
    return { states, unread };
  }

  private describe(services: readonly ServiceToDescribe[]): void {
    const fresh = services.filter((service) => !this.started.has(service.resourceId));
    if (fresh.length === 0) return;
    for (const service of fresh) this.started.add(service.resourceId);
    this.reads.push(
      this.ports.services.describe(fresh, { resumeKey: this.resumeKey }).then((read) => {
        for (const arn of wantedReferences(read.states.values()))
          this.ports.revisions.prefetch(arn, this.shouldStop);
        return read;
      }),
    );
  }
}

function runningServiceNames(read: ClusterRead): string[] {
  return [...new Set(read.tasks.flatMap(({ placement }) => placement.service ?? []))].sort();
}
