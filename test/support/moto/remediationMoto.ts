import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { STSClient } from "@aws-sdk/client-sts";
import { httpTimeouts } from "../../../lambda/adapters/sdkClientOptions";
import { keepTasksRunning, startMoto } from "./motoServer";
import { playEcsScheduler, seedRemediationAccount } from "./remediationAccount";

export const REMEDIATION_REGION = "us-east-1";

type WrapEcs = (client: ECSClient) => ECSClient;

export type RemediationMoto = Awaited<ReturnType<typeof startRemediationMoto>>;

/**
 * moto_server holding the remediation account (see remediationAccount.ts), and real SDK clients on it: `ecs` for
 * the tests to read ECS and play its scheduler, and the clients `remediate`, `scan` and the Config remediation
 * build, whose ECS client plays ECS's part after UpdateService. `wrapEcs` adds to that client, e.g. a middleware
 * that records or fails calls.
 */
export async function startRemediationMoto() {
  const moto = await startMoto();
  const config = () => ({
    region: REMEDIATION_REGION,
    endpoint: moto.url,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    requestHandler: httpTimeouts(),
  });
  const ecs = new ECSClient(config());
  try {
    await keepTasksRunning(moto.url);
    await seedRemediationAccount({
      ecs,
      elb: new ElasticLoadBalancingV2Client(config()),
      ec2: new EC2Client(config()),
    });
  } catch (error) {
    await moto.stop();
    throw error;
  }
  // Clients of the code under test try once: a retry would hide what the first call did.
  const once = {
    ecs: (wrapEcs: WrapEcs = (client) => client) =>
      wrapEcs(playEcsScheduler(new ECSClient({ ...config(), maxAttempts: 1 }), ecs)),
    elb: () => new ElasticLoadBalancingV2Client({ ...config(), maxAttempts: 1 }),
    ec2: () => new EC2Client({ ...config(), maxAttempts: 1 }),
  };
  return {
    ecs,
    /** The clients the Config remediation's code is given. */
    remediationClients: () => ({ ecs: once.ecs(), elb: once.elb(), ec2: once.ec2() }),
    /** A command environment's `clientsFor`: each client made when the command asks for it. */
    commandClients: (wrapEcs?: WrapEcs) => () => ({
      ecs: () => once.ecs(wrapEcs),
      elb: once.elb,
      ec2: once.ec2,
      sts: () => new STSClient(config()),
      defaultRegion: async () => REMEDIATION_REGION,
    }),
    stop: () => moto.stop(),
  };
}
