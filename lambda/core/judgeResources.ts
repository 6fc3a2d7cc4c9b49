import type { ApprovedException } from "./approvedExceptions";
import { type InUseRevision, type InUseView, type RevisionFacts, viewCovers } from "./inUseView";
import { judge, type UsedRevision } from "./judgeRevisions";
import { revisionsForResource, revisionsOfService } from "./resourceIds";
import { familiesOfService, type ServiceState, type TaskSetState } from "./services";
import { parseTaskDefinitionRef } from "./taskDefinitionRef";
import type { Judgement } from "./verdicts";

/** Everything the verdicts of one account are drawn from, as read for one invocation: what runs, what each revision says, the exceptions and the time. */
export interface VerdictInputs {
  readonly accountId: string;
  readonly view: InUseView;
  /**
   * Descriptions by revision ARN (and by the reference a service names, when that is not an ARN); an
   * in-use revision missing here could not be described.
   */
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
}

function withFacts(revisions: readonly InUseRevision[], state: VerdictInputs): UsedRevision[] {
  return revisions.map((revision) => ({ revision, facts: state.facts.get(revision.arn) }));
}

function completeFor(state: VerdictInputs, families: Iterable<string>): boolean {
  if (state.view.unreadParts.length > 0) return false;
  for (const family of families) if (!viewCovers(state.view, family)) return false;
  return true;
}

/** Verdict for an AWS::ECS::TaskDefinition resource; `undefined` when its id names no task definition. */
export function judgeTaskDefinition(resourceId: string, state: VerdictInputs): Judgement | undefined {
  const revisions = revisionsForResource(resourceId, state.view.revisions);
  const family = parseTaskDefinitionRef(resourceId)?.family;
  if (revisions === undefined || family === undefined) return undefined;
  return judge({
    subject: "taskDefinition",
    usedRevisions: withFacts(revisions, state),
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: completeFor(state, [family]),
  });
}

/** The revision a service wants to run, placed on the service; keyed by its reference until described. */
function wantedRevision(
  service: ServiceState,
  reference: string,
  facts: RevisionFacts | undefined,
): UsedRevision {
  const named = parseTaskDefinitionRef(reference);
  return {
    revision: {
      arn: facts?.arn ?? reference,
      family: facts?.family ?? named?.family ?? reference,
      revision: facts?.revision ?? named?.revision ?? 0,
      placements: [{ cluster: service.cluster, service: service.name }],
    },
    facts,
  };
}

/**
 * Verdict for an AWS::ECS::Service: the revisions its RUNNING tasks use, plus the one it is rolling out
 * while it wants tasks. A deleted service is NOT_APPLICABLE for sure.
 */
export function judgeService(service: ServiceState, state: VerdictInputs): Judgement {
  if (!service.exists) {
    return { complianceType: "NOT_APPLICABLE", annotation: "The service was deleted.", certain: true };
  }
  const running = revisionsOfService(state.view, service);
  const used = withFacts(running, state);
  if (service.wanted !== undefined) {
    const facts = state.facts.get(service.wanted);
    const wanted = wantedRevision(service, service.wanted, facts);
    if (!used.some((known) => known.revision.arn === wanted.revision.arn)) used.push(wanted);
  }
  const families = new Set([...familiesOfService(service), ...running.map((revision) => revision.family)]);
  return judge({
    subject: "service",
    usedRevisions: used,
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: completeFor(state, families),
  });
}

/**
 * Verdict for an AWS::ECS::TaskSet, from its service's description alone: its task definition while it runs
 * or wants tasks (every task of a task set runs its one task definition). NOT_APPLICABLE for sure when its
 * service no longer lists it (deleted) or it is scaled to zero with nothing running.
 */
export function judgeTaskSet(
  service: ServiceState,
  taskSet: TaskSetState | undefined,
  state: VerdictInputs,
): Judgement {
  if (!service.exists || taskSet === undefined)
    return { complianceType: "NOT_APPLICABLE", annotation: "The task set was deleted.", certain: true };
  const used =
    (taskSet.wantsTasks || taskSet.runsTasks) && taskSet.taskDefinition !== undefined
      ? [wantedRevision(service, taskSet.taskDefinition, state.facts.get(taskSet.taskDefinition))]
      : [];
  return judge({
    subject: "taskSet",
    usedRevisions: used,
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: true,
  });
}

/** Verdict for an AWS::ECS::Cluster on the daemon task definitions its RUNNING daemon tasks use. */
export function judgeCluster(cluster: string, state: VerdictInputs): Judgement {
  const revisions = state.view.daemonRevisions.flatMap((revision) => {
    const placements = revision.placements.filter((placement) => placement.cluster === cluster);
    return placements.length > 0 ? [{ ...revision, placements }] : [];
  });
  return judge({
    subject: "cluster",
    usedRevisions: withFacts(revisions, state),
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete:
      state.view.scope.kind === "account" &&
      state.view.unreadParts.length === 0 &&
      (state.view.daemonUnreadParts ?? []).length === 0,
  });
}
