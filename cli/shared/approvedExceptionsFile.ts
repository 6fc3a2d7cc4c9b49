import {
  DEFAULT_MAX_EXCEPTION_DAYS,
  type ExceptionReview,
  type ReviewOptions,
  reviewExceptions,
  reviewWarnings,
} from "../../lambda/core/index";
import { errorText } from "../../lambda/index";
import { CommandFailure, EXIT, type ExitCode, UsageError } from "./command";

/** An exceptions file read and checked: the review, and the entries as written (for messages). */
export interface CheckedExceptions extends ExceptionReview {
  readonly entries: readonly unknown[];
}

function parseJson(text: string, problem: string, exitCode: ExitCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandFailure(`${problem}: ${errorText(error)}`, { exitCode, cause: error });
  }
}

/** A JSON array of exceptions (the rule's SSM parameter format), checked with the rules synth applies. */
export function reviewSource(source: ExceptionsSource, options: ReviewOptions): CheckedExceptions {
  return { ...reviewExceptions(source.entries, options), entries: source.entries };
}

export function exceptionWarnings(checked: CheckedExceptions, now: Date): string[] {
  return reviewWarnings(checked, checked.entries, now);
}

/** The file an app keeps its approved list in, and the one every command reads by default. */
export const APP_FILE = "cdk.json";

/**
 * Where the approved list lives: a CDK app's `cdk.json` (its `context.exceptions`, with the app's
 * `context.maxExceptionDays`; `context.organizationalUnitIds` makes it an organization rollout), or a file that
 * is the JSON array itself.
 */
export interface ExceptionsSource {
  readonly entries: readonly unknown[];
  /** `context.maxExceptionDays` of a cdk.json; undefined for a plain array. */
  readonly maxExceptionDays: number | undefined;
  /** Whether the list is a CDK app's (so its maximum and mode are the app's). */
  readonly isApp: boolean;
  /** An app that rolls out to an organization: entries need accounts and an approval trail. */
  readonly organization: boolean;
  /** The whole file again with `entries` in place of the list, everything else as it was. */
  withEntries(entries: readonly unknown[]): string;
}

/** `exitCode`: how a broken file fails the command (a file named on the command line is a bad value, 252). */
export function readExceptionsSource(
  text: string,
  path: string,
  exitCode: ExitCode = EXIT.usage,
): ExceptionsSource {
  const fail = (message: string) => new CommandFailure(message, { exitCode });
  const document = parseJson(text, `${path} is not JSON`, exitCode);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (Array.isArray(document)) {
    return {
      entries: document,
      maxExceptionDays: undefined,
      isApp: false,
      organization: false,
      withEntries: (entries) => json(entries),
    };
  }
  if (typeof document !== "object" || document === null) {
    throw fail(`${path} is neither a cdk.json nor a JSON array of exceptions`);
  }
  const app = document as { context?: Record<string, unknown> };
  if (app.context !== undefined && (typeof app.context !== "object" || app.context === null))
    throw fail(`${path}: context must be an object`);
  const list = app.context?.exceptions ?? [];
  if (!Array.isArray(list)) throw fail(`${path}: context.exceptions must be a JSON array`);
  const maxDays = app.context?.maxExceptionDays;
  if (maxDays !== undefined && (typeof maxDays !== "number" || !Number.isInteger(maxDays) || maxDays < 1))
    throw fail(`${path}: context.maxExceptionDays must be a whole number of at least 1`);
  return {
    entries: list,
    maxExceptionDays: maxDays,
    isApp: true,
    organization: app.context?.organizationalUnitIds !== undefined,
    withEntries: (entries) => json({ ...app, context: { ...app.context, exceptions: entries } }),
  };
}

/**
 * The maximum duration a list is reviewed with: the app's own when the list is an app's (a different
 * `--max-exception-days` is refused, since synth and the rule would apply the app's), else the option's.
 */
export function maximumFor(source: ExceptionsSource, path: string, asked: number | undefined): number {
  if (
    source.isApp &&
    asked !== undefined &&
    asked !== (source.maxExceptionDays ?? DEFAULT_MAX_EXCEPTION_DAYS)
  ) {
    throw new UsageError(
      `--max-exception-days ${asked} differs from the app's maximum (${path} context.maxExceptionDays: ${source.maxExceptionDays ?? `unset, so ${DEFAULT_MAX_EXCEPTION_DAYS}`}): synth and the rule apply the app's; change it there`,
    );
  }
  return source.maxExceptionDays ?? asked ?? DEFAULT_MAX_EXCEPTION_DAYS;
}

/** `cdk.json (the app's context.exceptions, organization mode), 3 entries, at most 365 days`: which list is used. */
export function describeList(source: ExceptionsSource, path: string, maxDays: number): string {
  const kind = source.isApp
    ? `the app's context.exceptions${source.organization ? ", organization mode" : ""}`
    : "a JSON array";
  return `${path} (${kind}), ${source.entries.length} ${source.entries.length === 1 ? "entry" : "entries"}, at most ${maxDays} days`;
}
