import type { ApprovedException, InvalidException } from "../core/exceptions";

/** What one invocation did, for logs and metrics. */
export interface InvocationReport {
  readonly trigger: "change" | "oversized" | "scheduled";
  readonly evaluationsWritten: number;
  readonly unchanged: number;
  /** Verdicts not written because an unread part of the account could change them. */
  readonly withheld: readonly string[];
  /** What could not be read: clusters, task batches, revisions, the time limit. */
  readonly unreadParts: readonly string[];
  readonly expiringSoon: readonly ApprovedException[];
  readonly invalidExceptions: readonly InvalidException[];
}

/**
 * Thrown after the certain verdicts were written when part of the account could not be read, so that
 * Lambda retries the event and the errors alarm fires. Carries the report of what was done.
 */
export class IncompleteEvaluationError extends Error {
  override name = "IncompleteEvaluationError";

  constructor(readonly report: InvocationReport) {
    const parts = [...report.unreadParts, ...report.withheld.map((key) => `verdict withheld for ${key}`)];
    super(
      `could not read the whole account (${report.unreadParts.length} unread part(s), ${report.withheld.length} verdict(s) withheld, ${report.evaluationsWritten} certain evaluation(s) written): ${parts.slice(0, 10).join("; ")}`,
    );
  }
}
