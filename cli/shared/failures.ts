import { errorText, MissingPermissionError } from "../../lambda/index";
import {
  type AccountCommandFrame,
  type AccountOptionsShape,
  CommandFailure,
  EXIT,
  type ExitCode,
  UsageError,
} from "./command";
import { usageErrorText } from "./commandStart";

/** The read-only permissions the scan uses. */
export const SCAN_PERMISSIONS =
  "ecs:ListClusters, ecs:ListTasks, ecs:DescribeTasks, ecs:DescribeTaskDefinition, ecs:ListDaemons, " +
  "ecs:DescribeDaemon, ecs:DescribeDaemonRevisions, ecs:DescribeDaemonTaskDefinition and sts:GetCallerIdentity";

const HINTS: readonly {
  readonly pattern: RegExp;
  readonly exitCode: ExitCode;
  readonly hint: (profile: string | undefined, text: string) => string;
}[] = [
  {
    pattern: /Could not load credentials|Could not resolve credentials|CredentialsProviderError/,
    exitCode: EXIT.configuration,
    hint: (profile) =>
      profile === undefined
        ? "no AWS credentials found: run `aws configure` or `aws sso login`, set AWS_PROFILE, or pass --profile NAME"
        : `no credentials for profile ${profile}: run \`aws sso login --profile ${profile}\` or \`aws configure --profile ${profile}\``,
  },
  {
    pattern: /Region is missing/,
    exitCode: EXIT.configuration,
    hint: () => "no AWS Region: pass --region REGION, set AWS_REGION, or give the profile a region",
  },
  {
    pattern: /AccessDenied|UnauthorizedOperation|not authorized to perform/,
    exitCode: EXIT.serviceError,
    hint: () => `access denied: the scan needs the read-only permissions ${SCAN_PERMISSIONS}`,
  },
  {
    pattern:
      /InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException/,
    exitCode: EXIT.serviceError,
    hint: () => "the AWS credentials are not valid: check the access key or the profile",
  },
  {
    pattern: /ExpiredToken|TokenRefreshRequired|RequestExpired|expired/i,
    exitCode: EXIT.serviceError,
    hint: (profile) =>
      `the AWS credentials have expired: sign in again (\`aws sso login${profile ? ` --profile ${profile}` : ""}\`)`,
  },
  {
    pattern: /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|EHOSTUNREACH|ENETUNREACH/,
    exitCode: EXIT.failed,
    // The error names the service and the endpoint it tried (cli/shared/endpointErrors.ts).
    hint: (_profile, text) =>
      `cannot reach AWS (${text}): check the network, the Region name and any AWS_ENDPOINT_URL settings`,
  },
];

/** What a person should do about a failure, in one line; `undefined` when there is no better word than the error's. */
export function hintFor(text: string, profile: string | undefined): string | undefined {
  return HINTS.find(({ pattern }) => pattern.test(text))?.hint(profile, text);
}

/** One line for an error that stops the scan: the hint when there is one, else the error itself. No stack. */
export function explainFailure(error: unknown, profile: string | undefined): string {
  return failureOutcome(error, profile).line;
}

/** An error with an HTTP status: the service answered, and refused. */
function answeredWithError(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === "number" && status >= 400;
}

/**
 * What a failure that stops a command prints (one line, no stack) and the exit code it ends with, as the AWS
 * CLI would: 253 for the configuration, 254 when a service refused, 1 otherwise.
 */
export function failureOutcome(
  error: unknown,
  profile: string | undefined,
): { line: string; exitCode: ExitCode } {
  if (error instanceof CommandFailure) return { line: error.message, exitCode: error.exitCode };
  const text = errorText(error);
  if (error instanceof MissingPermissionError) return { line: text, exitCode: EXIT.serviceError };
  const known = HINTS.find(({ pattern }) => pattern.test(text));
  if (known !== undefined) return { line: known.hint(profile, text), exitCode: known.exitCode };
  return { line: text, exitCode: answeredWithError(error) ? EXIT.serviceError : EXIT.failed };
}

/** With `--debug` on the command line, the failure's stack (and its causes') after the one line; else nothing. */
export function debugStack(argv: readonly string[], error: unknown): string {
  if (!argv.includes("--debug")) return "";
  const stacks: string[] = [];
  for (let current: unknown = error; current instanceof Error && stacks.length < 5; current = current.cause)
    stacks.push(current.stack ?? String(current));
  return `${stacks.join("\ncaused by: ")}\n`;
}

/**
 * What a command prints on stderr for the error that stopped it, and the status it ends with: a UsageError's
 * problem and the usage, else one line (and, with `--debug` in `argv`, the stacks).
 */
export function reportFailure(
  error: unknown,
  command: {
    readonly name: string;
    readonly usage: string;
    readonly argv: readonly string[];
    readonly profile: string | undefined;
  },
  stderr: { write(text: string): unknown },
): number {
  if (error instanceof UsageError) {
    stderr.write(usageErrorText(error, command.usage, command.name));
    return EXIT.usage;
  }
  const { line, exitCode } = failureOutcome(error, command.profile);
  stderr.write(`error: ${line}\n${debugStack(command.argv, error)}`);
  return exitCode;
}

/**
 * What every account command does around its work: parses the arguments, answers `--help`, and turns what the
 * work throws into a line on stderr and the exit status.
 */
export async function runAccountCommand<O extends AccountOptionsShape>(
  argv: readonly string[],
  env: {
    readonly stdout: (text: string) => void;
    readonly stderr: { write(text: string): unknown };
    readonly envProfile: string | undefined;
  },
  frame: AccountCommandFrame<O>,
): Promise<number> {
  let profile: string | undefined;
  try {
    const options = frame.parse(argv);
    if (options.help) {
      env.stdout(`${frame.help}\n`);
      return EXIT.ok;
    }
    profile = options.profile ?? env.envProfile;
    return await frame.run(options, profile);
  } catch (error) {
    return (
      frame.reportOwn?.(error) ??
      reportFailure(error, { name: frame.name, usage: frame.usage, argv, profile }, env.stderr)
    );
  }
}
