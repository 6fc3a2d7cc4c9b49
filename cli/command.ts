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

export const EXIT = {
  ok: 0,
  /** Something failed, or (scan) part of the account could not be read. */
  failed: 1,
  /** The scan found something NON_COMPLIANT. */
  nonCompliant: 2,
  /** The command line is wrong; nothing was done. The AWS CLI uses the same code for it. */
  usage: 252,
} as const;

/** A command line the command cannot run: it prints the usage and exits with `EXIT.usage`. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The lines every command's help ends with. */
export const COMMON_EXIT_CODES = `  ${EXIT.usage}  the command line is wrong (unknown option, bad value); nothing was done`;
