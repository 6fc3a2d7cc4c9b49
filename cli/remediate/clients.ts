import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { STSClient } from "@aws-sdk/client-sts";
import { httpTimeouts } from "../../lambda/adapters/sdkClientOptions";

/**
 * SDK clients for one profile (`undefined`: the default credential chain) and Region. The remediation's own
 * pacing retries ECS, Elastic Load Balancing and EC2 calls, so the SDK must not retry underneath it.
 */
export function sdkClients(profile: string | undefined) {
  const base = { ...(profile === undefined ? {} : { profile }), requestHandler: httpTimeouts() };
  return {
    ecs: (region: string) => new ECSClient({ ...base, region, maxAttempts: 1 }),
    elb: (region: string) => new ElasticLoadBalancingV2Client({ ...base, region, maxAttempts: 1 }),
    ec2: (region: string) => new EC2Client({ ...base, region, maxAttempts: 1 }),
    sts: (region: string) => new STSClient({ ...base, region, maxAttempts: 3 }),
    defaultRegion: () => new STSClient(base).config.region(),
  };
}
