import { type ChangedItem, type ChangeTarget, changeResourceKeys, planChange } from "../core/changePlan";
import { TASK_DEFINITION_TYPE } from "../core/identifiers";
import type { InUseView, RevisionFacts } from "../core/inUseView";
import type { VerdictInputs } from "../core/judgeResources";
import { inferTaskDefinitionIdForm, type TaskDefinitionIdForm } from "../core/resourceIds";
import { familiesOfService, type ServiceState } from "../core/services";
import { parseRevisionArn } from "../core/taskDefinitionRef";
import { errorText } from "../util/errorText";
import type { AccountPorts } from "./ports";
import { describeRevisions, wantedReferences } from "./reads";
import type { TriggerContext, TriggerOutcome } from "./trigger";

type ReadTarget = Exclude<ChangeTarget, { kind: "invalid" }>;

/** Facts the item itself carries about its revision, which saves a DescribeTaskDefinition. */
function factsFromItem(item: ChangedItem): RevisionFacts | undefined {
  const configuration = item.configuration;
  const arn = configuration?.TaskDefinitionArn;
  if (typeof arn !== "string" || item.status === "ResourceDeleted") return undefined;
  const parsed = parseRevisionArn(arn);
  if (parsed?.kind !== "task") return undefined;
  const pidMode = configuration?.PidMode;
  if (typeof pidMode === "string") return { arn, family: parsed.family, revision: parsed.revision, pidMode };
  // Config leaves PidMode out when it is not set, so its absence is a fact only in a whole item in Config's
  // own PascalCase shape; anything else (a partial item, another spelling) is left to DescribeTaskDefinition.
  const wholeItem =
    Array.isArray(configuration?.ContainerDefinitions) && !("pidMode" in (configuration ?? {}));
  return wholeItem
    ? { arn, family: parsed.family, revision: parsed.revision, pidMode: undefined }
    : undefined;
}

const NOTHING_READ: InUseView = {
  scope: { kind: "families", families: [] },
  revisions: [],
  daemonRevisions: [],
  unreadParts: [],
  unrecognisedArns: [],
  clusterArns: [],
};

/** The service as ECS describes it now: the same facts a sweep judges it from. */
async function describeService(
  context: TriggerContext,
  item: ChangedItem,
  target: Extract<ReadTarget, { kind: "service" | "taskSet" }>,
): Promise<{ service?: ServiceState; unreadParts: string[] }> {
  const read = await context.ports.services.describe([
    { ...target.service, resourceId: item.resourceId, describeAs: target.describeAs },
  ]);
  const service = read.states.get(item.resourceId);
  return service ? { service, unreadParts: [] } : { unreadParts: [...read.unread.values()] };
}

/** The task definition id form, needed only to name a service's families; the family name if unknown. */
async function idFormFor(
  context: TriggerContext,
  target: ReadTarget,
  unreadParts: string[],
): Promise<TaskDefinitionIdForm> {
  if (target.kind !== "service" && target.kind !== "taskSet") return "family";
  try {
    return inferTaskDefinitionIdForm(await context.ports.config.sampleResourceIds(TASK_DEFINITION_TYPE));
  } catch (error) {
    unreadParts.push(`the AWS::ECS::TaskDefinition ids AWS Config records: ${errorText(error)}`);
    return "family";
  }
}

/** What a change's reads give the core: the account's view and facts as the verdicts take them. */
function verdictInputs(
  context: TriggerContext,
  view: InUseView,
  facts: ReadonlyMap<string, RevisionFacts>,
): VerdictInputs {
  const { ports, exceptions, now } = context;
  return { accountId: ports.accountId, view, facts, exceptions, now };
}

interface ChangeReads {
  readonly state?: VerdictInputs;
  readonly service?: ServiceState;
}

/** A cluster: daemons are found only by an account-wide read, so it is judged as a sweep would judge it. */
async function readForCluster(context: TriggerContext, unreadParts: string[]): Promise<ChangeReads> {
  const { ports, shouldStop } = context;
  const view = await ports.inUse.readAccount({ shouldStop, includeDaemons: true });
  const described = await describeRevisions(
    ports,
    view.daemonRevisions.map((revision) => revision.arn),
    shouldStop,
  );
  unreadParts.push(...view.unreadParts, ...(view.daemonUnreadParts ?? []), ...described.unreadParts);
  return { state: verdictInputs(context, view, described.facts) };
}

/** A task definition, a service or a task set: the tasks of its families (a service's, once described). */
async function readForFamilies(
  context: TriggerContext,
  item: ChangedItem,
  target: Extract<ReadTarget, { kind: "taskDefinition" | "service" | "taskSet" }>,
  unreadParts: string[],
  manyMayFollow: boolean,
): Promise<ChangeReads> {
  const { ports, shouldStop } = context;
  const recorded = factsFromItem(item);
  if (recorded) ports.revisions.remember(recorded);
  let service: ServiceState | undefined;
  let families: string[] = [];
  if (target.kind === "taskDefinition") families = [target.family];
  else {
    const described = await describeService(context, item, target);
    service = described.service;
    unreadParts.push(...described.unreadParts);
    families = service ? familiesOfService(service) : [];
  }
  // A service that names no task definition (an EXTERNAL one without task sets) runs none.
  const view =
    families.length > 0
      ? await ports.inUse.readFamilies(families, { shouldStop, manyMayFollow })
      : NOTHING_READ;
  const inFamilies = view.revisions.filter((revision) => families.includes(revision.family));
  const described = await describeRevisions(
    ports,
    [...inFamilies.map((revision) => revision.arn), ...wantedReferences(service ? [service] : [])],
    shouldStop,
  );
  unreadParts.push(...view.unreadParts, ...described.unreadParts);
  return { state: verdictInputs(context, view, described.facts), ...(service ? { service } : {}) };
}

/**
 * A change notification: read what the changed resource needs (its family's tasks; for a service, the
 * service and its families' tasks), judge as a sweep would, and keep only what differs from Config.
 */
export async function evaluateChange(
  context: TriggerContext,
  item: ChangedItem,
  target: ReadTarget,
  { manyMayFollow }: { readonly manyMayFollow: boolean },
): Promise<TriggerOutcome> {
  const { ports } = context;
  const unreadParts: string[] = [];
  const { state, service }: ChangeReads =
    target.kind === "cluster"
      ? await readForCluster(context, unreadParts)
      : target.kind === "taskDefinition" || target.kind === "service" || target.kind === "taskSet"
        ? await readForFamilies(context, item, target, unreadParts, manyMayFollow)
        : {};
  const idForm = await idFormFor(context, target, unreadParts);
  const input = { item, target, idForm, ...(state ? { state } : {}), ...(service ? { service } : {}) };
  let currentVerdicts: Awaited<ReturnType<AccountPorts["config"]["verdictsFor"]>> | undefined;
  try {
    currentVerdicts = await ports.config.verdictsFor(context.configRuleName, changeResourceKeys(input));
  } catch (error) {
    // Every certain verdict is written anyway; the failure is reported so the alarm fires.
    unreadParts.push(`AWS Config's current verdicts: ${errorText(error)}`);
  }
  return {
    plan: planChange({ ...input, currentVerdicts, orderingTimestamp: context.orderingTimestamp }),
    unreadParts: [...new Set(unreadParts)],
  };
}
