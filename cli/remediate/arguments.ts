import { parseArgs } from "node:util";
import { parseBatchSize, UsageError } from "../scan/arguments";

export interface RemediateOptions {
  readonly profile: string | undefined;
  readonly regions: readonly string[];
  readonly exceptionsFile: string | undefined;
  readonly journalFile: string;
  readonly wave: 1 | 2 | 3 | 4;
  readonly batch: number | undefined;
  readonly batchSize: number;
  readonly production: readonly string[];
  readonly apply: boolean;
  readonly yes: boolean;
  readonly outDirectory: string | undefined;
  readonly rolloutTimeoutMinutes: number;
  readonly help: boolean;
}

export const DEFAULT_JOURNAL = "ecs-pid-mode-remediation.journal.json";

export const USAGE = [
  "usage: npm run remediate -- --wave N [--batch K] [--batch-size N] [--region REGION ...] [--profile NAME]",
  "         [--exceptions FILE] [--production RULE ...] [--journal FILE] [--out DIR] [--rollout-timeout MINUTES]",
  "         [--apply [--yes]]",
  "  Without --apply it prints what it would do and changes nothing.",
].join("\n");

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function wholeNumber(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(
      `${option} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`}, got ${JSON.stringify(text)}`,
    );
  return value;
}

/** Reads the remediation's command line; anything it does not know is a UsageError. */
export function parseRemediateArguments(argv: readonly string[]): RemediateOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const help = values.help ?? false;
  const regions = (values.region ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "");
  for (const region of regions) {
    if (!REGION.test(region)) throw new UsageError(`${JSON.stringify(region)} is not a Region name`);
  }
  for (const option of ["profile", "exceptions", "journal", "out"] as const) {
    const value = values[option];
    if (value !== undefined && value.trim() === "") throw new UsageError(`--${option} needs a value`);
  }
  if (values.wave === undefined && !help) throw new UsageError("--wave N is required (1 to 4)");
  if (values.yes && !values.apply) throw new UsageError("--yes goes with --apply");
  return {
    profile: values.profile,
    regions: [...new Set(regions)],
    exceptionsFile: values.exceptions,
    journalFile: values.journal ?? DEFAULT_JOURNAL,
    wave: (values.wave === undefined ? 1 : wholeNumber("--wave", values.wave, 1, 4)) as 1 | 2 | 3 | 4,
    batch: values.batch === undefined ? undefined : wholeNumber("--batch", values.batch, 1),
    batchSize: parseBatchSize(values["batch-size"]),
    production: values.production ?? [],
    apply: values.apply ?? false,
    yes: values.yes ?? false,
    outDirectory: values.out,
    rolloutTimeoutMinutes:
      values["rollout-timeout"] === undefined
        ? 30
        : wholeNumber("--rollout-timeout", values["rollout-timeout"], 1, 24 * 60),
    help,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: "string" },
      region: { type: "string", multiple: true },
      exceptions: { type: "string" },
      journal: { type: "string" },
      wave: { type: "string" },
      batch: { type: "string" },
      "batch-size": { type: "string" },
      production: { type: "string", multiple: true },
      apply: { type: "boolean" },
      yes: { type: "boolean", short: "y" },
      out: { type: "string" },
      "rollout-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
