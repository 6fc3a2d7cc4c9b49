import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { STSClient } from "@aws-sdk/client-sts";
import { type HttpTimeouts, httpTimeouts } from "../../lambda/index";
import { nameEndpointInErrors } from "./endpointErrors";

/**
 * The commands' request timeout: half the function's, so a call to an endpoint that accepts and never
 * answers gives up within about a minute, retries included (the AWS CLI waits 60 s): ECS calls go through
 * the rule's retry policy (6 attempts, at most 7.75 s of backoff), STS through the SDK's (3 attempts).
 */
export const COMMAND_REQUEST_TIMEOUT_MS = 10_000;

/**
 * SDK clients for one profile (`undefined`: the default credential chain) and Region, with the function's
 * connection timeout. The remediation's own pacing retries ECS, Elastic Load Balancing and EC2
 * calls, so the SDK must not retry underneath it. An error that never reached a service names the service
 * and the endpoint it tried.
 */
export function sdkClients(
  profile: string | undefined,
  timeouts: HttpTimeouts = httpTimeouts(COMMAND_REQUEST_TIMEOUT_MS),
) {
  const base = { ...(profile === undefined ? {} : { profile }), requestHandler: timeouts };
  return {
    ecs: (region: string) => nameEndpointInErrors(new ECSClient({ ...base, region, maxAttempts: 1 }), "ECS"),
    elb: (region: string) =>
      nameEndpointInErrors(
        new ElasticLoadBalancingV2Client({ ...base, region, maxAttempts: 1 }),
        "Elastic Load Balancing",
      ),
    ec2: (region: string) => nameEndpointInErrors(new EC2Client({ ...base, region, maxAttempts: 1 }), "EC2"),
    sts: (region: string) => nameEndpointInErrors(new STSClient({ ...base, region, maxAttempts: 3 }), "STS"),
    defaultRegion: () => new STSClient(base).config.region(),
  };
}
