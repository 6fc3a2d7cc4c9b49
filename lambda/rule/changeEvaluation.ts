import { judgeTaskDefinition } from "../core/evaluate";
import { revisionsForResource } from "../core/targets";
import { parseTaskDefinitionRef } from "../core/taskDefinitionRef";
import { type Judgement, type RevisionFacts, SERVICE_TYPE, TASK_DEFINITION_TYPE } from "../core/types";
import { type ChangedItem, InvalidEventError } from "../event";
import {
  accountState,
  type ChangeContext,
  type ChangeOutcome,
  collect,
  DELETED_STATUSES,
  notApplicable,
} from "./changeOutcome";
import { IncompleteEvaluationError, type InvocationReport } from "./outcome";
import { evaluateServiceChange } from "./serviceChange";

/** A change notification: judge the changed resource (and, for a service, its task definition family). */
export async function evaluateChange(
  context: ChangeContext,
  item: ChangedItem,
  reportBase: Pick<InvocationReport, "trigger" | "expiringSoon" | "invalidExceptions">,
): Promise<InvocationReport> {
  const outcome = context.invocation.eventLeftScope
    ? notApplicable(item, "The resource left the scope of this rule.")
    : item.resourceType === TASK_DEFINITION_TYPE
      ? await evaluateTaskDefinitionChange(context, item)
      : item.resourceType === SERVICE_TYPE
        ? await evaluateServiceChange(context, item)
        : notApplicable(item, "Only ECS task definitions and services are judged by this rule.");
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

/** Facts the item itself carries about its revision, which saves a DescribeTaskDefinition. */
function factsFromItem(item: ChangedItem): RevisionFacts | undefined {
  const arn = item.configuration?.TaskDefinitionArn;
  if (typeof arn !== "string" || DELETED_STATUSES.has(item.status)) return undefined;
  const ref = parseTaskDefinitionRef(arn);
  if (ref?.revision === undefined) return undefined;
  const configuration = item.configuration ?? {};
  const pidMode = configuration.PidMode;
  if (typeof pidMode === "string") return { arn, family: ref.family, revision: ref.revision, pidMode };
  // Config leaves PidMode out when it is not set, so its absence is a fact only in a whole item in Config's
  // own PascalCase shape; anything else (a partial item, another spelling) is left to DescribeTaskDefinition.
  const wholeItem = Array.isArray(configuration.ContainerDefinitions) && !("pidMode" in configuration);
  return wholeItem ? { arn, family: ref.family, revision: ref.revision, pidMode: undefined } : undefined;
}

async function evaluateTaskDefinitionChange(
  context: ChangeContext,
  item: ChangedItem,
): Promise<ChangeOutcome> {
  const recorded = factsFromItem(item);
  if (recorded) context.ports.revisions.remember(recorded);
  const view = await context.ports.inUse.read({ shouldStop: context.shouldStop });
  const revisions = revisionsForResource(item.resourceId, view.revisions);
  if (revisions === undefined) {
    throw new InvalidEventError(
      `configurationItem.resourceId ${JSON.stringify(item.resourceId)} is not a task definition family, family:revision or ARN`,
    );
  }
  const { state, unreadParts } = await accountState(
    context,
    view,
    revisions.map((revision) => revision.arn),
  );
  const outcome: ChangeOutcome = { evaluations: [], withheld: [], unreadParts };
  collect(outcome, item, judgeTaskDefinition(item.resourceId, state) as Judgement, item.captureTime);
  return outcome;
}
