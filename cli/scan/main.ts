import { ECSClient } from "@aws-sdk/client-ecs";
import { STSClient } from "@aws-sdk/client-sts";
import { systemClock } from "../../lambda/adapters/clock";
import { knownProfiles } from "./profiles";
import { readTextFile, runScan, type ScanClients } from "./runScan";

/** Credentials, Region and endpoints come the standard SDK way; a profile, when named, is the SDK's own. */
function sdkClientsFor(profile: string | undefined): ScanClients {
  const base = profile === undefined ? {} : { profile };
  return {
    // The adapters retry with the token buckets; the SDK must not retry underneath them.
    ecs: (region) => new ECSClient({ ...base, region, maxAttempts: 1 }),
    sts: (region) => new STSClient({ ...base, region, maxAttempts: 3 }),
    defaultRegion: () => new STSClient(base).config.region(),
  };
}

runScan(process.argv.slice(2), {
  clientsFor: sdkClientsFor,
  knownProfiles: () => knownProfiles(process.env),
  envProfile: process.env.AWS_PROFILE || undefined,
  readTextFile,
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: process.stderr,
}).then((status) => {
  process.exitCode = status;
});
