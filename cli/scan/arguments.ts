import { parseArgs } from "node:util";

export interface ScanOptions {
  readonly profile: string | undefined;
  /** Empty: the Region the SDK finds (AWS_REGION, the profile's region). */
  readonly regions: readonly string[];
  readonly exceptionsFile: string | undefined;
  readonly json: boolean;
  readonly fixPlan: boolean;
  /** `--production tag:KEY=REGEX` or `cluster:REGEX`, repeated; empty: the default rule. */
  readonly production: readonly string[];
  readonly batchSize: number;
  /** `--out DIR`: write register-<family>-<revision>.json and plan.json there. */
  readonly outDirectory: string | undefined;
  readonly help: boolean;
}

export const USAGE =
  "usage: npm run scan -- [--profile NAME] [--region REGION ...] [--exceptions FILE] [--json] [--fix-plan [--production RULE ...] [--batch-size N] [--out DIR]]";

export class UsageError extends Error {
  override name = "UsageError";
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Reads the scan's command line; anything it does not know is a UsageError, never ignored. */
export function parseScanArguments(argv: readonly string[]): ScanOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  // Repeat --region or give a comma-separated list.
  const regions = (values.region ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "");
  for (const region of regions) {
    if (!REGION.test(region)) throw new UsageError(`${JSON.stringify(region)} is not a Region name`);
  }
  if (values.profile !== undefined && values.profile.trim() === "")
    throw new UsageError("--profile needs a name");
  if (values.exceptions !== undefined && values.exceptions.trim() === "")
    throw new UsageError("--exceptions needs a file");
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out needs a directory");
  const fixPlan = values["fix-plan"] ?? false;
  if (
    !fixPlan &&
    (values.production !== undefined || values["batch-size"] !== undefined || values.out !== undefined)
  )
    throw new UsageError("--production, --batch-size and --out go with --fix-plan");
  return {
    profile: values.profile,
    regions: [...new Set(regions)],
    exceptionsFile: values.exceptions,
    json: values.json ?? false,
    fixPlan,
    production: values.production ?? [],
    batchSize: parseBatchSize(values["batch-size"]),
    outDirectory: values.out,
    help: values.help ?? false,
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
      json: { type: "boolean" },
      "fix-plan": { type: "boolean" },
      production: { type: "string", multiple: true },
      "batch-size": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** `--batch-size`: services per batch, default 10. */
export function parseBatchSize(text: string | undefined): number {
  if (text === undefined) return 10;
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1)
    throw new UsageError(`--batch-size must be a whole number of at least 1, got ${JSON.stringify(text)}`);
  return size;
}
