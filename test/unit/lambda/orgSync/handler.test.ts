import { mockClient } from "aws-sdk-client-mock";
import { inFreshRegistry } from "../../../support/freshModules";

type Handler = typeof import("../../../../lambda/orgSync/handler").handler;

/** A fresh handler module (it keeps its clients for the container's life) with mocks from the same registry. */
function loadHandler() {
  const modules = inFreshRegistry(() => ({
    organizations: require("@aws-sdk/client-organizations") as typeof import("@aws-sdk/client-organizations"),
    lambda: require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda"),
    cloudWatch: require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch"),
    handler: require("../../../../lambda/orgSync/handler").handler as Handler,
  }));
  const organizations = mockClient(modules.organizations.OrganizationsClient);
  const lambda = mockClient(modules.lambda.LambdaClient);
  const cloudWatch = mockClient(modules.cloudWatch.CloudWatchClient);
  organizations.on(modules.organizations.ListAccountsCommand).resolves({
    Accounts: [{ Id: "222222222222", State: "ACTIVE", Status: "ACTIVE", JoinedTimestamp: new Date(0) }],
  });
  lambda.on(modules.lambda.GetResourcePolicyCommand).resolves({ Policy: "{}", RevisionId: "r1" });
  lambda.on(modules.lambda.PutResourcePolicyCommand).resolves({ RevisionId: "r2" });
  cloudWatch.on(modules.cloudWatch.GetMetricDataCommand).resolves({ MetricDataResults: [] });
  return {
    handler: modules.handler,
    lambda,
    PutResourcePolicyCommand: modules.lambda.PutResourcePolicyCommand,
  };
}

async function printedMetrics(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const printed: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return printed
    .flatMap((line) => line.split("\n"))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

beforeEach(() => {
  process.env.AWS_REGION = "eu-west-1";
  process.env.RULE_FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:rule";
  process.env.RULE_FREQUENCY_SECONDS = "21600";
  process.env.EXCLUDED_ACCOUNTS = "";
});

describe("the organization-sync handler", () => {
  it("writes the policy and publishes the count of quiet accounts for the alarm", async () => {
    const { handler, lambda, PutResourcePolicyCommand } = loadHandler();
    const metrics = await printedMetrics(() => handler());
    expect(lambda.commandCalls(PutResourcePolicyCommand)).toHaveLength(1);
    expect(metrics).toContainEqual(
      expect.objectContaining({ AccountsWithoutSweep: 2, service: "ecs-pid-mode-organization-sync" }),
    );
  });

  it.each([
    [
      "RULE_FREQUENCY_SECONDS",
      "600",
      /RULE_FREQUENCY_SECONDS must be a whole number of seconds of at least 3600, got 600/,
    ],
    ["RULE_FREQUENCY_SECONDS", "", /RULE_FREQUENCY_SECONDS must be set/],
    ["EXCLUDED_ACCOUNTS", "222222222222,12345", /EXCLUDED_ACCOUNTS holds ids that are not 12 digits: 12345/],
    ["RULE_FUNCTION_ARN", "", /RULE_FUNCTION_ARN must be set/],
  ])("refuses %s=%j, naming the variable, before any call", async (name, value, message) => {
    process.env[name] = value;
    const { handler, lambda } = loadHandler();
    await expect(handler()).rejects.toThrow(message);
    expect(lambda.calls()).toHaveLength(0);
  });
});
