import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { errorText } from "../lambda/adapters/retry";
import { type ExceptionList, NO_EXCEPTIONS, parseExceptionList } from "../lambda/core/exceptions";

/** A failure the command explains in one line of its own (not an AWS error to be explained). */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}

/** What every account command does first: the profile, the exceptions file, the account and its Regions. */
export interface CommandStartEnvironment {
  readonly knownProfiles: () => Promise<ReadonlySet<string>>;
  readonly readTextFile: (path: string) => Promise<string>;
  readonly stderr: { write(text: string): unknown };
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

/** The exceptions file (the rule's SSM parameter format); its invalid entries are warned about, not used. */
export async function loadExceptionsFile(
  path: string | undefined,
  env: Pick<CommandStartEnvironment, "readTextFile" | "stderr">,
): Promise<ExceptionList> {
  if (!path) return NO_EXCEPTIONS;
  let text: string;
  try {
    text = await env.readTextFile(path);
  } catch (error) {
    throw new CommandFailure(`cannot read the exceptions file ${path}: ${errorText(error)}`);
  }
  let exceptions: ExceptionList;
  try {
    exceptions = parseExceptionList(JSON.parse(text));
  } catch (error) {
    throw new CommandFailure(
      `the exceptions file ${path} is not a JSON array of exceptions: ${errorText(error)}`,
    );
  }
  for (const invalid of exceptions.invalid) {
    env.stderr.write(
      `warning: exception #${invalid.index} is invalid and exempts nothing: ${invalid.problems.join("; ")}\n`,
    );
  }
  return exceptions;
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
