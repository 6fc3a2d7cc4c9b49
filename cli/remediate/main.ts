import { createInterface } from "node:readline/promises";
import { systemClock } from "../../lambda/index";
import { sdkClients } from "../shared/clients";
import type { Command } from "../shared/command";
import { knownProfiles } from "../shared/profiles";
import { processUserFiles } from "../shared/userFiles";
import { HELP } from "./arguments";
import { JournalFile } from "./journalFile";
import { runRemediate } from "./runRemediate";

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stderr.write(
      "error: not run from a terminal, so nobody can confirm: pass --yes to apply without asking\n",
    );
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** `ecs-pid-mode remediate`. */
export const remediateCommand: Command = {
  name: "remediate",
  summary: "move the services of one wave of the fix plan to revisions without pidMode (dry run by default)",
  help: HELP,
  run: (argv) => {
    const files = processUserFiles();
    return runRemediate(argv, {
      clientsFor: (profile, connection) => sdkClients(profile, connection),
      knownProfiles: () => knownProfiles(),
      envProfile: process.env.AWS_PROFILE || undefined,
      ...files,
      journalAt: (path) => new JournalFile(files.resolve(path)),
      confirm,
      clock: systemClock,
      stdout: (text) => process.stdout.write(text),
      stderr: process.stderr,
    });
  },
};
