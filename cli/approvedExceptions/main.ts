import { systemClock } from "../../lambda/index";
import type { Command } from "../shared/command";
import { processUserFiles } from "../shared/userFiles";
import { HELP } from "./arguments";
import { runExceptions } from "./runExceptions";

/** `ecs-pid-mode exceptions`. */
export const exceptionsCommand: Command = {
  name: "exceptions",
  summary:
    "list, add or expire approved exceptions in cdk.json (or a file you name), checked as synth checks them",
  help: HELP,
  run: (argv) =>
    runExceptions(argv, {
      ...processUserFiles(),
      clock: systemClock,
      stdout: (text) => process.stdout.write(text),
      stderr: process.stderr,
    }),
};
