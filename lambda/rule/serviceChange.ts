import { judgeService, judgeTaskDefinition } from "../core/evaluate";
import {
  inferTaskDefinitionIdForm,
  parseServiceArn,
  revisionsOfService,
  taskDefinitionResourceId,
  withRevisionInUse,
} from "../core/targets";
import { nameFromArn, parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import { type InUseRevision, type RevisionFacts, TASK_DEFINITION_TYPE } from "../core/types";
import { type ChangedItem, InvalidEventError } from "../event";
import {
  accountState,
  type ChangeContext,
  type ChangeOutcome,
  collect,
  DELETED_STATUSES,
  notApplicable,
} from "./changeOutcome";

interface ServiceFacts {
  readonly service: { readonly cluster: string; readonly name: string };
  /** The task definition it names: `family`, `family:revision` or an ARN. */
  readonly reference: string | undefined;
  /** Whether it wants tasks; `undefined` when the item does not say. */
  readonly wantsTasks: boolean | undefined;
  /** What the item leaves unknown that a verdict could depend on. */
  readonly unknowns: readonly string[];
}

/** What a service's configuration item says, and what it leaves unknown (which keeps verdicts uncertain). */
function serviceFacts(item: ChangedItem): ServiceFacts {
  const configuration = item.configuration ?? {};
  const serviceArn =
    typeof configuration.ServiceArn === "string" ? configuration.ServiceArn : item.resourceId;
  const fromArn = parseServiceArn(serviceArn);
  const name = typeof configuration.ServiceName === "string" ? configuration.ServiceName : fromArn?.name;
  if (!name) {
    throw new InvalidEventError(
      `configurationItem for service ${item.resourceId} names no ServiceName or ServiceArn`,
    );
  }
  const unknowns: string[] = [];
  const clusterNamed =
    typeof configuration.Cluster === "string" ? nameFromArn(configuration.Cluster) : fromArn?.cluster;
  // ECS puts a service created without a cluster into "default"; a guess all the same.
  if (clusterNamed === undefined) unknowns.push(`service ${name}: its cluster is not recorded`);
  const reference =
    typeof configuration.TaskDefinition === "string" && configuration.TaskDefinition !== ""
      ? configuration.TaskDefinition
      : undefined;
  const desired = Number(configuration.DesiredCount);
  const wantsTasks =
    configuration.SchedulingStrategy === "DAEMON"
      ? true
      : configuration.DesiredCount !== undefined &&
          configuration.DesiredCount !== null &&
          Number.isFinite(desired)
        ? desired > 0
        : undefined;
  if (wantsTasks === undefined) unknowns.push(`service ${name}: its desired count is not recorded`);
  if (wantsTasks === true && reference === undefined) {
    unknowns.push(`service ${name}: wants tasks but its task definition is not recorded`);
  }
  return { service: { cluster: clusterNamed ?? "default", name }, reference, wantsTasks, unknowns };
}

/**
 * The revision a service deploys, placed on the service. Without facts (it could not be described) it
 * keeps the reference as its key, so verdicts it could change stay uncertain.
 */
function deployingRevision(
  reference: string,
  facts: RevisionFacts | undefined,
  service: { cluster: string; name: string },
): InUseRevision {
  const named = parseTaskDefinitionRef(reference);
  return {
    arn: facts?.arn ?? reference,
    family: facts?.family ?? named?.family ?? reference,
    revision: facts?.revision ?? named?.revision ?? 0,
    placements: [{ cluster: service.cluster, service: service.name }],
  };
}

/** A service change: judge the service, then its task definition family under Config's id form. */
export async function evaluateServiceChange(
  context: ChangeContext,
  item: ChangedItem,
): Promise<ChangeOutcome> {
  if (DELETED_STATUSES.has(item.status)) return notApplicable(item, "The service was deleted.");
  const { service, reference, wantsTasks, unknowns } = serviceFacts(item);
  // While the service wants tasks, the revision it deploys counts as in use: its new tasks start with it.
  const deploying = wantsTasks === true ? reference : undefined;

  const [runningView, deployingFacts] = await Promise.all([
    context.ports.inUse.read({ shouldStop: context.shouldStop }),
    deploying === undefined
      ? Promise.resolve(undefined)
      : context.ports.revisions.describeReference(deploying).catch(() => undefined),
  ]);
  const withDeployment =
    deploying === undefined
      ? runningView
      : withRevisionInUse(runningView, deployingRevision(deploying, deployingFacts, service));
  // What the item leaves unknown counts as unread: only a NON_COMPLIANT seen in running tasks stays certain.
  const view = { ...withDeployment, unreadParts: [...withDeployment.unreadParts, ...unknowns] };

  const serviceRevisions = revisionsOfService(view, service);
  const family =
    deployingFacts?.family ??
    (reference === undefined ? undefined : parseTaskDefinitionRef(reference)?.family) ??
    serviceRevisions[0]?.family;
  const familyRevisions = view.revisions.filter((revision) => revision.family === family);
  const { state, unreadParts } = await accountState(
    context,
    view,
    [...serviceRevisions, ...familyRevisions].map((revision) => revision.arn),
  );
  if (deploying !== undefined && deployingFacts === undefined) {
    unreadParts.push(`revision ${deploying} deployed by service ${service.name}: could not be described`);
  }

  const outcome: ChangeOutcome = { evaluations: [], withheld: [], unreadParts };
  collect(outcome, item, judgeService(service, state), item.captureTime);
  if (family === undefined) return outcome;
  const idForm = inferTaskDefinitionIdForm(
    await context.ports.config.sampleResourceIds(TASK_DEFINITION_TYPE),
  );
  const familyIds =
    idForm === "family"
      ? [family]
      : [...new Set(familyRevisions.map((revision) => taskDefinitionResourceId(revision, idForm)))];
  for (const resourceId of familyIds) {
    const judgement = judgeTaskDefinition(resourceId, state);
    if (judgement)
      collect(outcome, { resourceType: TASK_DEFINITION_TYPE, resourceId }, judgement, item.captureTime);
  }
  return outcome;
}
