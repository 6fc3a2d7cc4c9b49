import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import type { ClientFactory } from "../lambda/index";
import type { SimAccount } from "./account";
import { type ActionRouter, InProcessHandler, ServiceError } from "./inProcessHandler";
import { SimulatedConfig, type SimulatedConfigOptions } from "./simulatedConfig";
import { SimulatedEcs, type SimulatedEcsOptions } from "./simulatedEcs";

const FAKE_CREDENTIALS = { accessKeyId: "SIMULATED", secretAccessKey: "SIMULATED" };

/** A simulated account behind real SDK clients, as a ClientFactory the rule's wiring accepts. */
export interface SimulatedAws {
  readonly ecs: SimulatedEcs;
  readonly config: SimulatedConfig;
  readonly clients: ClientFactory;
}

export function simulateAws(
  account: SimAccount,
  options: { ecs?: SimulatedEcsOptions; config?: SimulatedConfigOptions; exceptions?: unknown[] } = {},
): SimulatedAws {
  const ecs = new SimulatedEcs(account, options.ecs);
  const config = new SimulatedConfig(account, options.config);
  const ssm: ActionRouter = (action) => {
    if (action !== "GetParameter" || options.exceptions === undefined) {
      throw new ServiceError("ParameterNotFound", "no such parameter");
    }
    return { Parameter: { Name: "exceptions", Type: "String", Value: JSON.stringify(options.exceptions) } };
  };
  const base = { region: account.region, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };
  return {
    ecs,
    config,
    clients: {
      ecs: () => new ECSClient({ ...base, requestHandler: new InProcessHandler(ecs.route) }),
      config: () => new ConfigServiceClient({ ...base, requestHandler: new InProcessHandler(config.route) }),
      ssm: () => new SSMClient({ ...base, requestHandler: new InProcessHandler(ssm) }),
      sts: () =>
        new STSClient({
          ...base,
          requestHandler: new InProcessHandler(() => {
            throw new ServiceError("AccessDenied", "the simulated account has no member roles", 403);
          }),
        }),
    },
  };
}
