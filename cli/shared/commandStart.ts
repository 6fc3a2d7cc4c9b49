import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { type ExceptionList, NO_EXCEPTIONS } from "../../lambda/core/index";
import { type Clock, errorText } from "../../lambda/index";
import {
  APP_FILE,
  describeList,
  exceptionWarnings,
  maximumFor,
  readExceptionsSource,
  reviewSource,
} from "./approvedExceptionsFile";
import type { CommandClients, Connection } from "./clients";
import { CommandFailure, EXIT, type UsageError } from "./command";
import type { ProgressStream } from "./progress";

/** What every account command does first: the profile, the exceptions file, the account and its Regions. */
export interface CommandStartEnvironment {
  readonly knownProfiles: () => Promise<ReadonlySet<string>>;
  readonly readTextFile: (path: string) => Promise<string>;
  readonly stderr: { write(text: string): unknown };
  readonly clock: Pick<Clock, "now">;
}

/** What an account command (scan, remediate) is given: its AWS clients, the user's files, the clock, the streams. */
export interface AccountCommandEnvironment extends CommandStartEnvironment {
  readonly clientsFor: (profile: string | undefined, connection?: Connection) => CommandClients;
  /** AWS_PROFILE, which the SDK uses when no --profile is given. */
  readonly envProfile: string | undefined;
  /** Writes a file, creating its directory (`--out`). */
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
  readonly clock: Clock;
  readonly stdout: (text: string) => void;
  readonly stderr: ProgressStream;
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
      { exitCode: EXIT.configuration },
    );
  }
}

/**
 * The approved list the command applies: `--exceptions FILE` when given, else the app's (`cdk.json` in the
 * directory the command runs in), else none. It is reviewed as synth and the rule review it (format, the app's
 * maximum duration, organization mode): invalid entries exempt nothing. Which list is used goes to stderr.
 */
export async function loadApprovedExceptions(
  options: { readonly exceptionsFile: string | undefined; readonly maxExceptionDays: number | undefined },
  env: Pick<CommandStartEnvironment, "readTextFile" | "stderr" | "clock">,
): Promise<ExceptionList> {
  const path = options.exceptionsFile ?? APP_FILE;
  let text: string;
  try {
    text = await env.readTextFile(path);
  } catch (error) {
    if (options.exceptionsFile === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") {
      env.stderr.write(`exceptions: none (no --exceptions FILE, and no ${APP_FILE} in this directory)\n`);
      return NO_EXCEPTIONS;
    }
    throw new CommandFailure(`cannot read the exceptions file ${path}: ${errorText(error)}`, {
      // A file named with --exceptions is a bad value; the app's own cdk.json is the configuration.
      exitCode: options.exceptionsFile === undefined ? EXIT.configuration : EXIT.usage,
      cause: error,
    });
  }
  const source = readExceptionsSource(
    text,
    path,
    options.exceptionsFile === undefined ? EXIT.configuration : EXIT.usage,
  );
  const maxDurationDays = maximumFor(source, path, options.maxExceptionDays);
  const now = new Date(env.clock.now());
  const review = reviewSource(source, { now, maxDurationDays, organization: source.organization });
  env.stderr.write(`exceptions: ${describeList(source, path, maxDurationDays)}\n`);
  for (const warning of exceptionWarnings(review, now)) env.stderr.write(`warning: ${warning}\n`);
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
