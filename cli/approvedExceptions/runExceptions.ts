import {
  type ApprovedException,
  daysLeft,
  type ExceptionReview,
  exceptionLabel,
  exceptionTarget,
  expiredWarning,
  isExpired,
  reviewExceptions,
  reviewWarnings,
} from "../../lambda/core/index";
import { type Clock, errorText } from "../../lambda/index";
import {
  describeList,
  type ExceptionsSource,
  maximumFor,
  readExceptionsSource,
} from "../shared/approvedExceptionsFile";
import { CommandFailure, EXIT } from "../shared/command";
import { reportFailure } from "../shared/failures";
import { formatTable } from "../shared/table";
import { type ExceptionsOptions, HELP, parseExceptionsArguments, type TargetField, USAGE } from "./arguments";

export interface ExceptionsEnvironment {
  readonly readTextFile: (path: string) => Promise<string>;
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
  readonly clock: Pick<Clock, "now">;
  readonly stdout: (text: string) => void;
  readonly stderr: { write(text: string): unknown };
}

type Status = "ok" | "expires soon" | "expired" | "invalid";

interface Row {
  readonly index: number;
  readonly kind: "task definition" | "daemon task definition" | "unknown";
  readonly target: string;
  readonly owner: string;
  readonly expires: string;
  readonly daysLeft: number | undefined;
  /** The accounts it covers; "all" when written `allAccounts: true`; undefined: the deployment's own account. */
  readonly accounts: readonly string[] | "all" | undefined;
  readonly approvedBy: string | undefined;
  readonly ticket: string | undefined;
  readonly status: Status;
  readonly problems: readonly string[];
}

function field(entry: unknown, name: string): string {
  const value = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>)[name] : "";
  return typeof value === "string" ? value : JSON.stringify(value ?? "");
}

function optionalField(entry: unknown, name: string): string | undefined {
  const value =
    typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>)[name] : undefined;
  return value === undefined ? undefined : field(entry, name);
}

function targetOfEntry(entry: unknown): { kind: Row["kind"]; target: string; field?: TargetField } {
  if (optionalField(entry, "daemonTaskDefinition") !== undefined)
    return {
      kind: "daemon task definition",
      target: field(entry, "daemonTaskDefinition"),
      field: "daemonTaskDefinition",
    };
  if (optionalField(entry, "taskDefinition") !== undefined)
    return { kind: "task definition", target: field(entry, "taskDefinition"), field: "taskDefinition" };
  return { kind: "unknown", target: "" };
}

async function load(path: string, env: ExceptionsEnvironment): Promise<ExceptionsSource> {
  let text: string;
  try {
    text = await env.readTextFile(path);
  } catch (error) {
    throw new CommandFailure(`cannot read ${path}: ${errorText(error)}`, {
      exitCode: EXIT.usage,
      cause: error,
    });
  }
  return readExceptionsSource(text, path);
}

function rowsOf(source: ExceptionsSource, review: ExceptionReview, now: Date): Row[] {
  const approved = new Map(review.approved.map((exception) => [exception.index, exception]));
  const soon = new Set(review.expiringSoon.map((exception) => exception.index));
  return source.entries.map((entry, index): Row => {
    const exception = approved.get(index);
    const invalid = review.invalid.find((candidate) => candidate.index === index);
    const left = exception === undefined ? undefined : daysLeft(exception, now);
    let status: Status = "ok";
    if (exception === undefined) status = "invalid";
    else if (isExpired(exception, now)) status = "expired";
    else if (soon.has(index)) status = "expires soon";
    const { kind, target } = targetOfEntry(entry);
    return {
      index,
      kind,
      target,
      owner: field(entry, "owner"),
      expires: field(entry, "expires"),
      daysLeft: left === undefined ? undefined : Math.max(left, 0),
      accounts: exception?.allAccounts ? "all" : exception?.accountIds,
      approvedBy: optionalField(entry, "approvedBy"),
      ticket: optionalField(entry, "ticket"),
      status,
      problems: invalid?.problems ?? [],
    };
  });
}

function listText(rows: readonly Row[], path: string): string {
  if (rows.length === 0) return `No exceptions in ${path}.\n`;
  return `${formatTable(
    ["Kind", "Target", "Owner", "Expires", "Days left", "Accounts", "Approved by", "Ticket", "Status"],
    rows.map((row) => [
      row.kind,
      row.target,
      row.owner,
      row.expires,
      row.daysLeft === undefined ? "-" : String(row.daysLeft),
      row.accounts === "all" ? "all (on purpose)" : (row.accounts?.join(",") ?? "this deployment's"),
      row.approvedBy ?? "-",
      row.ticket ?? "-",
      row.problems.length === 0 ? row.status : `${row.status}: ${row.problems.join("; ")}`,
    ]),
  )}\n`;
}

function sameAccounts(a: ApprovedException, entry: Readonly<Record<string, unknown>>): boolean {
  const key = (ids: unknown, all: unknown) =>
    all === true ? "*" : Array.isArray(ids) ? [...ids].map(String).sort().join(",") : "";
  return key(a.accountIds, a.allAccounts) === key(entry.accountIds, entry.allAccounts);
}

/** Writes the file whole or not at all: a temporary file beside it, then a rename over it. */
async function writeWhole(env: ExceptionsEnvironment, path: string, text: string): Promise<void> {
  try {
    await env.writeTextFile(path, text);
  } catch (error) {
    throw new CommandFailure(`cannot write ${path} (it was left as it was): ${errorText(error)}`, {
      cause: error,
    });
  }
}

async function add(
  options: Extract<ExceptionsOptions, { action: "add" }>,
  source: ExceptionsSource,
  now: Date,
  env: ExceptionsEnvironment,
): Promise<number> {
  const maxDurationDays = maximumFor(source, options.file, options.maxExceptionDays);
  const reviewOptions = { now, maxDurationDays, organization: source.organization };
  const index = source.entries.length;
  const review = reviewExceptions([options.entry], reviewOptions);
  const [refused] = review.invalid;
  const [checked] = review.approved;
  if (refused !== undefined || checked === undefined)
    throw new CommandFailure(
      `${exceptionLabel(index, options.entry)} is refused: ${refused?.problems.join("; ")}`,
      { exitCode: EXIT.usage },
    );
  const [expired] = review.expired;
  if (expired !== undefined)
    throw new CommandFailure(`the exception is refused: ${expiredWarning({ ...expired, index })}`, {
      exitCode: EXIT.usage,
    });
  const existing = reviewExceptions(source.entries, {
    ...reviewOptions,
    maxDurationDays: Number.MAX_SAFE_INTEGER,
  }).approved;
  const twin = existing.find(
    (exception) =>
      exception.kind === checked.kind &&
      exception.reference === checked.reference &&
      sameAccounts(exception, options.entry),
  );
  if (twin !== undefined) {
    throw new CommandFailure(
      `exceptions[${twin.index}] already covers ${exceptionTarget(checked)} (owner ${twin.owner}, until ${twin.expires}): expire it first to replace it`,
    );
  }
  await writeWhole(env, options.file, source.withEntries([...source.entries, options.entry]));
  env.stdout(
    `Added to ${options.file}: ${exceptionTarget(checked)} (owner ${checked.owner}) until ${checked.expires}, ${daysLeft(checked, now)} days left. It applies once deployed (cdk deploy).\n`,
  );
  if (checked.approvedBy === undefined || checked.ticket === undefined)
    env.stderr.write(
      "note: the entry has no --approved-by or --ticket; add them so that the annotation and `exceptions list` show who approved it\n",
    );
  return EXIT.ok;
}

async function expire(
  options: Extract<ExceptionsOptions, { action: "expire" }>,
  source: ExceptionsSource,
  now: Date,
  env: ExceptionsEnvironment,
): Promise<number> {
  const lapsed = new Set(
    reviewExceptions(source.entries, { now, maxDurationDays: Number.MAX_SAFE_INTEGER }).expired.map(
      (exception) => exception.index,
    ),
  );
  const { target } = options;
  const removed = source.entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) =>
      target === "lapsed"
        ? lapsed.has(index)
        : targetOfEntry(entry).field === target.field && targetOfEntry(entry).target === target.reference,
    );
  if (removed.length === 0) {
    if (target === "lapsed") {
      env.stdout(`Nothing to remove: no entry in ${options.file} is past its last day.\n`);
      return EXIT.ok;
    }
    env.stderr.write(
      `error: no entry names ${target.field} ${JSON.stringify(target.reference)} in ${options.file}; nothing was changed\n`,
    );
    return EXIT.failed;
  }
  const gone = new Set(removed.map(({ index }) => index));
  await writeWhole(
    env,
    options.file,
    source.withEntries(source.entries.filter((_, index) => !gone.has(index))),
  );
  for (const { entry } of removed) {
    const { kind, target: named } = targetOfEntry(entry);
    env.stdout(
      `Removed from ${options.file}: ${kind} ${named} (owner ${field(entry, "owner")}, expires ${field(entry, "expires")}).\n`,
    );
  }
  env.stdout("The exception ends once deployed (cdk deploy).\n");
  return EXIT.ok;
}

/** `ecs-pid-mode exceptions list|add|expire`: returns the exit status. */
export async function runExceptions(argv: readonly string[], env: ExceptionsEnvironment): Promise<number> {
  try {
    const options = parseExceptionsArguments(argv);
    if (options.action === "help") {
      env.stdout(`${HELP}\n`);
      return EXIT.ok;
    }
    const source = await load(options.file, env);
    const now = new Date(env.clock.now());
    if (options.action === "add") return await add(options, source, now, env);
    if (options.action === "expire") return await expire(options, source, now, env);
    const maxDurationDays = maximumFor(source, options.file, undefined);
    const review = reviewExceptions(source.entries, {
      now,
      maxDurationDays,
      organization: source.organization,
    });
    const rows = rowsOf(source, review, now);
    env.stderr.write(`exceptions: ${describeList(source, options.file, maxDurationDays)}\n`);
    env.stdout(options.json ? `${JSON.stringify(rows, null, 2)}\n` : listText(rows, options.file));
    for (const warning of reviewWarnings(review, source.entries, now))
      env.stderr.write(`warning: ${warning}\n`);
    return EXIT.ok;
  } catch (error) {
    // No --debug here: an empty argv prints no stack whatever an option's value says.
    return reportFailure(
      error,
      { name: "exceptions", usage: USAGE, argv: [], profile: undefined },
      env.stderr,
    );
  }
}
