import type { InvocationReport } from "./rule/writeAndReport";

/**
 * Every error the rule throws on purpose. Each names what failed in its message and carries the error
 * it wraps as `cause`, so a log line shows both. `name` is the subclass's, for the logs and `instanceof`.
 */
export class EcsPidModeRuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The Config event, or an item fetched for it, is malformed: the message names every bad field. */
export class InvalidEventError extends EcsPidModeRuleError {}

/** A setting of the function (an environment variable) or of a collaborator is out of range. */
export class InvalidSettingError extends EcsPidModeRuleError {}

/** The member account's execution role cannot be assumed, or gave no credentials. */
export class MemberRoleError extends EcsPidModeRuleError {}

/** The exceptions parameter cannot be read or is not JSON: guessing either way would be wrong. */
export class ExceptionsSourceError extends EcsPidModeRuleError {}

/** AWS Config answered a read with something the rule cannot use (no history for an item). */
export class ConfigReadError extends EcsPidModeRuleError {}

/** An ECS answer lacked what the rule needs (a description without a revision ARN). */
export class EcsAnswerError extends EcsPidModeRuleError {}

/** Reading stopped because the invocation reached the time it keeps to report. */
export class TimeLimitError extends EcsPidModeRuleError {}

/** PutEvaluations accepted the call but rejected some evaluations. */
export class EvaluationsRejectedError extends EcsPidModeRuleError {
  constructor(readonly failed: readonly { resourceType: string; resourceId: string }[]) {
    super(
      `AWS Config rejected ${failed.length} evaluation(s): ${failed
        .slice(0, 5)
        .map((item) => `${item.resourceType} ${item.resourceId}`)
        .join(", ")}`,
    );
  }
}

/**
 * Thrown after the certain verdicts were written when part of the account could not be read, so that
 * Lambda retries the event and the errors alarm fires. Carries the report of what was done.
 */
export class IncompleteEvaluationError extends EcsPidModeRuleError {
  constructor(readonly report: InvocationReport) {
    const parts = [...report.unreadParts, ...report.withheld.map((key) => `verdict withheld for ${key}`)];
    super(
      `could not read the whole account (${report.unreadParts.length} unread part(s), ${report.withheld.length} verdict(s) withheld, ${report.evaluationsWritten} certain evaluation(s) written): ${parts.slice(0, 10).join("; ")}`,
    );
  }
}
