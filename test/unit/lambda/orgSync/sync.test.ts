import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from "@aws-sdk/client-cloudwatch";
import {
  GetResourcePolicyCommand,
  LambdaClient,
  PutResourcePolicyCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { type Account, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { configInvokePolicy, MAX_INVOKE_POLICY_ACCOUNTS } from "../../../../lambda/core/invokePolicy";
import { OrganizationSyncError } from "../../../../lambda/errors";
import { OrganizationSync, type OrganizationSyncSettings } from "../../../../lambda/orgSync/sync";
import listAccountsPage from "../../../fixtures/organizations/list-accounts.json";

const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:EcsPidModeRuleFunction-abc";
const NOW = Date.parse("2026-12-04T12:00:00Z");
const SIX_HOURS = 6 * 3600;

const organizations = mockClient(OrganizationsClient);
const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);

const SETTINGS: OrganizationSyncSettings = {
  functionArn: FUNCTION_ARN,
  excludedAccounts: [],
  frequencySeconds: SIX_HOURS,
  metricsNamespace: "EcsPidModeRule",
  serviceName: "ecs-pid-mode-rule",
};

function syncWith(settings: Partial<OrganizationSyncSettings> = {}): OrganizationSync {
  return new OrganizationSync(
    { ...SETTINGS, ...settings },
    {
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      lambda: new LambdaClient({ region: "eu-west-1" }),
      cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
      clock: { now: () => NOW, sleep: async () => undefined },
    },
  );
}

/** The fixture's accounts as the SDK returns them (timestamps as dates), with one field changed where asked. */
function fixtureAccounts(): Account[] {
  return listAccountsPage.Accounts.map((account) => ({
    ...account,
    JoinedTimestamp: new Date(account.JoinedTimestamp * 1000),
  })) as Account[];
}

function accountLike(id: string, change: Partial<Account> = {}): Account {
  const template = fixtureAccounts()[1] as Account;
  return {
    ...structuredClone(template),
    Id: id,
    Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${id}`,
    ...change,
  };
}

function numbered(count: number, from = 300_000_000_000): Account[] {
  return Array.from({ length: count }, (_, index) => accountLike(String(from + index)));
}

/** ListAccounts answers these pages in turn, each but the last with a NextToken. */
function organizationOf(...pages: Account[][]): void {
  pages.forEach((accounts, index) => {
    const token = index === 0 ? undefined : `page-${index}`;
    const next = index < pages.length - 1 ? `page-${index + 1}` : undefined;
    organizations
      .on(ListAccountsCommand, { NextToken: token })
      .resolves({ Accounts: accounts, NextToken: next });
  });
}

/** Every account swept once in the window. */
function everyAccountSwept(): void {
  cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({ Id: query.Id, Values: [1] })),
  }));
}

function heldPolicy(accounts: string[], revisionId = "rev-1"): void {
  const [rule = "", ...members] = accounts;
  lambda.on(GetResourcePolicyCommand).resolves({
    Policy: JSON.stringify(configInvokePolicy(FUNCTION_ARN, rule, members)),
    RevisionId: revisionId,
  });
}

function writtenAccounts(): string[][] {
  return lambda.commandCalls(PutResourcePolicyCommand).map((call) => {
    const policy = JSON.parse(call.args[0].input.Policy as string);
    return policy.Statement[0].Condition.StringEquals["aws:SourceAccount"];
  });
}

beforeEach(() => {
  organizations.reset();
  lambda.reset();
  cloudWatch.reset();
  lambda.on(PutResourcePolicyCommand).resolves({ RevisionId: "rev-2" });
  everyAccountSwept();
});

describe("keeping the invoke policy in step with the organization", () => {
  it("pages through ListAccounts and admits the rule account and every ACTIVE account of every page", async () => {
    organizationOf(fixtureAccounts(), [accountLike("333333333333")], [accountLike("444444444444")]);
    heldPolicy(["111111111111", "222222222222"]);
    const report = await syncWith().run();
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(3);
    expect(report).toMatchObject({
      admitted: ["111111111111", "222222222222", "333333333333", "444444444444"],
      added: ["333333333333", "444444444444"],
      removed: [],
      written: true,
    });
    expect(writtenAccounts()).toEqual([["111111111111", "222222222222", "333333333333", "444444444444"]]);
    expect(lambda.commandCalls(PutResourcePolicyCommand)[0]?.args[0].input).toMatchObject({
      ResourceArn: FUNCTION_ARN,
      RevisionId: "rev-1",
    });
  });

  it("drops an account that left the organization, and one that is suspended or being closed", async () => {
    organizationOf([
      ...fixtureAccounts(),
      accountLike("555555555555", { Status: "SUSPENDED", State: "SUSPENDED" }),
      accountLike("666666666666", { Status: "ACTIVE", State: "PENDING_CLOSURE" }),
    ]);
    heldPolicy(["111111111111", "222222222222", "333333333333", "555555555555", "666666666666"]);
    const report = await syncWith().run();
    expect(report.removed).toEqual(["333333333333", "555555555555", "666666666666"]);
    expect(writtenAccounts()).toEqual([["111111111111", "222222222222"]]);
  });

  it("writes nothing on a rerun when the policy already admits exactly these accounts", async () => {
    organizationOf(fixtureAccounts());
    heldPolicy(["111111111111", "222222222222"]);
    const first = await syncWith().run();
    const second = await syncWith().run();
    expect([first.written, second.written]).toEqual([false, false]);
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
  });

  it("writes once, then finds its own policy the same as Lambda returns it (Id added, key in upper case)", async () => {
    organizationOf(fixtureAccounts());
    heldPolicy(["111111111111"]);
    await syncWith().run();
    const written = JSON.parse(
      lambda.commandCalls(PutResourcePolicyCommand)[0]?.args[0].input.Policy as string,
    );
    const asStored = { Version: written.Version, Id: "default", Statement: written.Statement };
    asStored.Statement[0].Condition = {
      StringEquals: { "AWS:SourceAccount": ["222222222222", "111111111111"] },
    };
    lambda.on(GetResourcePolicyCommand).resolves({ Policy: JSON.stringify(asStored), RevisionId: "rev-2" });
    expect((await syncWith().run()).written).toBe(false);
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(1);
  });

  it("writes the policy without a revision id when the function has none yet", async () => {
    organizationOf(fixtureAccounts());
    lambda
      .on(GetResourcePolicyCommand)
      .rejects(new ResourceNotFoundException({ message: "No policy", $metadata: {} }));
    await syncWith().run();
    expect(lambda.commandCalls(PutResourcePolicyCommand)[0]?.args[0].input.RevisionId).toBeUndefined();
    expect(writtenAccounts()).toEqual([["111111111111", "222222222222"]]);
  });

  it("never admits an excluded account, even one the organization lists as ACTIVE", async () => {
    organizationOf([...fixtureAccounts(), accountLike("333333333333")]);
    heldPolicy(["111111111111"]);
    await syncWith({ excludedAccounts: ["333333333333"] }).run();
    expect(writtenAccounts()).toEqual([["111111111111", "222222222222"]]);
  });

  it("writes a policy at the size limit, and refuses one account more without touching the policy", async () => {
    const fits = numbered(MAX_INVOKE_POLICY_ACCOUNTS - 1);
    organizationOf(fits.slice(0, 20), fits.slice(20));
    heldPolicy(["111111111111"]);
    const report = await syncWith().run();
    expect(report.admitted).toHaveLength(MAX_INVOKE_POLICY_ACCOUNTS);
    expect(report.policyBytes).toBeLessThanOrEqual(20 * 1024);
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(1);

    organizations.reset();
    lambda.resetHistory();
    organizationOf(numbered(MAX_INVOKE_POLICY_ACCOUNTS));
    await expect(syncWith().run()).rejects.toThrow(
      /1337 accounts to admit .* holds 1336 .* left as it was.*per-account shape \(organizationShape=perAccount\)/,
    );
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
  });

  it("stops, writing nothing, on an ACTIVE account whose id is not 12 digits", async () => {
    organizationOf([...fixtureAccounts(), accountLike("12345")]);
    heldPolicy(["111111111111"]);
    await expect(syncWith().run()).rejects.toThrow(OrganizationSyncError);
    await expect(syncWith().run()).rejects.toThrow(/not 12 digits: "12345"/);
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
  });

  it("fails, writing nothing, when the organization cannot be listed", async () => {
    organizations.on(ListAccountsCommand).rejects(new Error("AccessDeniedException"));
    await expect(syncWith().run()).rejects.toThrow(/AccessDeniedException/);
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(0);
  });

  it("refuses a function ARN that is not a Lambda function's, naming it", () => {
    expect(() => syncWith({ functionArn: "arn:aws:sns:eu-west-1:111111111111:topic" })).toThrow(
      /not a Lambda function ARN: "arn:aws:sns/,
    );
  });
});

describe("finding accounts that went quiet", () => {
  it("names the admitted accounts without a completed sweep in twice the frequency, asking over that window", async () => {
    organizationOf([...fixtureAccounts(), accountLike("333333333333")]);
    heldPolicy(["111111111111", "222222222222", "333333333333"]);
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
        const account = query.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === "accountId")?.Value;
        return { Id: query.Id, Values: account === "222222222222" ? [] : [1, 1] };
      }),
    }));
    const report = await syncWith().run();
    expect(report.quiet).toEqual(["222222222222"]);
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date(NOW - 2 * SIX_HOURS * 1000));
    expect(input?.MetricDataQueries?.[0]?.MetricStat).toMatchObject({
      Metric: { Namespace: "EcsPidModeRule", MetricName: "SweepCompleted" },
      Period: 2 * SIX_HOURS,
      Stat: "Sum",
    });
  });

  it("does not count an account that joined within the window as quiet", async () => {
    const newcomer = accountLike("333333333333", { JoinedTimestamp: new Date(NOW - 3600 * 1000) });
    organizationOf([...fixtureAccounts(), newcomer]);
    heldPolicy(["111111111111", "222222222222", "333333333333"]);
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    expect((await syncWith().run()).quiet).toEqual(["111111111111", "222222222222"]);
  });

  it("asks for at most 500 accounts a call and follows NextToken", async () => {
    organizationOf(numbered(1000));
    lambda.on(GetResourcePolicyCommand).resolves({ Policy: "{}", RevisionId: "r" });
    let calls = 0;
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls += 1;
      const queries = input.MetricDataQueries ?? [];
      const half = Math.ceil(queries.length / 2);
      // Each batch answers in two pages: the first half, then the rest.
      const page = input.NextToken === undefined ? queries.slice(0, half) : queries.slice(half);
      return {
        MetricDataResults: page.map((query) => ({ Id: query.Id, Values: [1] })),
        NextToken: input.NextToken === undefined ? "more" : undefined,
      };
    });
    const report = await syncWith().run();
    const sizes = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .map((call) => call.args[0].input.MetricDataQueries?.length);
    expect(Math.max(...(sizes as number[]))).toBeLessThanOrEqual(500);
    expect(calls).toBe(6);
    expect(report.quiet).toEqual([]);
  });
});
