import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";

/** The cold-start baseline: the same four SDK clients in the bundle, and a handler that just returns. */
export const clients = [ECSClient, ConfigServiceClient, SSMClient, STSClient];

export const handler = async (): Promise<{ clients: number }> => ({ clients: clients.length });
