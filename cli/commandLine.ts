import { type ParseArgsConfig, parseArgs } from "node:util";
import { partition } from "@aws-sdk/core/client";
import { DEFAULT_MAX_EXCEPTION_DAYS, REGION_PATTERN } from "../lambda/index";
import { UsageError } from "./command";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export type ParsedValues<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
>["values"];

/** The options every account command takes: where to look and which exceptions apply. */
export const ACCOUNT_OPTIONS = {
  profile: { type: "string" },
  region: { type: "string", multiple: true },
  exceptions: { type: "string" },
  "max-exception-days": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export const ACCOUNT_OPTIONS_HELP = [
  "  --profile NAME          the AWS profile (default: AWS_PROFILE, else the default credential chain)",
  "  --region REGION         a Region to read; repeat it or give a comma-separated list",
  "                          (default: AWS_REGION, else the profile's region)",
  "  --exceptions FILE       the approved exceptions: a CDK app's cdk.json or a JSON array as the rule's",
  "                          SSM parameter holds it (default: cdk.json in the directory you run the command",
  "                          in, the list the app deploys; a relative path is taken from that directory)",
  "  --max-exception-days N  for a list outside an app: the longest an exception may run from today",
  `                          (default ${DEFAULT_MAX_EXCEPTION_DAYS}; an app's list uses the app's maximum)`,
].join("\n");

/** The last line of every command's options. */
export const HELP_OPTION_HELP = "  -h, --help              this help";

/** A Region the SDK knows (its partition table describes every Region it knows); else a UsageError. */
export function requireKnownRegion(region: string): string {
  if (!REGION_PATTERN.test(region)) throw new UsageError(`${JSON.stringify(region)} is not a Region name`);
  // The partition table describes each Region it lists; a name that only fits a partition's pattern has none.
  if ((partition(region) as { description?: string }).description === undefined) {
    throw new UsageError(
      `${JSON.stringify(region)} is not a Region the AWS SDK knows (\`aws account list-regions\` lists yours)`,
    );
  }
  return region;
}

/**
 * Reads a command line against `options` (strict: anything unknown is a UsageError, never ignored, and no
 * positional arguments); empty values of string options are UsageErrors too.
 */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T): ParsedValues<T> {
  let parsed: { values: ParsedValues<T>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  for (const [name, value] of Object.entries(parsed.values)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === "string" && item.trim() === ""))
      throw new UsageError(`--${name} needs a value`);
  }
  return parsed.values;
}

/** A whole number option in [min, max]; `fallback` when absent. */
export function wholeNumber(
  option: string,
  text: string | undefined,
  fallback: number,
  range: { readonly min: number; readonly max?: number },
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(text) || value < range.min || value > max)
    throw new UsageError(
      `${option} must be a whole number from ${range.min}${range.max === undefined ? "" : ` to ${range.max}`}, got ${JSON.stringify(text)}`,
    );
  return value;
}

export interface AccountOptions {
  readonly profile: string | undefined;
  /** Empty: the Region the SDK finds (AWS_REGION, the profile's region). */
  readonly regions: readonly string[];
  readonly exceptionsFile: string | undefined;
  /** Undefined: the list's own (an app's), else the default. */
  readonly maxExceptionDays: number | undefined;
  readonly help: boolean;
}

/** The account options out of parsed values. */
export function accountOptionsOf(values: {
  profile?: string;
  region?: string[];
  exceptions?: string;
  "max-exception-days"?: string;
  help?: boolean;
}): AccountOptions {
  const regions = (values.region ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "")
    .map(requireKnownRegion);
  return {
    profile: values.profile,
    regions: [...new Set(regions)],
    exceptionsFile: values.exceptions,
    maxExceptionDays:
      values["max-exception-days"] === undefined
        ? undefined
        : wholeNumber("--max-exception-days", values["max-exception-days"], DEFAULT_MAX_EXCEPTION_DAYS, {
            min: 1,
          }),
    help: values.help ?? false,
  };
}
