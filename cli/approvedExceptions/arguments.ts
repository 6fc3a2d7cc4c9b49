import { DEFAULT_MAX_EXCEPTION_DAYS, EXPIRY_WARNING_DAYS } from "../../lambda/core/index";
import { COMMON_EXIT_CODES, EXIT, UsageError } from "../shared/command";
import { HELP_OPTION_HELP, parseCommandLine, wholeNumber } from "../shared/commandLine";

export const DEFAULT_EXCEPTIONS_FILE = "cdk.json";

export const USAGE = [
  "usage: ecs-pid-mode exceptions list [--file FILE] [--json]",
  "       ecs-pid-mode exceptions add (--task-definition REF | --daemon-task-definition REF) --owner WHO",
  "                                   --expires YYYY-MM-DD --reason WHY [--approved-by WHO --ticket ID]",
  "                                   [--account-id ID ... | --all-accounts] [--file FILE] [--max-exception-days N]",
  "       ecs-pid-mode exceptions expire (--task-definition REF | --daemon-task-definition REF | --lapsed) [--file FILE]",
].join("\n");

export const HELP = `${USAGE}

Edits the approved exceptions the CDK app deploys: context.exceptions of cdk.json, or a file that is the
JSON array itself (the rule's SSM parameter format). Entries are checked as synth checks them.

  list     every entry with its owner, expiry date and days left; lapsed, lapsing (within
           ${EXPIRY_WARNING_DAYS} days) and invalid entries are flagged
  add      adds an entry after checking it; refuses one already past, one beyond the maximum duration,
           and a second entry for the same target and accounts. In an organization rollout (cdk.json
           with organizationalUnitIds) it needs --account-id or --all-accounts, --approved-by and --ticket
  expire   removes the entries for a target (the exception ends at the next deploy), or with --lapsed
           every entry already past its last day (nothing to remove is not an error)

Options:
  --file FILE             the list to edit (default ${DEFAULT_EXCEPTIONS_FILE}; a relative path is taken from the
                          directory you run the command in)
  --json                  list: the entries as JSON, with daysLeft and status
  --task-definition REF   a task definition: family (web), family:revision (web:3) or revision ARN
  --daemon-task-definition REF
                          a daemon task definition (ECS Managed Daemons), named the same ways; task
                          definitions and daemon task definitions are separate namespaces
  --owner WHO             who answers for the exception (a team or an address)
  --expires YYYY-MM-DD    the last day the exception applies (UTC)
  --reason WHY            why the task definition needs the host PID namespace
  --approved-by WHO       who approved the exception (at most 64 characters)
  --ticket ID             the ticket that records the approval (at most 64 characters)
  --account-id ID         limit the exception to these 12-digit accounts; repeat it or comma-separate
  --all-accounts          organization rollout: the exception covers every account, on purpose
  --max-exception-days N  for a plain JSON array: the longest an exception may run from today (default
                          ${DEFAULT_MAX_EXCEPTION_DAYS}); for cdk.json it must equal the app's context.maxExceptionDays
  --lapsed                expire: every entry already past its last day
${HELP_OPTION_HELP}

Exit codes:
  ${EXIT.ok}    done
  ${EXIT.failed}    the file cannot be read or written, the entry is refused, or no entry names the target
${COMMON_EXIT_CODES}

Examples:
  ecs-pid-mode exceptions list
  ecs-pid-mode exceptions add --task-definition node-exporter --owner observability@example.com \\
    --expires 2027-03-31 --reason "Host process metrics; replacement tracked in OBS-142"
  ecs-pid-mode exceptions expire --task-definition node-exporter
  ecs-pid-mode exceptions expire --lapsed --file exceptions.json`;

/** The one target an entry names, as the list spells it. */
export type TargetField = "taskDefinition" | "daemonTaskDefinition";

export interface NamedTarget {
  readonly field: TargetField;
  readonly reference: string;
}

export type ExceptionsOptions =
  | { readonly action: "help" }
  | { readonly action: "list"; readonly file: string; readonly json: boolean }
  | {
      readonly action: "add";
      readonly file: string;
      readonly entry: Readonly<Record<string, unknown>>;
      readonly target: NamedTarget;
      readonly maxExceptionDays: number | undefined;
    }
  | {
      readonly action: "expire";
      readonly file: string;
      readonly target: NamedTarget | "lapsed";
    };

/** Every option the command takes; its help names each. */
export const EXCEPTIONS_OPTIONS = {
  file: { type: "string" },
  json: { type: "boolean" },
  "task-definition": { type: "string" },
  "daemon-task-definition": { type: "string" },
  "approved-by": { type: "string" },
  ticket: { type: "string" },
  "all-accounts": { type: "boolean" },
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
  add: [
    "file",
    "task-definition",
    "daemon-task-definition",
    "owner",
    "expires",
    "reason",
    "approved-by",
    "ticket",
    "account-id",
    "all-accounts",
    "max-exception-days",
    "help",
  ],
  expire: ["file", "task-definition", "daemon-task-definition", "lapsed", "help"],
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
  const named = targetOf(values);
  if (action === "expire") {
    if ((named === undefined) === (values.lapsed !== true))
      throw new UsageError(
        "expire needs one of --task-definition REF, --daemon-task-definition REF or --lapsed",
      );
    return { action, file, target: named ?? "lapsed" };
  }
  if (named === undefined)
    throw new UsageError("add needs --task-definition REF or --daemon-task-definition REF");
  const accountIds = (values["account-id"] ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "");
  if (accountIds.length > 0 && values["all-accounts"])
    throw new UsageError("--account-id and --all-accounts do not go together");
  const entry: Record<string, unknown> = {
    [named.field]: named.reference,
    owner: required(values, "owner"),
    expires: required(values, "expires"),
    reason: required(values, "reason"),
  };
  if (accountIds.length > 0) entry.accountIds = [...new Set(accountIds)];
  if (values["all-accounts"]) entry.allAccounts = true;
  if (values["approved-by"] !== undefined) entry.approvedBy = values["approved-by"];
  if (values.ticket !== undefined) entry.ticket = values.ticket;
  return {
    action,
    file,
    entry,
    target: named,
    maxExceptionDays:
      values["max-exception-days"] === undefined
        ? undefined
        : wholeNumber("--max-exception-days", values["max-exception-days"], DEFAULT_MAX_EXCEPTION_DAYS, {
            min: 1,
          }),
  };
}

function targetOf(values: {
  "task-definition"?: string;
  "daemon-task-definition"?: string;
}): NamedTarget | undefined {
  const task = values["task-definition"];
  const daemon = values["daemon-task-definition"];
  if (task !== undefined && daemon !== undefined)
    throw new UsageError(
      "--task-definition and --daemon-task-definition do not go together: an entry names one",
    );
  if (task !== undefined) return { field: "taskDefinition", reference: task };
  if (daemon !== undefined) return { field: "daemonTaskDefinition", reference: daemon };
  return undefined;
}
