import { type AccountState, judgeService, judgeTaskDefinition, type ServiceState } from "../core/evaluate";
import type { ExceptionList } from "../core/exceptions";
import {
  inferTaskDefinitionIdForm,
  parseServiceArn,
  revisionsForResource,
  revisionsOfService,
  taskDefinitionResourceId,
  withRevisionInUse,
} from "../core/targets";
import { nameFromArn, parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import {
  type Evaluation,
  type InUseView,
  type Judgement,
  type RevisionFacts,
  SERVICE_TYPE,
  TASK_DEFINITION_TYPE,
  verdictKey,
} from "../core/types";
import { type ChangedItem, InvalidEventError, type RuleInvocation } from "../event";
import { IncompleteEvaluationError, type InvocationReport } from "./outcome";
import type { AccountPorts } from "./ports";

const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

interface ChangeContext {
  readonly invocation: RuleInvocation;
  readonly ports: AccountPorts;
  readonly exceptions: ExceptionList;
  readonly now: Date;
  readonly shouldStop: () => boolean;
}

interface Outcome {
  readonly evaluations: Evaluation[];
  readonly withheld: string[];
  readonly unreadParts: string[];
}

/** A change notification: judge the changed resource (and, for a service, its task definition family). */
export async function evaluateChange(
  context: ChangeContext,
  item: ChangedItem,
  reportBase: Pick<InvocationReport, "trigger" | "expiringSoon" | "invalidExceptions">,
): Promise<InvocationReport> {
  const outcome = context.invocation.eventLeftScope
    ? fixedVerdict(item, "The resource left the scope of this rule.")
    : item.resourceType === TASK_DEFINITION_TYPE
      ? await evaluateTaskDefinition(context, item)
      : item.resourceType === SERVICE_TYPE
        ? await evaluateService(context, item)
        : fixedVerdict(item, "Only ECS task definitions and services are judged by this rule.");
  await context.ports.config.putEvaluations(outcome.evaluations, context.invocation.resultToken);
  const report: InvocationReport = {
    ...reportBase,
    evaluationsWritten: outcome.evaluations.length,
    unchanged: 0,
    withheld: outcome.withheld,
    unreadParts: outcome.unreadParts,
  };
  if (report.unreadParts.length > 0 || report.withheld.length > 0)
    throw new IncompleteEvaluationError(report);
  return report;
}

function fixedVerdict(item: ChangedItem, annotation: string): Outcome {
  return {
    evaluations: [
      {
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        complianceType: "NOT_APPLICABLE",
        annotation,
        orderingTimestamp: item.captureTime,
      },
    ],
    withheld: [],
    unreadParts: [],
  };
}

/** Facts the item itself carries about its revision (Config records PascalCase `PidMode`, absent when unset). */
function factsFromItem(item: ChangedItem): RevisionFacts | undefined {
  const arn = item.configuration?.TaskDefinitionArn;
  if (typeof arn !== "string" || DELETED.has(item.status)) return undefined;
  const ref = parseTaskDefinitionRef(arn);
  if (ref?.revision === undefined) return undefined;
  const pidMode = item.configuration?.PidMode;
  return {
    arn,
    family: ref.family,
    revision: ref.revision,
    pidMode: typeof pidMode === "string" ? pidMode : undefined,
  };
}

async function stateFor(context: ChangeContext, view: InUseView, arns: readonly string[]) {
  const described = await context.ports.revisions.describeAll(arns, context.shouldStop);
  const state: AccountState = {
    accountId: context.ports.accountId,
    view,
    facts: described.facts,
    exceptions: context.exceptions.approved,
    now: context.now,
  };
  const unreadParts = [
    ...view.unreadParts,
    ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
  ];
  return { state, unreadParts };
}

function collect(
  outcome: Outcome,
  resourceType: string,
  resourceId: string,
  judgement: Judgement,
  at: Date,
): void {
  if (!judgement.certain) {
    outcome.withheld.push(verdictKey(resourceType, resourceId));
    return;
  }
  outcome.evaluations.push({
    resourceType,
    resourceId,
    complianceType: judgement.complianceType,
    annotation: judgement.annotation,
    orderingTimestamp: at,
  });
}

async function evaluateTaskDefinition(context: ChangeContext, item: ChangedItem): Promise<Outcome> {
  const known = factsFromItem(item);
  if (known) context.ports.revisions.remember(known);
  const view = await context.ports.inUse.read({ shouldStop: context.shouldStop });
  const revisions = revisionsForResource(item.resourceId, view.revisions);
  if (revisions === undefined) {
    throw new InvalidEventError(
      `configurationItem.resourceId ${JSON.stringify(item.resourceId)} is not a task definition family, family:revision or ARN`,
    );
  }
  const { state, unreadParts } = await stateFor(
    context,
    view,
    revisions.map((revision) => revision.arn),
  );
  const outcome: Outcome = { evaluations: [], withheld: [], unreadParts };
  collect(
    outcome,
    item.resourceType,
    item.resourceId,
    judgeTaskDefinition(item.resourceId, state) as Judgement,
    item.captureTime,
  );
  return outcome;
}

function serviceIdentity(item: ChangedItem): { cluster: string; name: string } {
  const configuration = item.configuration ?? {};
  const fromArn = parseServiceArn(
    typeof configuration.ServiceArn === "string" ? configuration.ServiceArn : item.resourceId,
  );
  const name = typeof configuration.ServiceName === "string" ? configuration.ServiceName : fromArn?.name;
  if (!name) {
    throw new InvalidEventError(
      `configurationItem for service ${item.resourceId} names no service (ServiceName or ServiceArn)`,
    );
  }
  // ECS puts a service created without a cluster into the cluster named "default".
  const cluster =
    typeof configuration.Cluster === "string"
      ? nameFromArn(configuration.Cluster)
      : (fromArn?.cluster ?? "default");
  return { cluster, name };
}

async function evaluateService(context: ChangeContext, item: ChangedItem): Promise<Outcome> {
  if (DELETED.has(item.status)) return fixedVerdict(item, "The service was deleted.");
  const service = serviceIdentity(item);
  const desiredCount = Number(item.configuration?.DesiredCount ?? 0);
  const reference = item.configuration?.TaskDefinition;
  const deployingReference =
    desiredCount > 0 && typeof reference === "string" && reference !== "" ? reference : undefined;

  const [view, deployingFacts] = await Promise.all([
    context.ports.inUse.read({ shouldStop: context.shouldStop }),
    deployingReference === undefined
      ? Promise.resolve(undefined)
      : context.ports.revisions.describeReference(deployingReference).catch(() => undefined),
  ]);
  const deploying: ServiceState["deploying"] =
    deployingReference === undefined ? null : { reference: deployingReference, facts: deployingFacts };

  // While the service wants tasks, its deploying revision counts as in use for its family too.
  const deployingRevision = deployingFacts
    ? {
        arn: deployingFacts.arn,
        family: deployingFacts.family,
        revision: deployingFacts.revision,
        placements: [{ cluster: service.cluster, service: service.name }],
      }
    : undefined;
  const viewWithDeployment = deployingRevision ? withRevisionInUse(view, deployingRevision) : view;
  const family =
    deployingFacts?.family ??
    (deployingReference ? parseTaskDefinitionRef(deployingReference)?.family : undefined) ??
    revisionsOfService(view, service)[0]?.family;
  const familyRevisions =
    family === undefined ? [] : viewWithDeployment.revisions.filter((revision) => revision.family === family);
  const arns = new Set(
    [...revisionsOfService(view, service), ...familyRevisions].map((revision) => revision.arn),
  );
  const { state, unreadParts } = await stateFor(context, viewWithDeployment, [...arns]);
  if (deployingReference !== undefined && deployingFacts === undefined) {
    unreadParts.push(
      `revision ${deployingReference} deployed by service ${service.name}: could not be described`,
    );
  }

  const outcome: Outcome = { evaluations: [], withheld: [], unreadParts };
  collect(
    outcome,
    item.resourceType,
    item.resourceId,
    judgeService({ service, deploying }, { ...state, view }),
    item.captureTime,
  );
  if (family !== undefined) {
    const idForm = inferTaskDefinitionIdForm(
      await context.ports.config.sampleResourceIds(TASK_DEFINITION_TYPE),
    );
    const familyIds =
      idForm === "family"
        ? [family]
        : [...new Set(familyRevisions.map((revision) => taskDefinitionResourceId(revision, idForm)))];
    for (const resourceId of familyIds) {
      const judgement = judgeTaskDefinition(resourceId, state);
      if (judgement) collect(outcome, TASK_DEFINITION_TYPE, resourceId, judgement, item.captureTime);
    }
  }
  return outcome;
}
