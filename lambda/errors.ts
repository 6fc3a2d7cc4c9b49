import type { InvocationReport } from "./rule/writeAndReport";

// Every error the project throws on purpose, in one place (as Powertools keeps each package's errors in
// one errors.ts). Each names what failed in its message and carries the error it wraps as `cause`, so a
// log line shows both. Each class spells out its `name`: the deployed bundle is minified, and a name taken
// from the class itself would read `e` in the logs.

/** The base of every error below: `instanceof EcsPidModeError` tells ours from the SDK's and Node's. */
export class EcsPidModeError extends Error {
  override readonly name: string = "EcsPidModeError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An event (Config's, or the remediation runbook's), or an item fetched for it, is malformed: the message names every bad field. */
export class InvalidEventError extends EcsPidModeError {
  override readonly name: string = "InvalidEventError";
}

/** A setting of the function (an environment variable), of a command or of a collaborator is out of range. */
export class InvalidSettingError extends EcsPidModeError {
  override readonly name: string = "InvalidSettingError";
}

/** A `--production` rule is not `tag:KEY=REGEX` or `cluster:REGEX`, or its expression does not compile. */
export class ProductionRuleError extends InvalidSettingError {
  override readonly name: string = "ProductionRuleError";
}

/** The exceptions document is not a JSON array of entries. */
export class InvalidExceptionsError extends EcsPidModeError {
  override readonly name: string = "InvalidExceptionsError";
}

/** The member account's execution role cannot be assumed, or gave no credentials. */
export class MemberRoleError extends EcsPidModeError {
  override readonly name: string = "MemberRoleError";
}

/** The exceptions parameter cannot be read or is not JSON: guessing either way would be wrong. */
export class ExceptionsSourceError extends EcsPidModeError {
  override readonly name: string = "ExceptionsSourceError";
}

/** AWS Config answered a read with something the rule cannot use (no history for an item). */
export class ConfigReadError extends EcsPidModeError {
  override readonly name: string = "ConfigReadError";
}

/** An ECS answer lacked what the caller needs (a description without a revision ARN). */
export class EcsAnswerError extends EcsPidModeError {
  override readonly name: string = "EcsAnswerError";
}

/** Reading stopped because the invocation reached the time it keeps to report. */
export class TimeLimitError extends EcsPidModeError {
  override readonly name: string = "TimeLimitError";
}

/** PutEvaluations accepted the call but rejected some evaluations. */
export class EvaluationsRejectedError extends EcsPidModeError {
  override readonly name: string = "EvaluationsRejectedError";

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
export class IncompleteEvaluationError extends EcsPidModeError {
  override readonly name: string = "IncompleteEvaluationError";

  constructor(readonly report: InvocationReport) {
    const parts = [...report.unreadParts, ...report.withheld.map((key) => `verdict withheld for ${key}`)];
    super(
      `could not read the whole account (${report.unreadParts.length} unread part(s), ${report.withheld.length} verdict(s) withheld, ${report.evaluationsWritten} certain evaluation(s) written): ${parts.slice(0, 10).join("; ")}`,
    );
  }
}

/** AccessDenied, turned into the one permission a person must add, named. */
export class MissingPermissionError extends EcsPidModeError {
  override readonly name: string = "MissingPermissionError";

  constructor(
    readonly permission: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`missing permission ${permission}: ${detail}`, options);
  }
}

/** A revision cannot be replaced as it stands (no family, a name or tag list past ECS's limits). */
export class ReplacementError extends EcsPidModeError {
  override readonly name: string = "ReplacementError";
}

/** A remediation stopped: a deployment failed, rolled back or did not finish in time. */
export class RemediationStoppedError extends EcsPidModeError {
  override readonly name: string = "RemediationStoppedError";
}

/** A journal read back from disk is not one this tool wrote. */
export class InvalidJournalError extends EcsPidModeError {
  override readonly name: string = "InvalidJournalError";
}
