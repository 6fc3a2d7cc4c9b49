import { ECSClient } from "@aws-sdk/client-ecs";
import { STSClient } from "@aws-sdk/client-sts";
import { systemClock } from "../../lambda/adapters/clock";
import { sdkClients } from "../remediate/clients";
import { knownProfiles } from "./profiles";
import { readTextFile, runScan, type ScanClients, writeTextFile } from "./runScan";

/** Credentials, Region and endpoints come the standard SDK way; a profile, when named, is the SDK's own. */
function sdkClientsFor(profile: string | undefined): ScanClients {
  const base = profile === undefined ? {} : { profile };
  return {
    // The adapters retry with the token buckets; the SDK must not retry underneath them.
    ecs: (region) => new ECSClient({ ...base, region, maxAttempts: 1 }),
    sts: (region) => new STSClient({ ...base, region, maxAttempts: 3 }),
    defaultRegion: () => new STSClient(base).config.region(),
    // The fix plan's reads of load balancers and public IPs.
    elb: (region) => sdkClients(profile).elb(region),
    ec2: (region) => sdkClients(profile).ec2(region),
  };
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
