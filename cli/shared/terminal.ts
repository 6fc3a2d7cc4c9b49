// How the commands present text on a terminal: colour for verdicts (only on a terminal, never with --no-color
// or NO_COLOR), tables that fit its width, and --quiet's filter. Pure text in, text out: the streams are given.
import type { ProgressStream } from "./progress";

/** What the process knows about where stdout goes. */
export interface Terminal {
  /** stdout is a terminal (not a file or a pipe). */
  readonly stdoutIsTTY: boolean;
  /** Its width in characters, when it is a terminal. */
  readonly columns?: number | undefined;
  /** NO_COLOR is set to a non-empty value (no-color.org). */
  readonly noColorEnv: boolean;
}

/** Not a terminal: no colour, no width. What tests and pipes get. */
export const NO_TERMINAL: Terminal = { stdoutIsTTY: false, noColorEnv: false };

export function terminalOf(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): Terminal {
  return {
    stdoutIsTTY: stdout.isTTY === true,
    columns: stdout.columns,
    noColorEnv: (env.NO_COLOR ?? "") !== "",
  };
}

export interface Presentation {
  readonly colour: boolean;
  /** The width tables wrap their last column to; undefined: no limit. */
  readonly width: number | undefined;
}

export function presentationFor(terminal: Terminal, options: { readonly noColor: boolean }): Presentation {
  return {
    colour: terminal.stdoutIsTTY && !terminal.noColorEnv && !options.noColor,
    width: terminal.stdoutIsTTY ? terminal.columns : undefined,
  };
}

const COLOURS: Record<string, string> = {
  NON_COMPLIANT: "\u001b[31m",
  INSUFFICIENT_DATA: "\u001b[33m",
  COMPLIANT: "\u001b[32m",
  NOT_APPLICABLE: "\u001b[2m",
};
const RESET = "\u001b[0m";

/** Colours each verdict word (NON_COMPLIANT red, INSUFFICIENT_DATA yellow, COMPLIANT green, NOT_APPLICABLE dim). */
export function paintVerdicts(text: string, presentation: Presentation): string {
  if (!presentation.colour) return text;
  return text.replace(
    /\b(NON_COMPLIANT|INSUFFICIENT_DATA|COMPLIANT|NOT_APPLICABLE)\b/g,
    (word) => `${COLOURS[word] ?? ""}${word}${RESET}`,
  );
}

/** --quiet: only `error:` lines reach the stream, and it is never treated as a terminal (no progress). */
export function errorsOnly(stream: ProgressStream): ProgressStream {
  return {
    isTTY: false,
    write: (text: string) => {
      const lines = text.split("\n").filter((line) => line.startsWith("error:"));
      if (lines.length > 0) stream.write(`${lines.join("\n")}\n`);
      return true;
    },
  };
}

/** `--quiet`: the environment with its stderr reduced to error lines; the result still goes to stdout. */
export function quietIf<T extends { readonly stderr: ProgressStream }>(quiet: boolean, env: T): T {
  return quiet ? { ...env, stderr: errorsOnly(env.stderr) } : env;
}
