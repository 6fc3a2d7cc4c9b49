import { createInterface } from "node:readline/promises";
import { systemClock } from "../../lambda/adapters/clock";
import { knownProfiles } from "../scan/profiles";
import { readTextFile, writeTextFile } from "../scan/runScan";
import { sdkClients } from "./clients";
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

/** `npm run remediate -- ...`: the exit status, for a dispatcher or for the script below. */
export function main(argv: readonly string[]): Promise<number> {
  return runRemediate(argv, {
    clientsFor: sdkClients,
    knownProfiles: () => knownProfiles(process.env),
    envProfile: process.env.AWS_PROFILE || undefined,
    readTextFile,
    writeTextFile,
    journalAt: (path) => new JournalFile(path),
    confirm,
    clock: systemClock,
    stdout: (text) => process.stdout.write(text),
    stderr: process.stderr,
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
