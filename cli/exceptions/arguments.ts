import { DEFAULT_MAX_EXCEPTION_DAYS, EXPIRY_WARNING_DAYS } from "../../lambda/index";
import { COMMON_EXIT_CODES, EXIT, UsageError } from "../command";
import { HELP_OPTION_HELP, parseCommandLine, wholeNumber } from "../commandLine";

export const DEFAULT_EXCEPTIONS_FILE = "cdk.json";

export const USAGE = [
  "usage: ecs-pid-mode exceptions list [--file FILE] [--json]",
  "       ecs-pid-mode exceptions add --task-definition REF --owner WHO --expires YYYY-MM-DD --reason WHY",
  "                                   [--account-id ID ...] [--file FILE] [--max-exception-days N]",
  "       ecs-pid-mode exceptions expire (--task-definition REF | --lapsed) [--file FILE]",
].join("\n");

export const HELP = `${USAGE}

Edits the approved exceptions the CDK app deploys: context.exceptions of cdk.json, or a file that is the
JSON array itself (the rule's SSM parameter format). Entries are checked as synth checks them.

  list     every entry with its owner, expiry date and days left; lapsed, lapsing (within
           ${EXPIRY_WARNING_DAYS} days) and invalid entries are flagged
  add      adds an entry after checking it; refuses one already past, one beyond the maximum duration,
           and a second entry for the same task definition and accounts
  expire   removes the entries for a task definition (the exception ends at the next deploy), or with
           --lapsed every entry already past its last day

Options:
  --file FILE             the list to edit (default ${DEFAULT_EXCEPTIONS_FILE}; a relative path is taken from the
                          directory you run the command in)
  --json                  list: the entries as JSON, with daysLeft and status
  --task-definition REF   a family (node-exporter), family:revision (node-exporter:3) or revision ARN
  --owner WHO             who answers for the exception (a team or an address)
  --expires YYYY-MM-DD    the last day the exception applies (UTC)
  --reason WHY            why the task definition needs the host PID namespace
  --account-id ID         limit the exception to these 12-digit accounts; repeat it or comma-separate
  --max-exception-days N  the longest an exception may run from today (default: cdk.json's
                          context.maxExceptionDays, else ${DEFAULT_MAX_EXCEPTION_DAYS})
  --lapsed                expire: every entry already past its last day
${HELP_OPTION_HELP}

Exit codes:
  ${EXIT.ok}    done
  ${EXIT.failed}    the file cannot be read or written, the entry is refused, or nothing matched
${COMMON_EXIT_CODES}

Examples:
  ecs-pid-mode exceptions list
  ecs-pid-mode exceptions add --task-definition node-exporter --owner observability@example.com \\
    --expires 2027-03-31 --reason "Host process metrics; replacement tracked in OBS-142"
  ecs-pid-mode exceptions expire --task-definition node-exporter
  ecs-pid-mode exceptions expire --lapsed --file exceptions.json`;

export type ExceptionsOptions =
  | { readonly action: "help" }
  | { readonly action: "list"; readonly file: string; readonly json: boolean }
  | {
      readonly action: "add";
      readonly file: string;
      readonly entry: {
        readonly taskDefinition: string;
        readonly owner: string;
        readonly expires: string;
        readonly reason: string;
        readonly accountIds?: readonly string[];
      };
      readonly maxExceptionDays: number | undefined;
    }
  | {
      readonly action: "expire";
      readonly file: string;
      readonly target: { readonly taskDefinition: string } | "lapsed";
    };

/** Every option the command takes; its help names each. */
export const EXCEPTIONS_OPTIONS = {
  file: { type: "string" },
  json: { type: "boolean" },
  "task-definition": { type: "string" },
  owner: { type: "string" },
  expires: { type: "string" },
  reason: { type: "string" },
  "account-id": { type: "string", multiple: true },
  "max-exception-days": { type: "string" },
  lapsed: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const ALLOWED: Record<"list" | "add" | "expire", readonly string[]> = {
  list: ["file", "json", "help"],
  add: ["file", "task-definition", "owner", "expires", "reason", "account-id", "max-exception-days", "help"],
  expire: ["file", "task-definition", "lapsed", "help"],
};

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string") throw new UsageError(`add needs --${name}`);
  return value;
}

/** `exceptions <list|add|expire> ...`; an option that does not go with the action is a UsageError. */
export function parseExceptionsArguments(argv: readonly string[]): ExceptionsOptions {
  const [action, ...rest] = argv;
  if (action === "--help" || action === "-h") return { action: "help" };
  if (action !== "list" && action !== "add" && action !== "expire") {
    throw new UsageError(
      action === undefined
        ? "say list, add or expire"
        : `unknown action ${JSON.stringify(action)}: say list, add or expire`,
    );
  }
  const values = parseCommandLine(rest, EXCEPTIONS_OPTIONS);
  if (values.help) return { action: "help" };
  const misplaced = Object.keys(values).find((name) => !ALLOWED[action].includes(name));
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} does not go with ${action}`);
  const file = values.file ?? DEFAULT_EXCEPTIONS_FILE;
  if (action === "list") return { action, file, json: values.json ?? false };
  if (action === "expire") {
    if ((values["task-definition"] === undefined) === (values.lapsed !== true))
      throw new UsageError("expire needs either --task-definition REF or --lapsed");
    return {
      action,
      file,
      target: values.lapsed ? "lapsed" : { taskDefinition: values["task-definition"] as string },
    };
  }
  const accountIds = (values["account-id"] ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "");
  const entry = {
    taskDefinition: required(values, "task-definition"),
    owner: required(values, "owner"),
    expires: required(values, "expires"),
    reason: required(values, "reason"),
  };
  return {
    action,
    file,
    entry: accountIds.length === 0 ? entry : { ...entry, accountIds: [...new Set(accountIds)] },
    maxExceptionDays:
      values["max-exception-days"] === undefined
        ? undefined
        : wholeNumber("--max-exception-days", values["max-exception-days"], DEFAULT_MAX_EXCEPTION_DAYS, {
            min: 1,
          }),
  };
}
