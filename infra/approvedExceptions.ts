import { Annotations } from "aws-cdk-lib";
import { ParameterTier } from "aws-cdk-lib/aws-ssm";
import type { IConstruct } from "constructs";
import {
  type ExceptionEntry,
  type ExceptionReview,
  expiredWarning,
  expiringSoonWarning,
  invalidEntryLines,
  type ReviewOptions,
  reviewExceptions,
} from "../lambda/core/index";
import { InvalidExceptionsError } from "../lambda/errors";

/** SSM String parameter limits: Standard holds 4 KB, Advanced 8 KB. */
const STANDARD_TIER_BYTES = 4096;
const ADVANCED_TIER_BYTES = 8192;

export type { ExceptionEntry };
/** The error synth fails with on an exceptions list it cannot accept: the rule's own class for the same fault. */
export { InvalidExceptionsError };

/**
 * The synth-time gate for declared exceptions, with the rules the scanner and the Aspect apply
 * (`reviewExceptions`): the rule's format check (owner, reason, target, a real calendar date) and the maximum
 * duration fail synthesis with a message naming the entry. An entry already past, or lapsing within 14 days,
 * is a warning on `scope` (the rule reports the lapsed one as such; its owner should renew or remove it).
 */
export function checkExceptions(
  entries: unknown,
  options: ReviewOptions & { readonly scope?: IConstruct },
): ExceptionEntry[] {
  if (!Array.isArray(entries)) {
    throw new InvalidExceptionsError(
      "exceptions must be an array of {taskDefinition | daemonTaskDefinition, owner, expires, reason, accountIds? | allAccounts?, approvedBy?, ticket?}",
    );
  }
  const review = reviewExceptions(entries, options);
  if (review.invalid.length > 0) {
    throw new InvalidExceptionsError(invalidEntryLines(review, entries).join("\n"));
  }
  if (options.scope !== undefined) warnAboutLapsing(options.scope, review, options.now);
  return entries as ExceptionEntry[];
}

/** The synth warnings for lapsed and lapsing entries, the same texts the scanner prints. */
export function warnAboutLapsing(scope: IConstruct, review: ExceptionReview, now: Date): void {
  const annotations = Annotations.of(scope);
  for (const exception of review.expired)
    annotations.addWarningV2("ecs-pid-mode:ExceptionExpired", `${expiredWarning(exception)}.`);
  for (const exception of review.expiringSoon)
    annotations.addWarningV2("ecs-pid-mode:ExceptionExpiringSoon", `${expiringSoonWarning(exception, now)}.`);
}

/** The parameter tier a value needs; beyond Advanced's 8 KB it cannot be stored in one parameter. */
export function parameterTierFor(value: string): ParameterTier {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes <= STANDARD_TIER_BYTES) return ParameterTier.STANDARD;
  if (bytes <= ADVANCED_TIER_BYTES) return ParameterTier.ADVANCED;
  throw new InvalidExceptionsError(
    `exceptions: the JSON is ${bytes} bytes, more than the 8192 an SSM parameter holds; shorten reasons or merge entries`,
  );
}
