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

function serviceIdentity(item: ChangedItem): { cluster: string; name: string } {
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
  // ECS puts a service created without a cluster into the cluster named "default".
  const cluster =
    typeof configuration.Cluster === "string"
      ? nameFromArn(configuration.Cluster)
      : (fromArn?.cluster ?? "default");
  return { cluster, name };
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
  const service = serviceIdentity(item);
  const reference =
    typeof item.configuration?.TaskDefinition === "string" && item.configuration.TaskDefinition !== ""
      ? item.configuration.TaskDefinition
      : undefined;
  // While the service wants tasks, the revision it deploys counts as in use: its new tasks start with it.
  const deploying = Number(item.configuration?.DesiredCount ?? 0) > 0 ? reference : undefined;

  const [runningView, deployingFacts] = await Promise.all([
    context.ports.inUse.read({ shouldStop: context.shouldStop }),
    deploying === undefined
      ? Promise.resolve(undefined)
      : context.ports.revisions.describeReference(deploying).catch(() => undefined),
  ]);
  const view =
    deploying === undefined
      ? runningView
      : withRevisionInUse(runningView, deployingRevision(deploying, deployingFacts, service));

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
