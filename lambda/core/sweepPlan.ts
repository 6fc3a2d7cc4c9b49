import { type AccountState, judgeService, judgeTaskDefinition } from "./evaluate";
import {
  parseServiceArn,
  revisionsOfService,
  type TaskDefinitionIdForm,
  taskDefinitionResourceId,
} from "./targets";
import {
  type Evaluation,
  type Judgement,
  SERVICE_TYPE,
  TASK_DEFINITION_TYPE,
  type Verdict,
  verdictKey,
} from "./types";

export interface CurrentVerdict extends Verdict {
  readonly resourceType: string;
  readonly resourceId: string;
}

export interface SweepInput {
  readonly state: AccountState;
  readonly recordedTaskDefinitionIds: readonly string[];
  /** What Config holds for this rule now, by `verdictKey`. */
  readonly currentVerdicts: ReadonlyMap<string, CurrentVerdict>;
  readonly idForm: TaskDefinitionIdForm;
  readonly orderingTimestamp: Date;
}

export interface SweepPlan {
  /** New or changed verdicts that are certain: the only ones worth paying Config for. */
  readonly toWrite: readonly Evaluation[];
  readonly unchanged: number;
  /** Resources whose verdict the unread part of the account could change: left as Config has them. */
  readonly withheld: readonly string[];
  /** Resource ids that name no task definition: nothing can be said about them. */
  readonly unrecognised: readonly string[];
}

/**
 * The periodic sweep's decision: every recorded task definition, every in-use family Config does not
 * record, every task definition and service this rule has judged before. Services are re-judged only
 * when the sweep saw their RUNNING tasks; one with none keeps its verdict until its next change
 * notification, because a sweep cannot tell whether it still wants tasks.
 */
export function planSweep(input: SweepInput): SweepPlan {
  const { state, currentVerdicts } = input;
  const taskDefinitionIds = new Set<string>(input.recordedTaskDefinitionIds);
  for (const revision of state.view.revisions)
    taskDefinitionIds.add(taskDefinitionResourceId(revision, input.idForm));
  const serviceIds: string[] = [];
  for (const verdict of currentVerdicts.values()) {
    if (verdict.resourceType === TASK_DEFINITION_TYPE) taskDefinitionIds.add(verdict.resourceId);
    if (verdict.resourceType === SERVICE_TYPE) serviceIds.push(verdict.resourceId);
  }

  const judged: { resourceType: string; resourceId: string; judgement: Judgement }[] = [];
  const unrecognised: string[] = [];
  for (const resourceId of [...taskDefinitionIds].sort()) {
    const judgement = judgeTaskDefinition(resourceId, state);
    if (judgement === undefined) unrecognised.push(resourceId);
    else judged.push({ resourceType: TASK_DEFINITION_TYPE, resourceId, judgement });
  }
  for (const resourceId of serviceIds.sort()) {
    const service = parseServiceArn(resourceId);
    if (service?.cluster === undefined) continue;
    const name = { cluster: service.cluster, name: service.name };
    if (revisionsOfService(state.view, name).length === 0) continue;
    const judgement = judgeService(name, state);
    judged.push({ resourceType: SERVICE_TYPE, resourceId, judgement });
  }

  const toWrite: Evaluation[] = [];
  const withheld: string[] = [];
  let unchanged = 0;
  for (const { resourceType, resourceId, judgement } of judged) {
    if (!judgement.certain) {
      withheld.push(verdictKey(resourceType, resourceId));
      continue;
    }
    const current = currentVerdicts.get(verdictKey(resourceType, resourceId));
    if (current?.complianceType === judgement.complianceType && current.annotation === judgement.annotation) {
      unchanged++;
      continue;
    }
    toWrite.push({
      resourceType,
      resourceId,
      complianceType: judgement.complianceType,
      annotation: judgement.annotation,
      orderingTimestamp: input.orderingTimestamp,
    });
  }
  return { toWrite, unchanged, withheld, unrecognised };
}
