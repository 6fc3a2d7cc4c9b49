import type { AccountState } from "../core/evaluate";
import type { ExceptionList } from "../core/exceptions";
import { type Evaluation, type InUseView, type Judgement, verdictKey } from "../core/types";
import type { ChangedItem, RuleInvocation } from "../event";
import type { AccountPorts } from "./ports";

export const DELETED_STATUSES = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

export interface ChangeContext {
  readonly invocation: RuleInvocation;
  readonly ports: AccountPorts;
  readonly exceptions: ExceptionList;
  readonly now: Date;
  readonly shouldStop: () => boolean;
}

/** What a change notification leads to: certain evaluations, withheld verdicts, unread parts. */
export interface ChangeOutcome {
  readonly evaluations: Evaluation[];
  readonly withheld: string[];
  readonly unreadParts: string[];
}

export function notApplicable(item: ChangedItem, annotation: string): ChangeOutcome {
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

/** Describes the revisions a change needs (ARNs only) and assembles the account state to judge. */
export async function accountState(
  context: ChangeContext,
  view: InUseView,
  arns: Iterable<string>,
): Promise<{ state: AccountState; unreadParts: string[] }> {
  const describable = [...new Set(arns)].filter((arn) => arn.startsWith("arn:"));
  const described = await context.ports.revisions.describeAll(describable, context.shouldStop);
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

/** Keeps a certain verdict for writing; an uncertain one is withheld. */
export function collect(
  outcome: ChangeOutcome,
  resource: { resourceType: string; resourceId: string },
  judgement: Judgement,
  orderingTimestamp: Date,
): void {
  if (!judgement.certain) {
    outcome.withheld.push(verdictKey(resource.resourceType, resource.resourceId));
    return;
  }
  outcome.evaluations.push({
    resourceType: resource.resourceType,
    resourceId: resource.resourceId,
    complianceType: judgement.complianceType,
    annotation: judgement.annotation,
    orderingTimestamp,
  });
}
