import type { ApprovedException, InvalidException, UnverifiableProblem } from "../core/approvedExceptions";
import { IncompleteEvaluationError, UnverifiedExceptionsError } from "../errors";
import type { AccountPorts } from "./ports";
import type { TriggerOutcome } from "./trigger";

/** What one invocation did, for logs and metrics. */
export interface InvocationReport {
  readonly trigger: "change" | "oversized" | "scheduled";
  readonly evaluationsWritten: number;
  readonly unchanged: number;
  /** Verdicts not written because an unread part of the account could change them. */
  readonly withheld: readonly string[];
  /** What could not be read: clusters, task batches, revisions, services, Config, the time limit. */
  readonly unreadParts: readonly string[];
  /** Service ids Config holds verdicts for that name no cluster (old-format ARNs): they cannot be judged. */
  readonly unjudgedServiceIds: readonly string[];
  /** Task definition ARNs of RUNNING tasks that name no revision of either kind: reported, never unread. */
  readonly unrecognisedArns: readonly string[];
  readonly expiringSoon: readonly ApprovedException[];
  readonly invalidExceptions: readonly InvalidException[];
  /** Set when the exceptions list could not be verified: no exception was applied, and the invocation fails. */
  readonly unverifiableExceptions?: { readonly problem: UnverifiableProblem; readonly detail: string };
}

export type ReportBase = Pick<
  InvocationReport,
  "trigger" | "expiringSoon" | "invalidExceptions" | "unverifiableExceptions"
>;

/**
 * The one way every trigger ends: write what is certain and changed, and report. Whether the invocation
 * then fails is the caller's to decide, through `failureOf`.
 */
export async function finish(
  ports: AccountPorts,
  resultToken: string,
  outcome: TriggerOutcome,
  reportBase: ReportBase,
): Promise<InvocationReport> {
  await ports.config.putEvaluations(outcome.plan.toWrite, resultToken);
  const report: InvocationReport = {
    ...reportBase,
    evaluationsWritten: outcome.plan.toWrite.length,
    unchanged: outcome.plan.unchanged,
    withheld: outcome.plan.withheld,
    unreadParts: outcome.unreadParts,
    unjudgedServiceIds: outcome.unjudgedServiceIds ?? [],
    unrecognisedArns: outcome.unrecognisedArns ?? [],
  };
  return report;
}

/**
 * The error an invocation must end with after its report, or undefined when it may succeed: something unread
 * or withheld, or an exceptions list that could not be verified, must fail loudly so Lambda retries the event
 * and the errors alarm fires.
 */
export function failureOf(
  report: InvocationReport,
): IncompleteEvaluationError | UnverifiedExceptionsError | undefined {
  const found = report.unverifiableExceptions;
  if (report.unreadParts.length > 0 || report.withheld.length > 0) {
    const parts = [
      ...(found ? [`exceptions list ${found.problem}, none applied`] : []),
      ...report.unreadParts,
      ...report.withheld.map((key) => `verdict withheld for ${key}`),
    ];
    return new IncompleteEvaluationError(
      `could not read the whole account (${report.unreadParts.length} unread part(s), ${report.withheld.length} verdict(s) withheld, ${report.evaluationsWritten} certain evaluation(s) written): ${parts.slice(0, 10).join("; ")}`,
    );
  }
  if (found === undefined) return undefined;
  return new UnverifiedExceptionsError(
    `the exceptions list is ${found.problem} and was not applied (${report.evaluationsWritten} evaluation(s) written as if there were no exceptions): ${found.detail}`,
  );
}
