import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { sdkClients } from "../../../lambda/wiring";
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

describe("events of member accounts", () => {
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
