import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { type HttpTimeouts, httpTimeouts } from "../../lambda/index";
import type { RemediationClients } from "../../lambda/remediation/index";
import { CommandFailure } from "./command";
import { logRequests, nameEndpointInErrors } from "./endpointErrors";

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
  connection: Connection = {},
  timeouts: HttpTimeouts = httpTimeouts(COMMAND_REQUEST_TIMEOUT_MS),
) {
  const plain = {
    ...(profile === undefined ? {} : { profile }),
    ...(connection.endpointUrl === undefined ? {} : { endpoint: connection.endpointUrl }),
    requestHandler: timeouts,
  };
  const base =
    connection.roleArn === undefined
      ? plain
      : {
          ...plain,
          credentials: assumedRole(new STSClient({ ...plain, maxAttempts: 3 }), connection.roleArn),
        };
  const { debug } = connection;
  const wrap = <T extends Parameters<typeof nameEndpointInErrors>[0]>(client: T, service: string): T =>
    debug === undefined
      ? nameEndpointInErrors(client, service)
      : logRequests(nameEndpointInErrors(client, service), service, debug);
  return {
    ecs: (region: string) => wrap(new ECSClient({ ...base, region, maxAttempts: 1 }), "ECS"),
    elb: (region: string) =>
      wrap(new ElasticLoadBalancingV2Client({ ...base, region, maxAttempts: 1 }), "Elastic Load Balancing"),
    ec2: (region: string) => wrap(new EC2Client({ ...base, region, maxAttempts: 1 }), "EC2"),
    sts: (region: string) => wrap(new STSClient({ ...base, region, maxAttempts: 3 }), "STS"),
    organizations: (region: string) =>
      wrap(new OrganizationsClient({ ...base, region, maxAttempts: 3 }), "Organizations"),
    defaultRegion: () => new STSClient(base).config.region(),
  };
}

/** What an account command calls AWS with, for one profile (`undefined`: the default credential chain). */
export interface CommandClients {
  ecs(region: string): Pick<ECSClient, "send">;
  sts(region: string): Pick<STSClient, "send">;
  /** The fix plan's reads of load balancers and public IPs. */
  elb(region: string): Pick<ElasticLoadBalancingV2Client, "send">;
  ec2(region: string): Pick<EC2Client, "send">;
  /** The Region the SDK would use when none is given; rejects when there is none. */
  defaultRegion(): Promise<string>;
  /** Lists the organization's accounts for `--organization-role`. @default - none: that option fails */
  organizations?(region: string): Pick<OrganizationsClient, "send">;
}

/** The clients of one Region that the remediation's plan and apply read and write through. */
export function regionClients(clients: CommandClients, region: string): RemediationClients {
  return { ecs: clients.ecs(region), elb: clients.elb(region), ec2: clients.ec2(region) };
}

/** Where the commands send AWS requests, and whether to print them. */
export interface Connection {
  /** `--endpoint-url`: every client's endpoint. */
  readonly endpointUrl?: string;
  /** `--debug`: a line for each request and its answer. */
  readonly debug?: (line: string) => void;
  /** A role to assume with the profile's credentials (an organization's member account). */
  readonly roleArn?: string;
}

/** Credentials of `roleArn`, assumed with the client's own and renewed five minutes before they expire. */
function assumedRole(sts: Pick<STSClient, "send">, roleArn: string): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = 0;
  return () => {
    if (current === undefined || Date.now() > expiresAt - 300_000) {
      current = sts
        .send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: "ecs-pid-mode-scan",
            DurationSeconds: 3600,
          }),
        )
        .then(({ Credentials: credentials }) => {
          if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
            throw new CommandFailure(`sts:AssumeRole of ${roleArn} returned no credentials`);
          expiresAt = credentials.Expiration?.getTime() ?? Date.now() + 3_600_000;
          return {
            accessKeyId: credentials.AccessKeyId,
            secretAccessKey: credentials.SecretAccessKey,
            ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
            ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
          };
        });
      current.catch(() => {
        current = undefined;
      });
    }
    return current;
  };
}

/** The connection the account options ask for: `--endpoint-url`, and `--debug` lines on `stderr`. */
export function connectionOf(
  options: { readonly endpointUrl: string | undefined; readonly debug: boolean },
  stderr: { write(text: string): unknown },
): Connection {
  return {
    ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
    ...(options.debug ? { debug: (line: string) => stderr.write(line) } : {}),
  };
}
