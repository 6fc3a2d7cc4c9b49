import { InvalidExceptionsError } from "../errors";
import { FieldProblems, isObject, requiredString } from "./fields";
import { ACCOUNT_ID_PATTERN } from "./identifiers";
import { parseTaskDefinitionRef, refCovers, type TaskDefinitionRef } from "./taskDefinitionRef";

/**
 * Approved exceptions: owned, justified and time-boxed. The same format is checked at synth (infra),
 * in the rule, and by the CDK Aspect, so it lives here once.
 */

const DAY_MS = 86_400_000;

/** The longest an exception may run, in days from the day it is checked (synth, the scanner, the Aspect). */
export const DEFAULT_MAX_EXCEPTION_DAYS = 365;

/** Exceptions that lapse within this many days are warned about everywhere: their owners must renew or fix. */
export const EXPIRY_WARNING_DAYS = 14;

/** `YYYY-MM-DD` that names a real calendar day (`2026-02-30` does not). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface ExceptionEntry {
  readonly taskDefinition: string;
  readonly owner: string;
  readonly expires: string;
  readonly reason: string;
  readonly accountIds?: readonly string[];
}

/** One entry checked field by field: the entry, or the problems that make it exempt nothing. */
function readEntry(raw: unknown): { entry?: ExceptionEntry; problems: readonly string[] } {
  const problems = new FieldProblems();
  if (!isObject(raw)) return { problems: ["entry: must be an object"] };
  const taskDefinition = requiredString(raw, "taskDefinition", "", problems);
  if (taskDefinition !== undefined && parseTaskDefinitionRef(taskDefinition) === undefined) {
    problems.add("taskDefinition", "must be a family, family:revision or revision ARN");
  }
  const owner = requiredString(raw, "owner", "", problems, { trim: true });
  const expires = requiredString(raw, "expires", "", problems);
  if (expires !== undefined && !isCalendarDate(expires)) {
    problems.add("expires", "must be a real calendar date written YYYY-MM-DD");
  }
  const reason = requiredString(raw, "reason", "", problems, { trim: true });
  const accountIds = raw.accountIds;
  if (accountIds !== undefined) {
    if (!Array.isArray(accountIds)) problems.add("accountIds", "must be a list of 12-digit account ids");
    else {
      accountIds.forEach((id, index) => {
        if (typeof id !== "string" || !ACCOUNT_ID_PATTERN.test(id))
          problems.add(`accountIds.${index}`, "must be a 12-digit account id");
      });
    }
  }
  if (problems.problems.length > 0 || !taskDefinition || !owner || !expires || !reason) {
    return { problems: problems.problems };
  }
  const entry: ExceptionEntry = { taskDefinition, owner, expires, reason };
  return {
    entry: accountIds === undefined ? entry : { ...entry, accountIds: accountIds as string[] },
    problems: [],
  };
}

export interface ApprovedException extends ExceptionEntry {
  readonly target: TaskDefinitionRef;
  /** The first instant at which the exception no longer applies: the day after `expires`, 00:00 UTC. */
  readonly endsAt: Date;
}

export interface InvalidException {
  readonly index: number;
  readonly problems: readonly string[];
}

export interface ExceptionList {
  readonly approved: readonly ApprovedException[];
  readonly invalid: readonly InvalidException[];
}

export const NO_EXCEPTIONS: ExceptionList = { approved: [], invalid: [] };

/** Splits a decoded JSON document into usable entries and invalid ones (which exempt nothing). */
export function parseExceptionList(document: unknown): ExceptionList {
  if (!Array.isArray(document)) {
    throw new InvalidExceptionsError(
      "exceptions must be a JSON array of {taskDefinition, owner, expires, reason, accountIds?}",
    );
  }
  const approved: ApprovedException[] = [];
  const invalid: InvalidException[] = [];
  document.forEach((entry, index) => {
    const { entry: parsed, problems } = readEntry(entry);
    if (parsed === undefined) {
      invalid.push({ index, problems });
      return;
    }
    const [year, month, day] = parsed.expires.split("-").map(Number) as [number, number, number];
    approved.push({
      ...parsed,
      target: parseTaskDefinitionRef(parsed.taskDefinition) as TaskDefinitionRef,
      endsAt: new Date(Date.UTC(year, month - 1, day + 1)),
    });
  });
  return { approved, invalid };
}

export function isExpired(exception: ApprovedException, now: Date): boolean {
  return now.getTime() >= exception.endsAt.getTime();
}

export type ExceptionMatch =
  | { readonly status: "valid"; readonly exception: ApprovedException }
  | { readonly status: "expired"; readonly exception: ApprovedException };

/**
 * The exception that decides a revision's fate in an account: an unexpired one if any (the one lasting
 * longest), otherwise the most recently expired one, so the annotation can say it lapsed.
 */
export function matchException(
  exceptions: readonly ApprovedException[],
  revision: { family: string; revision: number; arn?: string },
  accountId: string,
  now: Date,
): ExceptionMatch | undefined {
  const applicable = exceptions
    .filter((exception) => refCovers(exception.target, revision))
    // A revision ARN names one account and Region too: it must be that very revision.
    .filter(
      (exception) =>
        !exception.taskDefinition.startsWith("arn:") || exception.taskDefinition === revision.arn,
    )
    .filter((exception) => exception.accountIds === undefined || exception.accountIds.includes(accountId))
    .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime());
  const latest = applicable[0];
  if (latest === undefined) return undefined;
  return isExpired(latest, now)
    ? { status: "expired", exception: latest }
    : { status: "valid", exception: latest };
}

/** Unexpired exceptions that lapse within `withinDays`: their owners have to renew or fix. */
export function expiringSoon(
  exceptions: readonly ApprovedException[],
  now: Date,
  withinDays = EXPIRY_WARNING_DAYS,
): ApprovedException[] {
  return exceptions.filter(
    (exception) =>
      !isExpired(exception, now) && exception.endsAt.getTime() - now.getTime() <= withinDays * DAY_MS,
  );
}

/** Whole days from `now` to the exception's end, counting today: 1 on its last day, 0 or less once lapsed. */
export function daysLeft(exception: ApprovedException, now: Date): number {
  return Math.ceil((exception.endsAt.getTime() - now.getTime()) / DAY_MS);
}

/** The problem of an `expires` date further away than `maxDays` from the day of `now`, if it is. */
export function maxDurationProblem(
  exception: ApprovedException,
  now: Date,
  maxDays: number,
): string | undefined {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (exception.endsAt.getTime() - DAY_MS <= today + maxDays * DAY_MS) return undefined;
  return `expires ${exception.expires}, more than maxExceptionDays (${maxDays}) days from today`;
}

export interface ExceptionReview {
  /** Usable entries within the maximum duration, with their index in the document. */
  readonly approved: readonly (ApprovedException & { readonly index: number })[];
  /** Entries that exempt nothing: a bad field, or an expiry date beyond the maximum duration. */
  readonly invalid: readonly InvalidException[];
  /** Approved entries already past their last day: they exempt nothing and should be removed. */
  readonly expired: readonly (ApprovedException & { readonly index: number })[];
  /** Approved entries lapsing within `EXPIRY_WARNING_DAYS`. */
  readonly expiringSoon: readonly (ApprovedException & { readonly index: number })[];
}

/**
 * The one check of an exceptions list that synth, the Aspect, the scanner and the `exceptions` command share:
 * the format, the maximum duration, and which entries have lapsed or lapse soon.
 */
export function reviewExceptions(
  document: unknown,
  options: { readonly now: Date; readonly maxDurationDays: number },
): ExceptionReview {
  const parsed = parseExceptionList(document);
  const entries = document as unknown[];
  const invalid: InvalidException[] = [...parsed.invalid];
  const approved: (ApprovedException & { readonly index: number })[] = [];
  let next = 0;
  entries.forEach((_, index) => {
    if (parsed.invalid.some((entry) => entry.index === index)) return;
    const exception = parsed.approved[next++] as ApprovedException;
    const tooFar = maxDurationProblem(exception, options.now, options.maxDurationDays);
    if (tooFar === undefined) approved.push({ ...exception, index });
    else invalid.push({ index, problems: [tooFar] });
  });
  invalid.sort((a, b) => a.index - b.index);
  const soon = new Set(expiringSoon(approved, options.now));
  return {
    approved,
    invalid,
    expired: approved.filter((exception) => isExpired(exception, options.now)),
    expiringSoon: approved.filter((exception) => soon.has(exception)),
  };
}

/** How every check names an entry of the list: its index, and its target when it has one. */
export function exceptionLabel(index: number, entry: unknown): string {
  const target =
    typeof entry === "object" && entry !== null && "taskDefinition" in entry
      ? ` (${JSON.stringify((entry as { taskDefinition: unknown }).taskDefinition)})`
      : "";
  return `exceptions[${index}]${target}`;
}

/** The warning every check gives for an entry past its last day. */
export function expiredWarning(exception: ApprovedException & { readonly index: number }): string {
  return `${exceptionLabel(exception.index, exception)}: expired after ${exception.expires} (owner ${exception.owner}) and exempts nothing; renew it or remove it`;
}

/** The warning every check gives for an entry lapsing within `EXPIRY_WARNING_DAYS`. */
export function expiringSoonWarning(
  exception: ApprovedException & { readonly index: number },
  now: Date,
): string {
  const days = daysLeft(exception, now);
  return `${exceptionLabel(exception.index, exception)}: ends after ${exception.expires}, ${days === 1 ? "today is its last day" : `in ${days} days`} (owner ${exception.owner}); renew it or fix the task definition before then`;
}

/** Every problem and warning of a review, one line each, in list order. */
export function reviewWarnings(review: ExceptionReview, document: readonly unknown[], now: Date): string[] {
  const lines: { index: number; text: string }[] = [
    ...review.invalid.map(({ index, problems }) => ({
      index,
      text: `${exceptionLabel(index, document[index])} is invalid and exempts nothing: ${problems.join("; ")}`,
    })),
    ...review.expired.map((exception) => ({ index: exception.index, text: expiredWarning(exception) })),
    ...review.expiringSoon.map((exception) => ({
      index: exception.index,
      text: expiringSoonWarning(exception, now),
    })),
  ];
  return lines.sort((a, b) => a.index - b.index).map((line) => line.text);
}

/** `exceptions[1] ("web"): owner: must not be empty`, one line per invalid entry: what synth and the Aspect refuse. */
export function invalidEntryLines(review: ExceptionReview, document: readonly unknown[]): string[] {
  return review.invalid.map(
    ({ index, problems }) => `${exceptionLabel(index, document[index])}: ${problems.join("; ")}`,
  );
}
