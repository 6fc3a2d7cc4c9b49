import { systemClock } from "../../lambda/index";
import { sdkClients } from "../shared/clients";
import type { Command } from "../shared/command";
import { knownProfiles } from "../shared/profiles";
import { terminalOf } from "../shared/terminal";
import { processUserFiles } from "../shared/userFiles";
import { HELP } from "./arguments";
import { runScan } from "./runScan";

/**
 * `ecs-pid-mode scan`. Credentials, Region and endpoints come the standard SDK way; a profile, when named, is
 * the SDK's own. The same clients as `remediate`, with timeouts that give up on a dead endpoint.
 */
export const scanCommand: Command = {
  name: "scan",
  summary: "read-only: judge what RUNNING tasks use in your account, as the rule does (and plan the fix)",
  help: HELP,
  run: (argv) =>
    runScan(argv, {
      clientsFor: (profile, connection) => sdkClients(profile, connection),
      knownProfiles: () => knownProfiles(),
      envProfile: process.env.AWS_PROFILE || undefined,
      ...processUserFiles(),
      clock: systemClock,
      stdout: (text) => process.stdout.write(text),
      stderr: process.stderr,
      terminal: terminalOf(process.stdout, process.env),
    }),
};
