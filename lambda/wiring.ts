import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { SsmExceptionsSource } from "./adapters/approvedExceptionsSource";
import { CachedInUseSource } from "./adapters/cachedInUseSource";
import { ConfigGateway } from "./adapters/configGateway";
import { ResumableServiceSource } from "./adapters/resumableServiceSource";
import { RevisionFactsCache } from "./adapters/revisionDescriber";
import { httpTimeouts } from "./adapters/sdkClientOptions";
import { EcsServiceReader } from "./adapters/serviceReader";
import { DEFAULT_MAX_EXCEPTION_DAYS } from "./core/approvedExceptions";
import {
  DEFAULT_ECS_RATE_SHARE,
  DEFAULT_MAX_ACCOUNTS,
  DEFAULT_VIEW_CACHE_SECONDS,
} from "./core/ruleDefaults";
import { MemberRoleError } from "./errors";
import { inUseReaders } from "./inUseReading";
import { PidModeRule } from "./rule/pidModeRule";
import type { AccountPorts } from "./rule/ports";
import type { Clock } from "./util/clock";
import { InvocationDeadline } from "./util/deadline";
import { errorText } from "./util/errorText";

export interface RuleSettings {
  /** The account the function runs in; events of other accounts go through their execution role. */
  readonly ownAccountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: for the member role ARN. */
  readonly partition: string;
  readonly exceptionsParameterName: string | undefined;
  /** The hex SHA-256 of the list the pipeline deployed; a parameter whose value differs is tampered. @default - no digest check (a hand deployment) */
  readonly exceptionsSha256?: string;
  /** How many days from today an exception's `expires` date may be at most, as at synth. */
  readonly maxExceptionDays: number;
  /** Organization mode: every exception must name its accounts and carry its approval trail. @default false */
  readonly organizationExceptions?: boolean;
  /** Share (0, 1] of each ECS read bucket the rule may use, leaving the rest to the owner's tooling. */
  readonly ecsRateShare: number;
  /** How long a warm container reuses one account-wide view of RUNNING tasks for change notifications. */
  readonly viewCacheMs: number;
  readonly clock: Clock;
  /** How many accounts' clients, caches and views a container keeps (least recently used go first). @default DEFAULT_MAX_ACCOUNTS */
  readonly maxAccounts?: number;
}

/**
 * The settings of a rule that runs as the function does by default, with `required` and any `overrides`:
 * the one place the demo, the benchmark and the tests get their settings from.
 */
export function ruleSettings(
  required: Pick<RuleSettings, "ownAccountId" | "clock">,
  overrides: Partial<RuleSettings> = {},
): RuleSettings {
  return {
    partition: "aws",
    exceptionsParameterName: undefined,
    maxExceptionDays: DEFAULT_MAX_EXCEPTION_DAYS,
    ecsRateShare: DEFAULT_ECS_RATE_SHARE,
    viewCacheMs: DEFAULT_VIEW_CACHE_SECONDS * 1000,
    ...required,
    ...overrides,
  };
}

/** What the wiring needs from the SDK: plain client constructors, so tests and the benchmark can swap them. */
export interface ClientFactory {
  ecs(credentials?: AwsCredentialIdentityProvider): Pick<ECSClient, "send">;
  config(credentials?: AwsCredentialIdentityProvider): Pick<ConfigServiceClient, "send">;
  ssm(): Pick<SSMClient, "send">;
  sts(): Pick<STSClient, "send">;
}

/**
 * Region, endpoints and credentials come from the environment the standard SDK way. Retries of ECS, SSM and
 * Config are the adapters' (ECS's paced by the token buckets, all within the invocation's deadline); every client
 * has connection and request timeouts.
 */
export const sdkClients: ClientFactory = {
  ecs: (credentials) =>
    new ECSClient({
      maxAttempts: 1,
      requestHandler: httpTimeouts(),
      ...(credentials ? { credentials } : {}),
    }),
  config: (credentials) =>
    new ConfigServiceClient({
      maxAttempts: 1,
      requestHandler: httpTimeouts(),
      ...(credentials ? { credentials } : {}),
    }),
  ssm: () => new SSMClient({ maxAttempts: 1, requestHandler: httpTimeouts() }),
  sts: () => new STSClient({ maxAttempts: 3, requestHandler: httpTimeouts() }),
};

/** Credentials are renewed this long before they expire, so no call is signed with a key about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of the member account's execution role: one AssumeRole per credential lifetime, shared by
 * every client of that account (concurrent callers share the call in flight).
 */
function assumedRoleCredentials(
  sts: Pick<STSClient, "send">,
  roleArn: string,
  accountId: string,
  clock: Clock,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let renewAt = 0;
  return () => {
    if (current === undefined || clock.now() >= renewAt) {
      renewAt = Number.POSITIVE_INFINITY;
      const requestedAt = clock.now();
      current = assumeRole(sts, roleArn, accountId).then(
        (credentials) => {
          const expiresAt = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
          // Short-lived credentials are renewed halfway, not on every call.
          renewAt = expiresAt - Math.min(RENEW_BEFORE_MS, (expiresAt - requestedAt) / 2);
          return credentials;
        },
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
    }
    return current;
  };
}

async function assumeRole(
  sts: Pick<STSClient, "send">,
  roleArn: string,
  accountId: string,
): Promise<AwsCredentialIdentity> {
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
      { cause: error },
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
}

/** A map that forgets its least recently used entry past `capacity`. */
class RecentlyUsed<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Builds the rule and, lazily, one set of clients and caches per account the container acts for. */
export function createRule(settings: RuleSettings, clients: ClientFactory = sdkClients): PidModeRule {
  const revisionCache = new RevisionFactsCache();
  const portsByAccount = new RecentlyUsed<Promise<AccountPorts>>(
    settings.maxAccounts ?? DEFAULT_MAX_ACCOUNTS,
  );
  const deadline = new InvocationDeadline();
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
        settings.clock,
      );
      // Fails here, with the member-role error, rather than inside the first ECS call.
      await provider();
      credentials = provider;
    }
    const readers = inUseReaders(clients.ecs(credentials), {
      clock: settings.clock,
      share: settings.ecsRateShare,
      deadline,
      cache: revisionCache,
      daemons: true,
    });
    return {
      accountId,
      inUse: new CachedInUseSource(readers.inUse, settings.clock, settings.viewCacheMs),
      revisions: readers.revisions,
      services: new ResumableServiceSource(new EcsServiceReader(readers.ecs), settings.clock),
      config: new ConfigGateway(clients.config(credentials), settings.clock, deadline),
    };
  };

  return new PidModeRule({
    clock: settings.clock,
    deadline,
    exceptions: new SsmExceptionsSource(clients.ssm(), settings.clock, {
      parameterName: settings.exceptionsParameterName,
      expectedSha256: settings.exceptionsSha256,
      ttlMs: settings.viewCacheMs,
      deadline,
    }),
    exceptionsReview: {
      maxDurationDays: settings.maxExceptionDays,
      organization: settings.organizationExceptions ?? false,
    },
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
