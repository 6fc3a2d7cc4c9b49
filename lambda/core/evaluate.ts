import type { ApprovedException } from "./exceptions";
import { judge, type UsedRevision } from "./judge";
import { revisionsForResource, revisionsOfService, type ServiceName } from "./targets";
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

/**
 * Verdict for an AWS::ECS::Service: the revisions its RUNNING tasks use. A revision the service is
 * deploying belongs in the view too (with a placement for the service) while the service wants tasks.
 */
export function judgeService(service: Required<ServiceName>, state: AccountState): Judgement {
  return judge({
    subject: "service",
    usedRevisions: withFacts(revisionsOfService(state.view, service), state),
    exceptions: state.exceptions,
    accountId: state.accountId,
    now: state.now,
    viewComplete: state.view.unreadParts.length === 0,
  });
}
