import { type ParseArgsConfig, parseArgs } from "node:util";
import { partition } from "@aws-sdk/core/client";
import { closest, distance } from "fastest-levenshtein";
import { DEFAULT_MAX_EXCEPTION_DAYS, REGION_PATTERN } from "../../lambda/core/index";
import { ProductionRuleError } from "../../lambda/index";
import {
  DEFAULT_PRODUCTION_RULES,
  type ProductionRule,
  parseProductionRule,
} from "../../lambda/remediation/index";
import { UsageError } from "./command";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export type ParsedValues<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
>["values"];

/** The options every account command takes: where to look and which exceptions apply. */
export const ACCOUNT_OPTIONS = {
  profile: { type: "string", multiple: true },
  region: { type: "string", multiple: true },
  exceptions: { type: "string" },
  "max-exception-days": { type: "string" },
  "endpoint-url": { type: "string" },
  debug: { type: "boolean" },
  quiet: { type: "boolean" },
  "no-color": { type: "boolean" },
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
  "  --endpoint-url URL      send every AWS request to this URL instead of the service's (as the AWS CLI's)",
  "  --debug                 print each AWS request and its answer, and a failure's stack, to stderr",
  "  --quiet                 print only the result and errors: no progress, no list or warning lines",
  "  --no-color              no colour in tables (also NO_COLOR=1); colour is used only on a terminal",
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
    throw new UsageError(parseErrorText(error, options), { cause: error });
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

/** `--regoin` → `--region`: the known option a mistyped one most likely meant, if one is close enough. */
export function suggestOption(typed: string, known: readonly string[]): string | undefined {
  const name = typed.replace(/^-+/, "").split("=")[0] ?? "";
  if (name === "" || known.length === 0) return undefined;
  const best = closest(name, [...known]);
  const prefix = known.find((option) => option.startsWith(name) || name.startsWith(option));
  if (prefix !== undefined) return `--${prefix}`;
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? `--${best}` : undefined;
}

/** Node's parseArgs messages suggest `--` for positionals the commands never take: say it as a person would. */
function parseErrorText(error: unknown, options: Options): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const typed = /'([^']+)'/.exec(message)?.[1] ?? message;
    const suggestion = suggestOption(typed, Object.keys(options));
    return `unknown option ${typed}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return message.replace(/ To specify.*$/s, "");
  return message;
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

/** `--batch-size`: services per batch, default 10. */
export function parseBatchSize(text: string | undefined): number {
  return wholeNumber("--batch-size", text, 10, { min: 1 });
}

/** `--production RULE`s, parsed; none: the default rules. */
export function productionRulesOf(options: readonly string[]): readonly ProductionRule[] {
  try {
    return options.length === 0 ? DEFAULT_PRODUCTION_RULES : options.map(parseProductionRule);
  } catch (error) {
    if (error instanceof ProductionRuleError)
      throw new UsageError(`--production: ${error.message}`, { cause: error });
    throw error;
  }
}

export interface AccountOptions {
  /** The first `--profile` (the only one, for a command that acts on one account). */
  readonly profile: string | undefined;
  /** Every `--profile`, in order, without repeats. */
  readonly profiles: readonly string[];
  /** `--endpoint-url`: every AWS request goes there. */
  readonly endpointUrl: string | undefined;
  readonly debug: boolean;
  readonly quiet: boolean;
  /** `--no-color`; NO_COLOR and a non-terminal stdout turn colour off too. */
  readonly noColor: boolean;
  /** Empty: the Region the SDK finds (AWS_REGION, the profile's region). */
  readonly regions: readonly string[];
  readonly exceptionsFile: string | undefined;
  /** Undefined: the list's own (an app's), else the default. */
  readonly maxExceptionDays: number | undefined;
  readonly help: boolean;
}

/** The account options out of parsed values. */
export function accountOptionsOf(values: {
  profile?: string[];
  region?: string[];
  exceptions?: string;
  "max-exception-days"?: string;
  "endpoint-url"?: string;
  debug?: boolean;
  quiet?: boolean;
  "no-color"?: boolean;
  help?: boolean;
}): AccountOptions {
  const regions = (values.region ?? [])
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter((text) => text !== "")
    .map(requireKnownRegion);
  const profiles = [...new Set(values.profile ?? [])];
  return {
    profile: profiles[0],
    profiles,
    endpointUrl: values["endpoint-url"] === undefined ? undefined : endpointUrl(values["endpoint-url"]),
    debug: values.debug ?? false,
    quiet: values.quiet ?? false,
    noColor: values["no-color"] ?? false,
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

/** An http(s) URL with a host and nothing after the path, as the AWS CLI takes it; else a UsageError naming it. */
export function endpointUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(`--endpoint-url ${JSON.stringify(text)} is not a URL`, { cause: error });
  }
  if (
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.hostname === "" ||
    url.search ||
    url.hash
  )
    throw new UsageError(
      `--endpoint-url ${JSON.stringify(text)} must be an http:// or https:// URL with a host`,
    );
  return text;
}
