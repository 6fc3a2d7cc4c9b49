import { EcsPidModeError } from "../../lambda/index";

/**
 * What every subcommand of `ecs-pid-mode` is, and the exit codes they share. The dispatcher (`cli/main.ts`)
 * prints the help and the version; each command reads its own options and wires its own collaborators.
 */
export interface Command {
  readonly name: string;
  /** One line for the command list of `ecs-pid-mode --help`. */
  readonly summary: string;
  /** The command's `--help`: every option, the exit codes and examples. */
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

/** What an account command's options have at least. */
export type AccountOptionsShape = { readonly help: boolean; readonly profile?: string | undefined };

/** An account command as its user meets it: its name, usage, help and how its arguments are read. */
export interface AccountCommandSurface<O extends AccountOptionsShape> {
  readonly name: string;
  readonly usage: string;
  readonly help: string;
  readonly parse: (argv: readonly string[]) => O;
}

/** An account command's surface and its work. */
export interface AccountCommandFrame<O extends AccountOptionsShape> extends AccountCommandSurface<O> {
  /** The command's work, given its options and the profile in effect (`--profile`, else `AWS_PROFILE`). */
  readonly run: (options: O, profile: string | undefined) => Promise<number>;
  /** A failure the command reports in its own words, with its exit status; `undefined` for the common report. */
  readonly reportOwn?: (error: unknown) => number | undefined;
}

/** The exit codes of every subcommand; 252 to 254 mean what they mean for the AWS CLI. */
export const EXIT = {
  ok: 0,
  /** Part of the account could not be read (what was read is still shown), or the work could not be done. */
  failed: 1,
  /** Something in use is NON_COMPLIANT. */
  nonCompliant: 2,
  /** The command line is wrong (unknown option, bad value, unreadable file named by an option); nothing was done. */
  usage: 252,
  /** The configuration is not usable: no credentials, an unknown profile, no Region, a broken cdk.json. */
  configuration: 253,
  /** An AWS service refused a request (access denied, invalid or expired credentials, a service error). */
  serviceError: 254,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A command line the command cannot run: it prints the usage and exits with `EXIT.usage`. */
export class UsageError extends EcsPidModeError {}

/** The lines every command's help ends with. */
export const COMMON_EXIT_CODES = [
  `  ${EXIT.usage}  the command line is wrong (unknown option, bad value, a file it names cannot be read); nothing was done`,
  `  ${EXIT.configuration}  the configuration is not usable (no credentials, unknown profile, no Region, a broken cdk.json)`,
  `  ${EXIT.serviceError}  an AWS service refused a request (access denied, invalid or expired credentials)`,
].join("\n");

/** A failure the command explains in one line of its own (not an AWS error to be explained), with its exit code. */
export class CommandFailure extends EcsPidModeError {
  readonly exitCode: ExitCode;

  constructor(message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? EXIT.failed;
  }
}

// Named as lambda/errors.ts names its classes, after their keys here: a name read off the class would not
// survive minification.
for (const [name, errorClass] of Object.entries({ UsageError, CommandFailure })) {
  Object.defineProperty(errorClass.prototype, "name", { value: name, writable: true, configurable: true });
}
