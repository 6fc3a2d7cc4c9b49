// Every error the project throws on purpose, in one place (as Powertools keeps each package's errors in
// one errors.ts). Each names what failed in its message and carries the error it wraps as `cause`, so a
// log line shows both.

/** The base of every error below: `instanceof EcsPidModeError` tells ours from the SDK's and Node's. */
export class EcsPidModeError extends Error {}

/** An event (Config's, or the remediation runbook's), or an item fetched for it, is malformed: the message names every bad field. */
export class InvalidEventError extends EcsPidModeError {}

/** A setting of the function (an environment variable), of a command or of a collaborator is out of range. */
export class InvalidSettingError extends EcsPidModeError {}

/** A `--production` rule is not `tag:KEY=REGEX` or `cluster:REGEX`, or its expression does not compile. */
export class ProductionRuleError extends InvalidSettingError {}

/** The exceptions document is not a JSON array of entries. */
export class InvalidExceptionsError extends EcsPidModeError {}

/** The member account's execution role cannot be assumed, or gave no credentials. */
export class MemberRoleError extends EcsPidModeError {}

/** AWS Config answered a read with something the rule cannot use (no history for an item). */
export class ConfigReadError extends EcsPidModeError {}

/** An ECS answer lacked what the caller needs (a description without a revision ARN). */
export class EcsAnswerError extends EcsPidModeError {}

/** Reading stopped because the invocation reached the time it keeps to report. */
export class TimeLimitError extends EcsPidModeError {}

/** PutEvaluations accepted the call but rejected some evaluations. */
export class EvaluationsRejectedError extends EcsPidModeError {
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
 * The invocation wrote what was certain but part of the account could not be read or a verdict was withheld:
 * the handler throws it so that Lambda retries the event and the errors alarm fires.
 */
export class IncompleteEvaluationError extends EcsPidModeError {}

/**
 * The invocation wrote its verdicts without any exception, because the exceptions list was changed outside the
 * pipeline or could not be read: the handler throws it so that Lambda retries and the errors alarm fires.
 */
export class UnverifiedExceptionsError extends EcsPidModeError {}

/** AccessDenied, turned into the one permission a person must add, named. */
export class MissingPermissionError extends EcsPidModeError {
  constructor(
    readonly permission: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`missing permission ${permission}: ${detail}`, options);
  }
}

/** A revision cannot be replaced as it stands (no family, a name or tag list past ECS's limits). */
export class ReplacementError extends EcsPidModeError {}

/**
 * A revision offered as a replacement (by the journal) is not the one the tool would register: it names the
 * family, the ARN and what differs. Nothing is moved.
 */
export class RefusedReplacementError extends ReplacementError {}

/** A remediation stopped: a deployment failed, rolled back or did not finish in time. */
export class RemediationStoppedError extends EcsPidModeError {}

/** A journal read back from disk is not one this tool wrote. */
export class InvalidJournalError extends EcsPidModeError {}

/** The organization-sync function cannot keep the invoke policy true: the message says what and why. */
export class OrganizationSyncError extends EcsPidModeError {}

// The deployed bundle is minified, so a name read off the class itself would be `e` in the logs: each class
// is named after its key here instead (object keys survive minification).
for (const [name, errorClass] of Object.entries({
  EcsPidModeError,
  InvalidEventError,
  InvalidSettingError,
  ProductionRuleError,
  InvalidExceptionsError,
  MemberRoleError,
  ConfigReadError,
  EcsAnswerError,
  TimeLimitError,
  EvaluationsRejectedError,
  IncompleteEvaluationError,
  UnverifiedExceptionsError,
  MissingPermissionError,
  ReplacementError,
  RefusedReplacementError,
  RemediationStoppedError,
  InvalidJournalError,
  OrganizationSyncError,
})) {
  Object.defineProperty(errorClass.prototype, "name", { value: name, writable: true, configurable: true });
}
