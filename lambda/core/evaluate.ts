import type { ApprovedException } from "./exceptions";
import { judge, type UsedRevision } from "./judge";
import { revisionsForResource, revisionsOfService, type ServiceName } from "./targets";
import { parseTaskDefinitionRef } from "./taskDefinitionRef";
import type { InUseRevision, InUseView, Judgement, RevisionFacts } from "./types";

/** Everything the verdicts of one account depend on, as read for one invocation. */
export interface AccountState {
  readonly accountId: string;
  readonly view: InUseView;
  /** Descriptions by revision ARN; an in-use revision missing here could not be described. */
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
}

function withFacts(revisions: readonly InUseRevision[], state: AccountState): UsedRevision[] {
  return revisions.map((revision) => ({ revision, facts: state.facts.get(revision.arn) }));
}

/** Verdict for an AWS::ECS::TaskDefinition resource; `undefined` when its id names no task definition. */
export function judgeTaskDefinition(resourceId: string, state: AccountState): Judgement | undefined {
  const revisions = revisionsForResource(resourceId, state.view.revisions);
  if (revisions === undefined) return undefined;
  return judge({
    subject: "taskDefinition",
    usedRevisions: withFacts(revisions, state),
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: state.view.unreadParts.length === 0,
  });
}

export interface ServiceState {
  readonly service: Required<ServiceName>;
  /**
   * The revision the service deploys while it wants tasks: facts when described, `undefined` when it
   * could not be described, `null` when the service wants no tasks or names no task definition.
   */
  readonly deploying: { readonly reference: string; readonly facts: RevisionFacts | undefined } | null;
}

function deployingRevision(deploying: NonNullable<ServiceState["deploying"]>): UsedRevision {
  const named = parseTaskDefinitionRef(deploying.reference);
  const revision = {
    arn: deploying.facts?.arn ?? deploying.reference,
    family: deploying.facts?.family ?? named?.family ?? deploying.reference,
    revision: deploying.facts?.revision ?? named?.revision ?? 0,
    placements: [],
  };
  return { revision, facts: deploying.facts };
}

/** Verdict for an AWS::ECS::Service: its RUNNING tasks' revisions plus the one it is deploying. */
export function judgeService(serviceState: ServiceState, state: AccountState): Judgement {
  const running = withFacts(revisionsOfService(state.view, serviceState.service), state);
  const deploying = serviceState.deploying;
  const used = deploying === null ? running : [...running, deployingRevision(deploying)];
  return judge({
    subject: "service",
    usedRevisions: used,
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: state.view.unreadParts.length === 0,
  });
}
