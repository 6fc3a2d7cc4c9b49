import { type ExceptionReview, errorText, reviewExceptions, reviewWarnings } from "../../lambda/index";
import { CommandFailure } from "../commandStart";

/** An exceptions file read and checked: the review, and the entries as written (for messages). */
export interface CheckedExceptions extends ExceptionReview {
  readonly entries: readonly unknown[];
}

function parseJson(text: string, problem: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandFailure(`${problem}: ${errorText(error)}`);
  }
}

/** A JSON array of exceptions (the rule's SSM parameter format), checked with the rules synth applies. */
export function readExceptionsDocument(
  text: string,
  path: string,
  options: { readonly now: Date; readonly maxDurationDays: number },
): CheckedExceptions {
  const problem = `the exceptions file ${path} is not a JSON array of exceptions`;
  const document = parseJson(text, problem);
  if (!Array.isArray(document)) {
    throw new CommandFailure(`${problem} {taskDefinition, owner, expires, reason, accountIds?}`);
  }
  return { ...reviewExceptions(document, options), entries: document };
}

export function exceptionWarnings(checked: CheckedExceptions, now: Date): string[] {
  return reviewWarnings(checked, checked.entries, now);
}

/**
 * Where the approved list lives: a CDK app's `cdk.json` (its `context.exceptions`, with the app's
 * `context.maxExceptionDays`), or a file that is the JSON array itself.
 */
export interface ExceptionsSource {
  readonly entries: readonly unknown[];
  /** `context.maxExceptionDays` of a cdk.json; undefined for a plain array. */
  readonly maxExceptionDays: number | undefined;
  /** The whole file again with `entries` in place of the list, everything else as it was. */
  withEntries(entries: readonly unknown[]): string;
}

export function readExceptionsSource(text: string, path: string): ExceptionsSource {
  const document = parseJson(text, `${path} is not JSON`);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (Array.isArray(document)) {
    return { entries: document, maxExceptionDays: undefined, withEntries: (entries) => json(entries) };
  }
  if (typeof document !== "object" || document === null) {
    throw new CommandFailure(`${path} is neither a cdk.json nor a JSON array of exceptions`);
  }
  const app = document as { context?: Record<string, unknown> };
  if (app.context !== undefined && (typeof app.context !== "object" || app.context === null))
    throw new CommandFailure(`${path}: context must be an object`);
  const list = app.context?.exceptions ?? [];
  if (!Array.isArray(list)) throw new CommandFailure(`${path}: context.exceptions must be a JSON array`);
  const maxDays = app.context?.maxExceptionDays;
  if (maxDays !== undefined && (typeof maxDays !== "number" || !Number.isInteger(maxDays) || maxDays < 1))
    throw new CommandFailure(`${path}: context.maxExceptionDays must be a whole number of at least 1`);
  return {
    entries: list,
    maxExceptionDays: maxDays,
    withEntries: (entries) => json({ ...app, context: { ...app.context, exceptions: entries } }),
  };
}
