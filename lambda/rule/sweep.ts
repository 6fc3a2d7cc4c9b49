import { errorText } from "../adapters/retry";
import type { ExceptionList } from "../core/exceptions";
import { planSweep } from "../core/sweepPlan";
import { inferTaskDefinitionIdForm } from "../core/targets";
import { TASK_DEFINITION_TYPE } from "../core/types";
import type { RuleInvocation } from "../event";
import { IncompleteEvaluationError, type InvocationReport } from "./outcome";
import type { AccountPorts } from "./ports";

/**
 * The periodic sweep: read the account afresh (ECS and Config in parallel), judge everything, write
 * only certain verdicts that differ from what Config holds, then fail loudly if anything was unread.
 */
export async function sweepAccount(
  invocation: RuleInvocation,
  notificationTime: Date,
  ports: AccountPorts,
  exceptions: ExceptionList,
  now: Date,
  shouldStop: () => boolean,
  reportBase: Pick<InvocationReport, "expiringSoon" | "invalidExceptions">,
): Promise<InvocationReport> {
  const configReads = Promise.all([
    ports.config.recordedResourceIds(TASK_DEFINITION_TYPE),
    ports.config.currentVerdicts(invocation.configRuleName),
  ]).catch((error: unknown) => {
    throw new Error(
      `cannot read what AWS Config records and holds for rule ${invocation.configRuleName}: ${errorText(error)}`,
      {
        cause: error,
      },
    );
  });
  // If the ECS read fails outright, the Config reads must not become an unhandled rejection.
  configReads.catch(() => undefined);
  const view = await ports.inUse.read({
    fresh: true,
    shouldStop,
    onRevision: (arn) => ports.revisions.prefetch(arn, shouldStop),
  });
  const described = await ports.revisions.describeAll(
    view.revisions.map((revision) => revision.arn),
    shouldStop,
  );
  const [recordedTaskDefinitionIds, currentVerdicts] = await configReads;

  const plan = planSweep({
    state: { accountId: ports.accountId, view, facts: described.facts, exceptions: exceptions.approved, now },
    recordedTaskDefinitionIds,
    currentVerdicts,
    idForm: inferTaskDefinitionIdForm(recordedTaskDefinitionIds),
    orderingTimestamp: notificationTime,
  });
  await ports.config.putEvaluations(plan.toWrite, invocation.resultToken);

  const report: InvocationReport = {
    ...reportBase,
    trigger: "scheduled",
    evaluationsWritten: plan.toWrite.length,
    unchanged: plan.unchanged,
    withheld: plan.withheld,
    unreadParts: [
      ...view.unreadParts,
      ...[...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`),
      ...plan.unrecognised.map(
        (id) => `task definition resource id ${id}: not a family, family:revision or ARN`,
      ),
    ],
  };
  if (report.unreadParts.length > 0 || report.withheld.length > 0)
    throw new IncompleteEvaluationError(report);
  return report;
}
