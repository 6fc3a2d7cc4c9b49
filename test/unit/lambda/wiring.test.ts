import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { ECSClient } from "@aws-sdk/client-ecs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { sdkClients } from "../../../lambda/wiring";
import { type ActionRouter, InProcessHandler } from "../../../sim/inProcessHandler";
import { scheduledEvent } from "../../support/events";
import { harness } from "../../support/ruleHarness";
import { sampleAccount } from "../../support/sampleAccount";

const sts = mockClient(STSClient);
const MEMBER = "222222222222";

/** The simulated account's clients, recording which credentials each ECS and Config client was built with. */
function recordingHarness() {
  const credentialsUsed: (AwsCredentialIdentityProvider | undefined)[] = [];
  const rule = harness(sampleAccount, {
    clients: (aws) => ({
      ...aws.clients,
      ecs: (credentials) => {
        credentialsUsed.push(credentials);
        return aws.clients.ecs();
      },
      config: (credentials) => {
        credentialsUsed.push(credentials);
        return aws.clients.config();
      },
      sts: sdkClients.sts,
    }),
  });
  return { rule, credentialsUsed };
}

const memberEvent = (parameters: Record<string, string> = { ExecutionRoleName: "EcsPidModeRuleMember" }) =>
  scheduledEvent({ accountId: MEMBER, ruleParameters: JSON.stringify(parameters) });

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: "ASIAMEMBER",
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date("2026-11-30T13:00:00Z"),
    },
  });
});

/** Answers like the simulator, and remembers the access key each request was signed with. */
class SigningRecorder extends InProcessHandler {
  constructor(
    route: ActionRouter,
    private readonly signedWith: string[],
  ) {
    super(route);
  }

  override handle(request: Parameters<InProcessHandler["handle"]>[0]) {
    this.signedWith.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "unsigned");
    return super.handle(request);
  }
}

/** Real SDK clients built with exactly the credentials the wiring passes. */
function signingHarness(maxAccounts?: number) {
  const signedWith: string[] = [];
  const base = { region: "us-east-1", maxAttempts: 1 };
  const rule = harness(sampleAccount, {
    clients: (aws) => ({
      ...aws.clients,
      ecs: (credentials) =>
        new ECSClient({
          ...base,
          credentials,
          requestHandler: new SigningRecorder(aws.ecs.route, signedWith),
        }),
      config: (credentials) =>
        new ConfigServiceClient({
          ...base,
          credentials,
          requestHandler: new SigningRecorder(aws.config.route, signedWith),
        }),
      sts: sdkClients.sts,
    }),
    ...(maxAccounts === undefined ? {} : { maxAccounts }),
  });
  return { rule, signedWith };
}

describe("events of member accounts", () => {
  it("signs every ECS and Config request of a member account with the assumed role's key", async () => {
    const { rule, signedWith } = signingHarness();
    await rule.run(memberEvent());
    expect(signedWith.length).toBeGreaterThan(5);
    expect(new Set(signedWith)).toEqual(new Set(["ASIAMEMBER"]));
  });

  it("assumes the execution role in the event's account and reads and writes with its credentials", async () => {
    const { rule, credentialsUsed } = recordingHarness();
    await rule.run(memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      `arn:aws:iam::${MEMBER}:role/EcsPidModeRuleMember`,
    );
    expect(credentialsUsed).toHaveLength(2);
    for (const credentials of credentialsUsed) {
      expect((await (credentials as AwsCredentialIdentityProvider)()).accessKeyId).toBe("ASIAMEMBER");
    }
  });

  it("builds the member account's clients once per container", async () => {
    const { rule, credentialsUsed } = recordingHarness();
    await rule.run(memberEvent());
    await rule.run(memberEvent());
    expect(credentialsUsed).toHaveLength(2);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it("assumes the role once per account and credential lifetime, for every client of that account", async () => {
    const { rule } = signingHarness();
    await rule.run(memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    rule.clock.advance(30 * 60_000);
    await rule.run(memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it("assumes the role again when the credentials are about to expire", async () => {
    const credentials = (key: string, expiration: string) => ({
      Credentials: {
        AccessKeyId: key,
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(expiration),
      },
    });
    sts.reset();
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(credentials("ASIAFIRST", "2026-11-30T13:00:00Z"))
      .resolves(credentials("ASIASECOND", "2026-11-30T14:00:00Z"));
    const { rule, signedWith } = signingHarness();
    await rule.run(memberEvent());
    // The credentials expire at 13:00; at 12:56 they are within the five minutes kept in hand.
    rule.clock.advance(56 * 60_000);
    await rule.run(memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(new Set(signedWith)).toEqual(new Set(["ASIAFIRST", "ASIASECOND"]));
  });

  it("renews credentials that arrive with little time left halfway through, not on every call", async () => {
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIASHORT",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date("2026-11-30T12:04:00Z"),
      },
    });
    const { rule } = signingHarness();
    await rule.run(memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it("keeps the clients of only the most recently used accounts, and rebuilds a dropped one", async () => {
    const { rule } = signingHarness(2);
    for (const account of ["222222222222", "333333333333", "444444444444", "222222222222"]) {
      await rule.run(
        scheduledEvent({
          accountId: account,
          ruleParameters: JSON.stringify({ ExecutionRoleName: "Member" }),
        }),
      );
    }
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      "arn:aws:iam::222222222222:role/Member",
      "arn:aws:iam::333333333333:role/Member",
      "arn:aws:iam::444444444444:role/Member",
      "arn:aws:iam::222222222222:role/Member",
    ]);
  });

  it("uses its own role for events of its own account", async () => {
    const { rule, credentialsUsed } = recordingHarness();
    await rule.run(scheduledEvent());
    expect(credentialsUsed).toEqual([undefined, undefined]);
    expect(sts.calls()).toHaveLength(0);
  });

  it("fails clearly, naming role and account, when the role cannot be assumed, and tries again next time", async () => {
    sts.reset();
    sts
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error("not authorized to perform sts:AssumeRole"), { name: "AccessDenied" }),
      );
    const { rule } = recordingHarness();
    await expect(rule.run(memberEvent())).rejects.toThrow(
      `cannot assume arn:aws:iam::${MEMBER}:role/EcsPidModeRuleMember in account ${MEMBER}`,
    );
    await expect(rule.run(memberEvent())).rejects.toThrow(/cannot assume/);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(rule.written()).toEqual([]);
  });

  it("refuses an event of another account when no ExecutionRoleName is configured", async () => {
    const { rule } = recordingHarness();
    await expect(rule.run(memberEvent({}))).rejects.toThrow(/no ExecutionRoleName/);
    expect(rule.written()).toEqual([]);
  });
});
