import {
  type Clock,
  DEFAULT_MAX_EXCEPTION_DAYS,
  daysLeft,
  errorText,
  expiredWarning,
  isExpired,
  reviewExceptions,
  reviewWarnings,
} from "../../lambda/index";
import { EXIT, UsageError } from "../command";
import { CommandFailure, usageErrorText } from "../commandStart";
import { formatTable } from "../table";
import { type ExceptionsOptions, HELP, parseExceptionsArguments, USAGE } from "./arguments";
import { type ExceptionsSource, readExceptionsSource } from "./exceptionsFile";

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
  readonly taskDefinition: string;
  readonly owner: string;
  readonly expires: string;
  readonly daysLeft: number | undefined;
  readonly accountIds: readonly string[] | undefined;
  readonly status: Status;
  readonly problems: readonly string[];
}

function field(entry: unknown, name: string): string {
  const value = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>)[name] : "";
  return typeof value === "string" ? value : JSON.stringify(value ?? "");
}

async function load(path: string, env: ExceptionsEnvironment): Promise<ExceptionsSource> {
  let text: string;
  try {
    text = await env.readTextFile(path);
  } catch (error) {
    throw new CommandFailure(`cannot read ${path}: ${errorText(error)}`);
  }
  return readExceptionsSource(text, path);
}

function rowsOf(source: ExceptionsSource, now: Date, maxDurationDays: number): Row[] {
  const review = reviewExceptions(source.entries, { now, maxDurationDays });
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
    return {
      index,
      taskDefinition: field(entry, "taskDefinition"),
      owner: field(entry, "owner"),
      expires: field(entry, "expires"),
      daysLeft: left === undefined ? undefined : Math.max(left, 0),
      accountIds: exception?.accountIds,
      status,
      problems: invalid?.problems ?? [],
    };
  });
}

function listText(rows: readonly Row[], path: string): string {
  if (rows.length === 0) return `No exceptions in ${path}.\n`;
  return `${formatTable(
    ["Task definition", "Owner", "Expires", "Days left", "Accounts", "Status"],
    rows.map((row) => [
      row.taskDefinition,
      row.owner,
      row.expires,
      row.daysLeft === undefined ? "-" : String(row.daysLeft),
      row.accountIds?.join(",") ?? "all",
      row.problems.length === 0 ? row.status : `${row.status}: ${row.problems.join("; ")}`,
    ]),
  )}\n`;
}

function sameAccounts(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = [...(a ?? [])].sort().join(",");
  const right = [...(b ?? [])].sort().join(",");
  return left === right;
}

async function add(
  options: Extract<ExceptionsOptions, { action: "add" }>,
  source: ExceptionsSource,
  now: Date,
  env: ExceptionsEnvironment,
): Promise<number> {
  const maxDurationDays = options.maxExceptionDays ?? source.maxExceptionDays ?? DEFAULT_MAX_EXCEPTION_DAYS;
  const review = reviewExceptions([options.entry], { now, maxDurationDays });
  const [refused] = review.invalid;
  const [checked] = review.approved;
  if (refused !== undefined || checked === undefined)
    throw new CommandFailure(`the exception is refused: ${refused?.problems.join("; ")}`);
  const [expired] = review.expired;
  if (expired !== undefined)
    throw new CommandFailure(
      `the exception is refused: ${expiredWarning({ ...expired, index: source.entries.length })}`,
    );
  const existing = reviewExceptions(source.entries, {
    now,
    maxDurationDays: Number.MAX_SAFE_INTEGER,
  }).approved;
  const twin = existing.find(
    (exception) =>
      exception.taskDefinition === options.entry.taskDefinition &&
      sameAccounts(exception.accountIds, options.entry.accountIds),
  );
  if (twin !== undefined) {
    throw new CommandFailure(
      `exceptions[${twin.index}] already covers ${options.entry.taskDefinition} (owner ${twin.owner}, until ${twin.expires}): expire it first to replace it`,
    );
  }
  await env.writeTextFile(options.file, source.withEntries([...source.entries, options.entry]));
  env.stdout(
    `Added to ${options.file}: ${options.entry.taskDefinition} (owner ${options.entry.owner}) until ${options.entry.expires}, ${daysLeft(checked, now)} days left. It applies once deployed (cdk deploy).\n`,
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
      target === "lapsed" ? lapsed.has(index) : field(entry, "taskDefinition") === target.taskDefinition,
    );
  if (removed.length === 0) {
    env.stderr.write(
      `error: ${target === "lapsed" ? "no entry is past its last day" : `no entry names ${target.taskDefinition}`} in ${options.file}; nothing was changed\n`,
    );
    return EXIT.failed;
  }
  const gone = new Set(removed.map(({ index }) => index));
  await env.writeTextFile(
    options.file,
    source.withEntries(source.entries.filter((_, index) => !gone.has(index))),
  );
  for (const { entry } of removed) {
    env.stdout(
      `Removed from ${options.file}: ${field(entry, "taskDefinition")} (owner ${field(entry, "owner")}, expires ${field(entry, "expires")}).\n`,
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
    const maxDurationDays = source.maxExceptionDays ?? DEFAULT_MAX_EXCEPTION_DAYS;
    const rows = rowsOf(source, now, maxDurationDays);
    env.stdout(options.json ? `${JSON.stringify(rows, null, 2)}\n` : listText(rows, options.file));
    const review = reviewExceptions(source.entries, { now, maxDurationDays });
    for (const warning of reviewWarnings(review, source.entries, now))
      env.stderr.write(`warning: ${warning}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      env.stderr.write(usageErrorText(error, USAGE, "exceptions"));
      return EXIT.usage;
    }
    env.stderr.write(`error: ${error instanceof CommandFailure ? error.message : errorText(error)}\n`);
    return EXIT.failed;
  }
}
