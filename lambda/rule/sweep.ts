import type { ApprovedException } from "../core/exceptions";
import { CLUSTER_TYPE, TASK_DEFINITION_TYPE, TASK_SET_TYPE } from "../core/identifiers";
import type { JudgedScope } from "../core/scope";
import { type ConfigSnapshot, planSweep, servicesToDescribe } from "../core/sweepPlan";
import { isDaemonDefinitionArn } from "../core/taskDefinitionRef";
import { errorText } from "../util/errorText";
import type { AccountPorts } from "./ports";
import { describeRevisions, wantedReferences } from "./reads";
import type { TriggerOutcome } from "./writeAndReport";

export interface SweepContext {
  readonly configRuleName: string;
  readonly ports: AccountPorts;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  readonly shouldStop: () => boolean;
  readonly scope: JudgedScope;
}

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
export async function sweepAccount(context: SweepContext, notificationTime: Date): Promise<TriggerOutcome> {
  const { ports, shouldStop } = context;
  const unreadParts: string[] = [];
  const configRead = readConfig(ports, context.configRuleName, context.scope).catch((error: unknown) => {
    unreadParts.push(
      `what AWS Config records and holds for rule ${context.configRuleName}: ${errorText(error)}`,
    );
    return undefined;
  });
  const view = await ports.inUse.readAccount({
    shouldStop,
    includeDaemons: context.scope.daemons,
    onRevision: (arn) => {
      if (context.scope.daemons || !isDaemonDefinitionArn(arn)) ports.revisions.prefetch(arn, shouldStop);
    },
  });
  const config = await configRead;
  // Services outside the rule's scope are neither described nor judged.
  const { services: toDescribe } = context.scope.services
    ? servicesToDescribe(view, config?.currentVerdicts)
    : { services: [] };
  const servicesRead = await ports.services.describe(toDescribe);
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
