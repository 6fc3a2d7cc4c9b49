import { ParameterTier } from "aws-cdk-lib/aws-ssm";
import { type ExceptionEntry, parseExceptionList } from "../lambda/core/exceptions";

const DAY_MS = 86_400_000;
/** SSM String parameter limits: Standard holds 4 KB, Advanced 8 KB. */
const STANDARD_TIER_BYTES = 4096;
const ADVANCED_TIER_BYTES = 8192;

export type { ExceptionEntry };

export class InvalidExceptionsError extends Error {
  override name = "InvalidExceptionsError";
}

function label(entry: unknown, index: number): string {
  const target =
    typeof entry === "object" && entry !== null && "taskDefinition" in entry
      ? ` (${JSON.stringify((entry as { taskDefinition: unknown }).taskDefinition)})`
      : "";
  return `exceptions[${index}]${target}`;
}

/**
 * The synth-time gate for declared exceptions: the rule's own format check (owner, reason, target, a real
 * calendar date) plus a bound on how far away the expiry date may be. A bad entry fails synthesis with a
 * message naming it; an already expired entry is accepted (the rule reports it as lapsed).
 */
export function checkExceptions(
  entries: unknown,
  options: { readonly maxDurationDays: number; readonly now: Date },
): ExceptionEntry[] {
  if (!Array.isArray(entries)) {
    throw new InvalidExceptionsError(
      "exceptions must be an array of {taskDefinition, owner, expires, reason, accountIds?}",
    );
  }
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const lastAllowedDay = today + options.maxDurationDays * DAY_MS;
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const { approved, invalid } = parseExceptionList([entry]);
    for (const { problems: found } of invalid) problems.push(`${label(entry, index)}: ${found.join("; ")}`);
    for (const exception of approved) {
      if (exception.endsAt.getTime() - DAY_MS > lastAllowedDay) {
        problems.push(
          `${label(entry, index)}: expires ${exception.expires}, more than maxExceptionDays (${options.maxDurationDays}) days from today`,
        );
      }
    }
  });
  if (problems.length > 0) throw new InvalidExceptionsError(problems.join("\n"));
  return entries as ExceptionEntry[];
}

/** The parameter tier a value needs; beyond Advanced's 8 KB it cannot be stored in one parameter. */
export function parameterTierFor(value: string): ParameterTier {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes <= STANDARD_TIER_BYTES) return ParameterTier.STANDARD;
  if (bytes <= ADVANCED_TIER_BYTES) return ParameterTier.ADVANCED;
  throw new InvalidExceptionsError(
    `exceptions: the JSON is ${bytes} bytes, more than the 8192 an SSM parameter holds; shorten reasons or merge entries`,
  );
}
