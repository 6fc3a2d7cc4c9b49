import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorText } from "../lambda/index";
import { exceptionsCommand } from "./approvedExceptions/main";
import { demoCommand } from "./demo/main";
import { remediateCommand } from "./remediate/main";
import { scanCommand } from "./scan/main";
import { COMMON_EXIT_CODES, type Command, EXIT } from "./shared/command";
import { suggestOption } from "./shared/commandLine";

export const COMMANDS: readonly Command[] = [scanCommand, remediateCommand, exceptionsCommand, demoCommand];

/** The package's version, from the package.json beside `cli/` (in a clone) or beside `dist/cli/` (installed). */
export function packageVersion(): string {
  for (const relative of ["..", "../.."]) {
    try {
      const manifest = JSON.parse(readFileSync(join(__dirname, relative, "package.json"), "utf8"));
      if (manifest.name === "ecs-pid-mode-in-use-rule") return manifest.version as string;
    } catch {
      // not this one
    }
  }
  return "unknown";
}

export function mainHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "usage: ecs-pid-mode <command> [options]",
    "       ecs-pid-mode <command> --help",
    "       ecs-pid-mode --help | --version",
    "",
    "ECS task definitions in use must not share the host's process namespace (Security Hub ECS.3).",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Exit codes (each command's --help has its own):",
    `  ${EXIT.ok}    done`,
    `  ${EXIT.failed}    failed (the message says why)`,
    `  ${EXIT.nonCompliant}    something in use is NON_COMPLIANT`,
    COMMON_EXIT_CODES,
    "",
    "Examples:",
    "  ecs-pid-mode demo",
    "  ecs-pid-mode scan --region eu-west-1",
    "  ecs-pid-mode scan --json | jq .verdicts",
    "  ecs-pid-mode exceptions list",
  ].join("\n");
}

export interface MainIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The one entry point: picks the command, or prints the help or the version. Returns the exit status. */
export async function main(
  argv: readonly string[],
  io: MainIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    const command = commands.find((candidate) => candidate.name === rest[0]);
    io.stdout(`${command?.help ?? mainHelp(commands)}\n`);
    return EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (name?.startsWith("-")) {
    const suggestion = suggestOption(name, ["help", "version"]);
    io.stderr(
      `error: unknown option ${name}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}; options go after the command\n${mainHelp(commands)}\n`,
    );
    return EXIT.usage;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(
      `error: ${name === undefined ? "no command given" : `unknown command ${JSON.stringify(name)}`}\n${mainHelp(commands)}\n`,
    );
    return EXIT.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    io.stderr(`error: ${command.name} failed: ${errorText(error)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((status) => {
    process.exitCode = status;
  });
}
