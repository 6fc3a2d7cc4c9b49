import { createHash } from "node:crypto";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { awsError } from "../../support/awsErrors";
import { scheduledEvent, taskDefinitionChangeEvent } from "../../support/events";
import { inFreshRegistry } from "../../support/freshModules";

const context = {
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111111111111:function:ecs-pid-mode-rule",
  getRemainingTimeInMillis: () => 900_000,
} as Context;

type Handler = typeof import("../../../lambda/handler").handler;

type EcsModule = typeof import("@aws-sdk/client-ecs");
type ConfigModule = typeof import("@aws-sdk/client-config-service");
type SsmModule = typeof import("@aws-sdk/client-ssm");

/**
 * A fresh handler module per test (it keeps its rule for the container's life). Its SDK modules are
 * fresh too, so the mocks and commands must come from the same module registry.
 */
function loadHandler() {
  const { handler, ecsSdk, configSdk, ssmSdk } = inFreshRegistry(() => ({
    ecsSdk: require("@aws-sdk/client-ecs") as EcsModule,
    configSdk: require("@aws-sdk/client-config-service") as ConfigModule,
    ssmSdk: require("@aws-sdk/client-ssm") as SsmModule,
    handler: require("../../../lambda/handler").handler as Handler,
  }));
  return {
    handler,
    ecsSdk,
    configSdk,
    ssmSdk,
    ecs: mockClient(ecsSdk.ECSClient),
    config: mockClient(configSdk.ConfigServiceClient),
    ssm: mockClient(ssmSdk.SSMClient),
  };
}

const malformed: [string, unknown, RegExp][] = [
  [
    "invokingEvent that is not JSON",
    { ...scheduledEvent(), invokingEvent: "{not json" },
    /invokingEvent is not JSON/,
  ],
  [
    "an unknown messageType",
    { ...scheduledEvent(), invokingEvent: JSON.stringify({ messageType: "Surprise" }) },
    /invokingEvent.messageType/,
  ],
  ["no resultToken", { ...scheduledEvent(), resultToken: undefined }, /resultToken/],
  [
    "an item without resourceType",
    taskDefinitionChangeEvent({ resourceType: undefined }),
    /invokingEvent.configurationItem.resourceType/,
  ],
  [
    "an item without resourceId",
    taskDefinitionChangeEvent({ resourceId: "" }),
    /invokingEvent.configurationItem.resourceId/,
  ],
  [
    "ruleParameters that are not JSON",
    { ...scheduledEvent(), ruleParameters: "ExecutionRoleName=x" },
    /ruleParameters is not JSON/,
  ],
  ["an event that is not an object", "ScheduledNotification", /invalid AWS Config rule event/],
];

beforeEach(() => {
  process.env.AWS_REGION = "us-east-1";
  delete process.env.EXCEPTIONS_PARAMETER_NAME;
  delete process.env.EXCEPTIONS_SHA256;
  delete process.env.MAX_EXCEPTION_DAYS;
  delete process.env.ECS_RATE_SHARE;
});

describe("the Lambda handler", () => {
  it.each(malformed)(
    "rejects %s with an error naming the field, writing nothing",
    async (_case, event, message) => {
      const { handler, config, ecs } = loadHandler();
      await expect(handler(event, context)).rejects.toThrow(message);
      expect(config.calls()).toHaveLength(0);
      expect(ecs.calls()).toHaveLength(0);
    },
  );

  it("runs a sweep of its own account and returns what it did", async () => {
    const { handler, config, ecs, ecsSdk, configSdk } = loadHandler();
    ecs.on(ecsSdk.ListClustersCommand).resolves({ clusterArns: [] });
    config
      .on(configSdk.ListDiscoveredResourcesCommand)
      .resolves({ resourceIdentifiers: [{ resourceType: "AWS::ECS::TaskDefinition", resourceId: "web" }] });
    config.on(configSdk.GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    config.on(configSdk.PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const report = await handler(scheduledEvent(), context);
    expect(report.evaluationsWritten).toBe(1);
    const sent = config.commandCalls(configSdk.PutEvaluationsCommand)[0]?.args[0].input.Evaluations?.[0];
    expect(sent).toMatchObject({ ComplianceResourceId: "web", ComplianceType: "NOT_APPLICABLE" });
  });

  it("counts service verdicts whose old-format ids name no cluster in the UnjudgedServices metric", async () => {
    const { handler, config, ecs, ecsSdk, configSdk } = loadHandler();
    const oldFormat = "arn:aws:ecs:us-east-1:111111111111:service/legacy";
    ecs.on(ecsSdk.ListClustersCommand).resolves({ clusterArns: [] });
    config.on(configSdk.ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
    config.on(configSdk.GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: "AWS::ECS::Service", ResourceId: oldFormat },
          },
          ComplianceType: "NON_COMPLIANT",
          Annotation: "from an earlier run",
        },
      ],
    });
    config.on(configSdk.PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const report = await handler(scheduledEvent(), context);
      expect(report.unjudgedServiceIds).toEqual([oldFormat]);
    } finally {
      write.mockRestore();
    }
    const metrics = printed.flatMap((line) => line.split("\n")).filter((line) => line.includes('"_aws"'));
    expect(metrics.map((line) => JSON.parse(line).UnjudgedServices)).toContain(1);
  });

  it("emits the account's sweep heartbeat after a completed sweep, and none after a change notification or a failed sweep", async () => {
    const { handler, config, ecs, ecsSdk, configSdk } = loadHandler();
    ecs.on(ecsSdk.ListClustersCommand).resolves({ clusterArns: [] });
    config.on(configSdk.ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
    config.on(configSdk.GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    config.on(configSdk.GetComplianceDetailsByResourceCommand).resolves({ EvaluationResults: [] });
    config.on(configSdk.PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const heartbeats = async (run: () => Promise<unknown>) => {
      const printed: string[] = [];
      const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
      try {
        await run().catch(() => undefined);
      } finally {
        write.mockRestore();
      }
      return printed
        .flatMap((line) => line.split("\n"))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line))
        .filter((line) => line.SweepCompleted !== undefined);
    };
    const swept = await heartbeats(() => handler(scheduledEvent(), context));
    expect(swept).toHaveLength(1);
    expect(swept[0]).toMatchObject({
      SweepCompleted: 1,
      accountId: "111111111111",
      service: "ecs-pid-mode-rule",
    });
    expect(swept[0]._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
      expect.arrayContaining(["service", "accountId"]),
    );
    expect(await heartbeats(() => handler(taskDefinitionChangeEvent(), context))).toEqual([]);
    ecs.on(ecsSdk.ListClustersCommand).rejects(awsError("AccessDeniedException", "not allowed"));
    expect(await heartbeats(() => handler(scheduledEvent(), context))).toEqual([]);
  });

  /** A sweep in which the one host-PID revision in use is `agent:1`, which the deployed list exempts. */
  function hostPidAccount(loaded: ReturnType<typeof loadHandler>) {
    const { ecs, ecsSdk, config, configSdk } = loaded;
    const cluster = "arn:aws:ecs:us-east-1:111111111111:cluster/prod";
    const revision = "arn:aws:ecs:us-east-1:111111111111:task-definition/agent:1";
    ecs.on(ecsSdk.ListClustersCommand).resolves({ clusterArns: [cluster] });
    ecs.on(ecsSdk.ListTasksCommand).resolves({ taskArns: [`${cluster.replace("cluster/", "task/")}/t1`] });
    ecs.on(ecsSdk.ListDaemonsCommand).resolves({ daemonSummariesList: [] });
    ecs.on(ecsSdk.DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: `${cluster.replace("cluster/", "task/")}/t1`,
          clusterArn: cluster,
          taskDefinitionArn: revision,
          lastStatus: "RUNNING",
          desiredStatus: "RUNNING",
          group: "family:agent",
        },
      ],
      failures: [],
    });
    ecs.on(ecsSdk.DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { taskDefinitionArn: revision, family: "agent", revision: 1, pidMode: "host" },
    });
    config.on(configSdk.ListDiscoveredResourcesCommand).resolves({
      resourceIdentifiers: [{ resourceType: "AWS::ECS::TaskDefinition", resourceId: "agent" }],
    });
    config.on(configSdk.GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    config.on(configSdk.PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  }

  // The handler runs on the system clock: an expiry 100 days out is within the default 365-day maximum.
  const expires = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);
  const deployedList = JSON.stringify([
    { taskDefinition: "agent", owner: "platform", expires, reason: "node agent" },
  ]);

  function captureMetrics(): { lines: () => Record<string, unknown>[]; restore: () => void } {
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    return {
      lines: () =>
        printed
          .flatMap((line) => line.split("\n"))
          .filter((line) => line.includes('"_aws"'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      restore: () => write.mockRestore(),
    };
  }

  it("applies the deployed list when its digest matches, exempting the host-PID revision", async () => {
    process.env.EXCEPTIONS_PARAMETER_NAME = "/ecs-pid-mode-rule/exceptions";
    process.env.EXCEPTIONS_SHA256 = createHash("sha256").update(deployedList).digest("hex");
    const loaded = loadHandler();
    hostPidAccount(loaded);
    loaded.ssm.on(loaded.ssmSdk.GetParameterCommand).resolves({ Parameter: { Value: deployedList } });
    await loaded.handler(scheduledEvent(), context);
    const sent = loaded.config.commandCalls(loaded.configSdk.PutEvaluationsCommand)[0]?.args[0].input;
    expect(sent?.Evaluations?.[0]).toMatchObject({
      ComplianceResourceId: "agent",
      ComplianceType: "NOT_APPLICABLE",
    });
  });

  it.each([
    [
      "tampered",
      (loaded: ReturnType<typeof loadHandler>) =>
        loaded.ssm
          .on(loaded.ssmSdk.GetParameterCommand)
          .resolves({ Parameter: { Value: deployedList.replace(expires, "9999-12-31") } }),
      "ExceptionsTampered",
      true,
      /exceptions list is tampered.*changed outside the pipeline/,
    ],
    [
      "unreadable",
      (loaded: ReturnType<typeof loadHandler>) =>
        loaded.ssm
          .on(loaded.ssmSdk.GetParameterCommand)
          .rejects(awsError("AccessDeniedException", "not allowed")),
      "ExceptionsUnreadable",
      true,
      /exceptions list is unreadable.*\/ecs-pid-mode-rule\/exceptions: AccessDeniedException/,
    ],
    [
      "corrupt",
      (loaded: ReturnType<typeof loadHandler>) =>
        loaded.ssm.on(loaded.ssmSdk.GetParameterCommand).resolves({ Parameter: { Value: "{not json" } }),
      "ExceptionsUnreadable",
      // A hand deployment: no digest, so the value is read and found not to be JSON.
      false,
      /exceptions list is unreadable.*not JSON/,
    ],
  ])(
    "writes the verdicts as if there were no exceptions when the list is %s, then fails loudly with its metric",
    async (_case, arrange, metricName, withDigest, message) => {
      process.env.EXCEPTIONS_PARAMETER_NAME = "/ecs-pid-mode-rule/exceptions";
      if (withDigest) process.env.EXCEPTIONS_SHA256 = createHash("sha256").update(deployedList).digest("hex");
      const loaded = loadHandler();
      hostPidAccount(loaded);
      arrange(loaded);
      const metrics = captureMetrics();
      try {
        await expect(loaded.handler(scheduledEvent(), context)).rejects.toThrow(message);
      } finally {
        metrics.restore();
      }
      const sent = loaded.config.commandCalls(loaded.configSdk.PutEvaluationsCommand)[0]?.args[0].input;
      expect(sent?.Evaluations?.[0]).toMatchObject({
        ComplianceResourceId: "agent",
        ComplianceType: "NON_COMPLIANT",
      });
      expect(metrics.lines().map((line) => line[metricName])).toContain(1);
    },
  );

  it("refuses a MAX_EXCEPTION_DAYS that is not a whole number, naming the variable", async () => {
    process.env.MAX_EXCEPTION_DAYS = "36.5";
    await expect(loadHandler().handler(scheduledEvent(), context)).rejects.toThrow(
      /MAX_EXCEPTION_DAYS must be a whole number/,
    );
  });

  it("refuses a rate share outside (0, 1] with a message naming the variable", async () => {
    process.env.ECS_RATE_SHARE = "-1";
    await expect(loadHandler().handler(scheduledEvent(), context)).rejects.toThrow(/ECS_RATE_SHARE/);
  });

  it("takes its own account from its ARN and needs a role for any other account", async () => {
    await expect(
      loadHandler().handler(scheduledEvent({ accountId: "333333333333" }), context),
    ).rejects.toThrow(/account 333333333333, not 111111111111/);
  });
});
