import { systemClock } from "../../lambda/adapters/clock";
import { sdkClients } from "../remediate/clients";
import { knownProfiles } from "./profiles";
import { readTextFile, runScan, type ScanClients, writeTextFile } from "./runScan";

/**
 * Credentials, Region and endpoints come the standard SDK way; a profile, when named, is the SDK's own. The
 * same clients as `remediate`, with the function's connection and request timeouts.
 */
function sdkClientsFor(profile: string | undefined): ScanClients {
  return sdkClients(profile);
}

runScan(process.argv.slice(2), {
  clientsFor: sdkClientsFor,
  knownProfiles: () => knownProfiles(process.env),
  envProfile: process.env.AWS_PROFILE || undefined,
  readTextFile,
  writeTextFile,
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: process.stderr,
}).then((status) => {
  process.exitCode = status;
});
