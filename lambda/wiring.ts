import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { CachedInUseSource } from "./adapters/cachedInUseSource";
import type { Clock } from "./adapters/clock";
import { ConfigGateway } from "./adapters/configGateway";
import { EcsCaller } from "./adapters/ecsCalls";
import { SsmExceptionsSource } from "./adapters/exceptionsSource";
import { EcsInUseReader } from "./adapters/inUseReader";
import { errorText } from "./adapters/retry";
import { EcsRevisionDescriber, RevisionFactsCache } from "./adapters/revisionDescriber";
import { ecsLimiters } from "./adapters/tokenBucket";
import { PidModeRule } from "./rule/pidModeRule";
import type { AccountPorts } from "./rule/ports";

export interface RuleSettings {
  /** The account the function runs in; events of other accounts go through their execution role. */
  readonly ownAccountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: for the member role ARN. */
  readonly partition: string;
  readonly exceptionsParameterName: string | undefined;
  /** Share (0, 1] of each ECS read bucket the rule may use, leaving the rest to the owner's tooling. */
  readonly ecsRateShare: number;
  /** How long a warm container reuses one account-wide view of RUNNING tasks for change notifications. */
  readonly viewCacheMs: number;
  readonly clock: Clock;
}

/** What the wiring needs from the SDK: plain client constructors, so tests and the benchmark can swap them. */
export interface ClientFactory {
  ecs(credentials?: AwsCredentialIdentityProvider): Pick<ECSClient, "send">;
  config(credentials?: AwsCredentialIdentityProvider): Pick<ConfigServiceClient, "send">;
  ssm(): Pick<SSMClient, "send">;
  sts(): Pick<STSClient, "send">;
}

/** Region, endpoints and credentials come from the environment the standard SDK way. Retries are the adapters'. */
export const sdkClients: ClientFactory = {
  ecs: (credentials) => new ECSClient({ maxAttempts: 1, ...(credentials ? { credentials } : {}) }),
  config: (credentials) =>
    new ConfigServiceClient({ maxAttempts: 1, ...(credentials ? { credentials } : {}) }),
  ssm: () => new SSMClient({ maxAttempts: 3 }),
  sts: () => new STSClient({ maxAttempts: 3 }),
};

export class MemberRoleError extends Error {
  override name = "MemberRoleError";
}

/** Credentials of the member account's execution role, renewed by the SDK before they expire. */
function assumedRoleCredentials(
  sts: Pick<STSClient, "send">,
  roleArn: string,
  accountId: string,
): AwsCredentialIdentityProvider {
  return async (): Promise<AwsCredentialIdentity> => {
    let response: AssumeRoleCommandOutput;
    try {
      response = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: "ecs-pid-mode-rule",
          DurationSeconds: 3600,
        }),
      );
    } catch (error) {
      throw new MemberRoleError(
        `cannot assume ${roleArn} in account ${accountId} (${errorText(error)}); deploy the member role (the organization stack's StackSet) there first`,
      );
    }
    const credentials = response.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new MemberRoleError(`AssumeRole of ${roleArn} in account ${accountId} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
      accountId,
    };
  };
}

/** Builds the rule and, lazily, one set of clients and caches per account the container acts for. */
export function createRule(settings: RuleSettings, clients: ClientFactory = sdkClients): PidModeRule {
  const revisionCache = new RevisionFactsCache();
  const portsByAccount = new Map<string, Promise<AccountPorts>>();
  let sts: Pick<STSClient, "send"> | undefined;

  const buildPorts = async (
    accountId: string,
    executionRoleName: string | undefined,
  ): Promise<AccountPorts> => {
    let credentials: AwsCredentialIdentityProvider | undefined;
    if (accountId !== settings.ownAccountId) {
      if (!executionRoleName) {
        throw new MemberRoleError(
          `the event is for account ${accountId}, not ${settings.ownAccountId}, and the rule parameters name no ExecutionRoleName to assume there`,
        );
      }
      sts ??= clients.sts();
      const provider = assumedRoleCredentials(
        sts,
        `arn:${settings.partition}:iam::${accountId}:role/${executionRoleName}`,
        accountId,
      );
      await provider();
      credentials = provider;
    }
    const ecs = new EcsCaller(
      clients.ecs(credentials),
      ecsLimiters(settings.ecsRateShare, settings.clock),
      settings.clock,
    );
    return {
      accountId,
      inUse: new CachedInUseSource(new EcsInUseReader(ecs), settings.clock, settings.viewCacheMs),
      revisions: new EcsRevisionDescriber(ecs, revisionCache),
      config: new ConfigGateway(clients.config(credentials), settings.clock),
    };
  };

  return new PidModeRule({
    clock: settings.clock,
    exceptions: new SsmExceptionsSource(
      clients.ssm(),
      settings.exceptionsParameterName,
      settings.clock,
      settings.viewCacheMs,
    ),
    portsFor: (accountId, executionRoleName) => {
      const key = `${accountId}|${executionRoleName ?? ""}`;
      let ports = portsByAccount.get(key);
      if (ports === undefined) {
        ports = buildPorts(accountId, executionRoleName);
        ports.catch(() => portsByAccount.delete(key));
        portsByAccount.set(key, ports);
      }
      return ports;
    },
  });
}
