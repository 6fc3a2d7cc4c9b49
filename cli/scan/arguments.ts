import { ROLE_NAME_PATTERN } from "../../lambda/core/index";
import { type AccountCommandSurface, COMMON_EXIT_CODES, EXIT, UsageError } from "../shared/command";
import {
  ACCOUNT_OPTIONS,
  ACCOUNT_OPTIONS_HELP,
  type AccountOptions,
  accountOptionsOf,
  HELP_OPTION_HELP,
  parseBatchSize,
  parseCommandLine,
} from "../shared/commandLine";

/** What the scan prints on stdout: `--output FORMAT` (`--json` is `--output json`). */
export const OUTPUT_FORMATS = ["table", "json", "csv", "asff"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ScanOptions extends AccountOptions {
  readonly output: OutputFormat;
  readonly fixPlan: boolean;
  /** `--production tag:KEY=REGEX` or `cluster:REGEX`, repeated; empty: the default rule. */
  readonly production: readonly string[];
  readonly batchSize: number;
  /** `--out DIR`: write register-<family>-<revision>.json and plan.json there. */
  readonly outDirectory: string | undefined;
  /** `--organization-role NAME`: scan every ACTIVE account of the organization through this role. */
  readonly organizationRole: string | undefined;
}

export const USAGE = [
  "usage: ecs-pid-mode scan [--profile NAME ...] [--organization-role NAME] [--region REGION ...]",
  "         [--exceptions FILE] [--max-exception-days N] [--output table|json|csv|asff | --json]",
  "         [--endpoint-url URL] [--debug] [--quiet] [--no-color]",
  "         [--fix-plan [--production RULE ...] [--batch-size N] [--out DIR]]",
].join("\n");

export const HELP = `${USAGE}

Judges every task definition family that RUNNING ECS tasks use, and the clusters running ECS Managed
Daemons, as the rule does. Read-only: ECS List and Describe calls and sts:GetCallerIdentity.

Options:
${ACCOUNT_OPTIONS_HELP}
  --profile NAME ...      scan several accounts, one profile each: repeat it (the output is grouped by
                          account; one account's failure does not stop the others)
  --organization-role NAME
                          scan every ACTIVE account of the organization: list them with the profile's
                          credentials (organizations:ListAccounts, in the management or a delegated
                          administrator account) and assume arn:aws:iam::ACCOUNT:role/NAME in each (the member
                          role organization mode deploys fits); the caller's own account is read directly
  --output FORMAT         what stdout gets (progress and warnings go to stderr): table (default), json
                          (every verdict with its facts), csv (RFC 4180, one row per verdict) or asff
                          (AWS Security Finding Format for Security Hub's BatchImportFindings, one finding
                          per verdict); csv and asff carry no fix plan: with --fix-plan they need --out
  --json                  the same as --output json
  --fix-plan              also plan the fix in waves (reads ECS services, Elastic Load Balancing and EC2)
  --production RULE       with --fix-plan: what counts as production, tag:KEY=REGEX or cluster:REGEX;
                          repeat it (default: an environment, env or stage tag starting with prod)
  --batch-size N          with --fix-plan: services per batch (default 10)
  --out DIR               with --fix-plan: write register-<family>-<revision>.json and plan.json into DIR
${HELP_OPTION_HELP}

Exit codes:
  ${EXIT.ok}    nothing in use shares the host PID namespace
  ${EXIT.failed}    part of the account could not be read (what was read is still shown), or the scan failed
  ${EXIT.nonCompliant}    something in use is NON_COMPLIANT
${COMMON_EXIT_CODES}

Examples:
  ecs-pid-mode scan --region eu-west-1
  ecs-pid-mode scan --profile prod --region eu-west-1,us-east-1 --exceptions exceptions.json
  ecs-pid-mode scan --json | jq '.verdicts[] | select(.complianceType == "NON_COMPLIANT")'
  ecs-pid-mode scan --output csv > ecs-pid-mode.csv
  ecs-pid-mode scan --output asff > findings.json
  ecs-pid-mode scan --fix-plan --out fix-plan`;

/** Every option the command takes; its help names each. */
export const SCAN_OPTIONS = {
  ...ACCOUNT_OPTIONS,
  output: { type: "string" },
  json: { type: "boolean" },
  "fix-plan": { type: "boolean" },
  production: { type: "string", multiple: true },
  "batch-size": { type: "string" },
  out: { type: "string" },
  "organization-role": { type: "string" },
} as const;

/** Reads the scan's command line; anything it does not know is a UsageError, never ignored. */
export function parseScanArguments(argv: readonly string[]): ScanOptions {
  const values = parseCommandLine(argv, SCAN_OPTIONS);
  const fixPlan = values["fix-plan"] ?? false;
  if (
    !fixPlan &&
    (values.production !== undefined || values["batch-size"] !== undefined || values.out !== undefined)
  )
    throw new UsageError("--production, --batch-size and --out go with --fix-plan");
  const output = parseOutputFormat(values.output, values.json ?? false);
  if (fixPlan && (output === "csv" || output === "asff") && values.out === undefined)
    throw new UsageError(
      `--output ${output} carries no fix plan: with --fix-plan, give --out DIR for its files`,
    );
  return {
    ...accountOptionsOf(values),
    output,
    fixPlan,
    production: values.production ?? [],
    batchSize: parseBatchSize(values["batch-size"]),
    outDirectory: values.out,
    organizationRole: organizationRole(values["organization-role"], values.profile ?? [], values.out),
  };
}

/** `--output FORMAT`, or `--json`; both only when they agree. */
export function parseOutputFormat(text: string | undefined, json: boolean): OutputFormat {
  if (text === undefined) return json ? "json" : "table";
  const format = OUTPUT_FORMATS.find((known) => known === text);
  if (format === undefined)
    throw new UsageError(`--output ${JSON.stringify(text)}: must be one of ${OUTPUT_FORMATS.join(", ")}`);
  if (json && format !== "json") throw new UsageError(`--json and --output ${format} disagree: give one`);
  return format;
}

function organizationRole(
  name: string | undefined,
  profiles: readonly string[],
  out: string | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  if (!ROLE_NAME_PATTERN.test(name))
    throw new UsageError(`--organization-role ${JSON.stringify(name)} is not an IAM role name`);
  if (profiles.length > 1)
    throw new UsageError(
      "--organization-role takes at most one --profile: the one that lists the organization",
    );
  if (out !== undefined)
    throw new UsageError("--out goes with one account: leave it out with --organization-role");
  return name;
}

/** `ecs-pid-mode scan` as its user meets it. */
export const SCAN_COMMAND: AccountCommandSurface<ScanOptions> = {
  name: "scan",
  usage: USAGE,
  help: HELP,
  parse: parseScanArguments,
};
