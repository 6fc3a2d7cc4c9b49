import { InvalidExceptionsError } from "../errors";
import { FieldProblems, isObject, type JsonObject, requiredString } from "./fields";
import { ACCOUNT_ID_PATTERN } from "./identifiers";
import {
  type DefinitionKind,
  parseRevisionArn,
  parseTaskDefinitionRef,
  refCovers,
  type TaskDefinitionRef,
} from "./taskDefinitionRef";

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

/**
 * One entry as written in the list. It names exactly one target: a task definition or a daemon task definition.
 * AWS keeps the two as separate resources with separate family namespaces (often owned by different teams), so
 * an entry for one never covers the other.
 */
export interface ExceptionEntry {
  readonly taskDefinition?: string;
  readonly daemonTaskDefinition?: string;
  readonly owner: string;
  readonly expires: string;
  readonly reason: string;
  /** The accounts it covers; absent: the account the list is deployed to (refused in organization mode). */
  readonly accountIds?: readonly string[];
  /** Written on purpose to cover every account of an organization; never implied by a missing `accountIds`. */
  readonly allAccounts?: true;
  /** Who approved it (a person or a group), for the trail. Required in organization mode. */
  readonly approvedBy?: string;
  /** The change or risk-acceptance ticket that records the approval. Required in organization mode. */
  readonly ticket?: string;
}

/** What the review demands beyond the format, the same at synth, in the rule and in the commands. */
export interface ReviewOptions {
  readonly now: Date;
  /** How many days from the day of `now` an `expires` date may be at most. */
  readonly maxDurationDays: number;
  /**
   * Organization mode: one list serves many accounts, so every entry must say which accounts it covers
   * (`accountIds` or `allAccounts: true`) and carry its approval trail (`approvedBy`, `ticket`).
   * @default false
   */
  readonly organization?: boolean;
}

/** The approval fields are shown in annotations (256 characters in all), so each is kept short. */
export const MAX_APPROVAL_FIELD_LENGTH = 64;

const TARGET_FIELDS = { task: "taskDefinition", daemon: "daemonTaskDefinition" } as const;

/** Reads the one target an entry names, refusing an ARN of the other kind in either field. */
function readTarget(
  raw: JsonObject,
  problems: FieldProblems,
): { kind: DefinitionKind; reference: string } | undefined {
  const named = (Object.entries(TARGET_FIELDS) as [DefinitionKind, string][]).filter(
    ([, key]) => raw[key] !== undefined,
  );
  if (named.length !== 1) {
    problems.add(
      named.length === 0 ? "taskDefinition" : "daemonTaskDefinition",
      named.length === 0
        ? "is required (or daemonTaskDefinition for a daemon task definition)"
        : "an entry names either a task definition or a daemon task definition, not both",
    );
    return undefined;
  }
  const [kind, key] = named[0] as [DefinitionKind, string];
  const reference = requiredString(raw, key, "", problems);
  if (reference === undefined) return undefined;
  const ref = parseTaskDefinitionRef(reference);
  if (ref === undefined) {
    problems.add(key, "must be a family, family:revision or revision ARN");
    return undefined;
  }
  if (ref.kind !== undefined && ref.kind !== kind) {
    problems.add(
      key,
      kind === "task"
        ? "is a daemon task definition ARN: name it in daemonTaskDefinition"
        : "is a task definition ARN: name it in taskDefinition",
    );
    return undefined;
  }
  return { kind, reference };
}

function readAccounts(raw: JsonObject, problems: FieldProblems, organization: boolean): void {
  const { accountIds, allAccounts } = raw;
  if (allAccounts !== undefined && allAccounts !== true)
    problems.add("allAccounts", "must be true when present (it is written on purpose)");
  if (accountIds !== undefined) {
    if (allAccounts !== undefined)
      problems.add("accountIds", "an entry has accountIds or allAccounts, not both");
    if (!Array.isArray(accountIds) || accountIds.length === 0)
      problems.add("accountIds", "must be a non-empty list of 12-digit account ids");
    else {
      accountIds.forEach((id, index) => {
        if (typeof id !== "string" || !ACCOUNT_ID_PATTERN.test(id))
          problems.add(`accountIds.${index}`, "must be a 12-digit account id");
      });
    }
  } else if (organization && allAccounts === undefined) {
    problems.add(
      "accountIds",
      "is required in organization mode: list the accounts, or write allAccounts: true to cover every account",
    );
  }
}

function readApproval(raw: JsonObject, problems: FieldProblems, organization: boolean): void {
  for (const key of ["approvedBy", "ticket"]) {
    const value = raw[key];
    if (value === undefined) {
      if (organization) problems.add(key, "is required in organization mode (the approval trail)");
      continue;
    }
    if (typeof value !== "string" || value.trim() === "") problems.add(key, "must be a non-empty string");
    else if (value.length > MAX_APPROVAL_FIELD_LENGTH)
      problems.add(key, `must be at most ${MAX_APPROVAL_FIELD_LENGTH} characters`);
  }
}

const KNOWN_FIELDS = new Set([
  ...Object.values(TARGET_FIELDS),
  "owner",
  "expires",
  "reason",
  "accountIds",
  "allAccounts",
  "approvedBy",
  "ticket",
]);

/** One entry checked field by field: the entry, or the problems that make it exempt nothing. */
function readEntry(
  raw: unknown,
  organization: boolean,
): { entry?: ExceptionEntry & { kind: DefinitionKind; reference: string }; problems: readonly string[] } {
  const problems = new FieldProblems();
  if (!isObject(raw)) return { problems: ["entry: must be an object"] };
  // A misspelt field (accountId, expiry) would silently widen or lengthen an exception: refuse it.
  for (const key of Object.keys(raw))
    if (!KNOWN_FIELDS.has(key)) problems.add(key, "is not a field of an exception");
  const target = readTarget(raw, problems);
  const owner = requiredString(raw, "owner", "", problems, { trim: true });
  const expires = requiredString(raw, "expires", "", problems);
  if (expires !== undefined && !isCalendarDate(expires)) {
    problems.add("expires", "must be a real calendar date written YYYY-MM-DD");
  }
  const reason = requiredString(raw, "reason", "", problems, { trim: true });
  readAccounts(raw, problems, organization);
  readApproval(raw, problems, organization);
  if (problems.problems.length > 0 || !target || !owner || !expires || !reason) {
    return { problems: problems.problems };
  }
  return { entry: { ...(raw as unknown as ExceptionEntry), ...target }, problems: [] };
}

export interface ApprovedException extends ExceptionEntry {
  /** Which namespace the entry names: task definitions or daemon task definitions. */
  readonly kind: DefinitionKind;
  /** The target as written (`taskDefinition` or `daemonTaskDefinition`). */
  readonly reference: string;
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

const LIST_SHAPE =
  "a JSON array of {taskDefinition | daemonTaskDefinition, owner, expires, reason, accountIds? | allAccounts?, approvedBy?, ticket?}";

/** Splits a decoded JSON document into usable entries and invalid ones (which exempt nothing). */
export function parseExceptionList(
  document: unknown,
  options: { organization?: boolean } = {},
): ExceptionList {
  if (!Array.isArray(document)) throw new InvalidExceptionsError(`exceptions must be ${LIST_SHAPE}`);
  const approved: ApprovedException[] = [];
  const invalid: InvalidException[] = [];
  document.forEach((entry, index) => {
    const { entry: parsed, problems } = readEntry(entry, options.organization ?? false);
    if (parsed === undefined) {
      invalid.push({ index, problems });
      return;
    }
    const [year, month, day] = parsed.expires.split("-").map(Number) as [number, number, number];
    approved.push({
      ...parsed,
      target: parseTaskDefinitionRef(parsed.reference) as TaskDefinitionRef,
      endsAt: new Date(Date.UTC(year, month - 1, day + 1)),
    });
  });
  return { approved, invalid };
}

export function isExpired(exception: ApprovedException, now: Date): boolean {
  return now.getTime() >= exception.endsAt.getTime();
}

/** `task definition web` or `daemon task definition node-exporter`: how every message names a target. */
export function exceptionTarget(exception: Pick<ApprovedException, "kind" | "reference">): string {
  return `${exception.kind === "daemon" ? "daemon task definition" : "task definition"} ${exception.reference}`;
}

export type ExceptionMatch =
  | { readonly status: "valid"; readonly exception: ApprovedException }
  | { readonly status: "expired"; readonly exception: ApprovedException };

/** What an exception is matched against: a revision in use (its ARN says its kind) or one being synthesized. */
export interface ExceptionSubject {
  readonly family: string;
  readonly revision: number;
  readonly arn?: string;
  /** Required when there is no ARN; when both are given they must agree, or nothing matches. */
  readonly kind?: DefinitionKind;
}

function subjectKind(subject: ExceptionSubject): DefinitionKind | undefined {
  const fromArn = subject.arn === undefined ? undefined : parseRevisionArn(subject.arn)?.kind;
  if (subject.arn !== undefined && fromArn === undefined) return undefined;
  if (fromArn !== undefined && subject.kind !== undefined && fromArn !== subject.kind) return undefined;
  return fromArn ?? subject.kind;
}

/**
 * The exception that decides a revision's fate in an account: an unexpired one if any (the one lasting
 * longest), otherwise the most recently expired one, so the annotation can say it lapsed. Only entries of the
 * revision's own kind can match; a revision whose kind cannot be told matches nothing (fail closed).
 */
export function matchException(
  exceptions: readonly ApprovedException[],
  subject: ExceptionSubject,
  accountId: string,
  now: Date,
): ExceptionMatch | undefined {
  const kind = subjectKind(subject);
  if (kind === undefined) return undefined;
  const applicable = exceptions
    .filter((exception) => exception.kind === kind)
    .filter((exception) =>
      refCovers(exception.target, { family: subject.family, revision: subject.revision }),
    )
    // A revision ARN names one account and Region too: it must be that very revision.
    .filter((exception) => !exception.reference.startsWith("arn:") || exception.reference === subject.arn)
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
export function reviewExceptions(document: unknown, options: ReviewOptions): ExceptionReview {
  const parsed = parseExceptionList(document, options);
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
  const named = isObject(entry)
    ? [
        ...(entry.taskDefinition === undefined ? [] : [JSON.stringify(entry.taskDefinition)]),
        ...(entry.daemonTaskDefinition === undefined
          ? []
          : [`daemon ${JSON.stringify(entry.daemonTaskDefinition)}`]),
      ]
    : [];
  return `exceptions[${index}]${named.length > 0 ? ` (${named.join(", ")})` : ""}`;
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
  return `${exceptionLabel(exception.index, exception)}: ends after ${exception.expires}, ${days === 1 ? "today is its last day" : `in ${days} days`} (owner ${exception.owner}); renew it or fix the ${exception.kind === "daemon" ? "daemon task definition" : "task definition"} before then`;
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

/** What the rule's exceptions source found: no list configured, the list's text, or why it cannot be trusted. */
export type ExceptionsDocument =
  | { readonly status: "none" }
  | { readonly status: "read"; readonly text: string }
  | { readonly status: "unverifiable"; readonly problem: UnverifiableProblem; readonly detail: string };

/**
 * `tampered`: the value differs from the one the pipeline deployed (its SHA-256 is not the deployed digest);
 * `unreadable`: it could not be read, or is not a JSON array.
 */
export type UnverifiableProblem = "tampered" | "unreadable";

/** The exceptions an invocation may apply, and why none apply when the list cannot be verified. */
export interface ExceptionsInForce {
  readonly review: ExceptionReview;
  readonly unverifiable?: { readonly problem: UnverifiableProblem; readonly detail: string };
}

const NOTHING_REVIEWED: ExceptionReview = { approved: [], invalid: [], expired: [], expiringSoon: [] };

/**
 * The run-time review: the same as synth's (format, maximum duration, organization mode). A list that cannot
 * be verified exempts nothing, and says why, so that the rule judges without it and then fails loudly; a bad
 * entry costs only that entry.
 */
export function exceptionsInForce(found: ExceptionsDocument, options: ReviewOptions): ExceptionsInForce {
  if (found.status === "none") return { review: NOTHING_REVIEWED };
  if (found.status === "unverifiable") {
    return { review: NOTHING_REVIEWED, unverifiable: { problem: found.problem, detail: found.detail } };
  }
  let document: unknown;
  try {
    document = JSON.parse(found.text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      review: NOTHING_REVIEWED,
      unverifiable: { problem: "unreadable", detail: `not JSON: ${detail}` },
    };
  }
  if (!Array.isArray(document)) {
    return { review: NOTHING_REVIEWED, unverifiable: { problem: "unreadable", detail: `not ${LIST_SHAPE}` } };
  }
  return { review: reviewExceptions(document, options) };
}
