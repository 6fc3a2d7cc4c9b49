import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { type Clock, type ExceptionList, errorText, NO_EXCEPTIONS } from "../lambda/index";
import type { UsageError } from "./command";
import { exceptionWarnings, readExceptionsDocument } from "./exceptions/exceptionsFile";

/** A failure the command explains in one line of its own (not an AWS error to be explained). */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}

/** What every account command does first: the profile, the exceptions file, the account and its Regions. */
export interface CommandStartEnvironment {
  readonly knownProfiles: () => Promise<ReadonlySet<string>>;
  readonly readTextFile: (path: string) => Promise<string>;
  readonly stderr: { write(text: string): unknown };
  readonly clock: Pick<Clock, "now">;
}

/** What a usage error prints: the problem, the usage, and where the full help is. */
export function usageErrorText(error: UsageError, usage: string, command: string): string {
  return `error: ${error.message}\n${usage}\nRun \`ecs-pid-mode ${command} --help\` for every option.\n`;
}

export async function requireKnownProfile(
  profile: string | undefined,
  env: Pick<CommandStartEnvironment, "knownProfiles">,
): Promise<void> {
  if (profile !== undefined && !(await env.knownProfiles()).has(profile)) {
    throw new CommandFailure(
      `unknown profile ${profile}: it is in neither the AWS config nor the credentials file (\`aws configure list-profiles\` lists the known ones)`,
    );
  }
}

/**
 * The exceptions file (the rule's SSM parameter format), checked as synth checks it: entries that are invalid
 * or run past the maximum duration are warned about and exempt nothing; lapsed and lapsing ones are warned about.
 */
export async function loadExceptionsFile(
  options: { readonly exceptionsFile: string | undefined; readonly maxExceptionDays: number },
  env: Pick<CommandStartEnvironment, "readTextFile" | "stderr" | "clock">,
): Promise<ExceptionList> {
  const path = options.exceptionsFile;
  if (!path) return NO_EXCEPTIONS;
  let text: string;
  try {
    text = await env.readTextFile(path);
  } catch (error) {
    throw new CommandFailure(`cannot read the exceptions file ${path}: ${errorText(error)}`);
  }
  const review = readExceptionsDocument(text, path, {
    now: new Date(env.clock.now()),
    maxDurationDays: options.maxExceptionDays,
  });
  for (const warning of exceptionWarnings(review, new Date(env.clock.now())))
    env.stderr.write(`warning: ${warning}\n`);
  return { approved: review.approved, invalid: review.invalid };
}

/** The Regions asked for (or the SDK's), and the account the credentials belong to. */
export async function accountAndRegions(
  clients: { sts(region: string): Pick<STSClient, "send">; defaultRegion(): Promise<string> },
  asked: readonly string[],
): Promise<{ accountId: string; regions: readonly string[] }> {
  const regions = asked.length > 0 ? asked : [await clients.defaultRegion()];
  const identity = await clients.sts(regions[0] as string).send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new CommandFailure("sts:GetCallerIdentity returned no account id");
  return { accountId: identity.Account, regions };
}
