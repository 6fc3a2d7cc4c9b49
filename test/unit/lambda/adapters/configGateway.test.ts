import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandInput,
  GetComplianceDetailsByResourceCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { ConfigGateway } from "../../../../lambda/adapters/configGateway";
import type { Evaluation } from "../../../../lambda/core/verdicts";
import { EvaluationsRejectedError, TimeLimitError } from "../../../../lambda/errors";
import { InvocationDeadline } from "../../../../lambda/util/deadline";
import history from "../../../fixtures/config/get-resource-config-history.json";
import { throttling } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

const config = mockClient(ConfigServiceClient);
const gateway = () => new ConfigGateway(new ConfigServiceClient({ region: "us-east-1" }), new FakeClock());

const evaluations = (count: number): Evaluation[] =>
  Array.from({ length: count }, (_, index) => ({
    resourceType: "AWS::ECS::TaskDefinition",
    resourceId: `family-${index}`,
    complianceType: "COMPLIANT",
    annotation: "ok",
    orderingTimestamp: new Date("2026-11-30T00:00:00Z"),
  }));

beforeEach(() => config.reset());

describe("writing evaluations", () => {
  it.each([
    [0, [0]],
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]],
  ])(
    "sends %i evaluations in batches of %j (one empty call when there is nothing to write)",
    async (count, batches) => {
      config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
      await gateway().putEvaluations(evaluations(count), "token");
      expect(
        config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input.Evaluations?.length),
      ).toEqual(batches);
    },
  );

  it("sets TestMode only for the TESTMODE result token", async () => {
    config.on(PutEvaluationsCommand).resolves({});
    await gateway().putEvaluations(evaluations(1), "TESTMODE");
    await gateway().putEvaluations(evaluations(1), "real-token");
    expect(config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input.TestMode)).toEqual([
      true,
      false,
    ]);
  });

  it("sends every batch, then fails naming what Config rejected", async () => {
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: "AWS::ECS::TaskDefinition",
            ComplianceResourceId: "family-3",
            ComplianceType: "COMPLIANT",
            OrderingTimestamp: new Date(),
          },
        ],
      })
      .resolves({ FailedEvaluations: [] });
    const write = gateway().putEvaluations(evaluations(150), "token");
    await expect(write).rejects.toThrow(EvaluationsRejectedError);
    await expect(write).rejects.toThrow(/family-3/);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(2);
  });

  it("retries a throttled write", async () => {
    config.on(PutEvaluationsCommand).rejectsOnce(throttling()).resolves({});
    await gateway().putEvaluations(evaluations(1), "token");
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(2);
  });
});

describe("writing and reading within the invocation's time", () => {
  /** A deadline whose Lambda has `remainingMs()` left, with the rule's reserve and final margin. */
  const deadlineWith = (remainingMs: () => number) => {
    const deadline = new InvocationDeadline();
    deadline.start(remainingMs, { reserveMs: 60_000, finalMarginMs: 25_000 });
    return deadline;
  };

  it("begins no further batch once a request might outlast the invocation, and names what was not written", async () => {
    const clock = new FakeClock();
    const lambdaEndsAt = clock.now() + 40_000;
    config.on(PutEvaluationsCommand).callsFake(async () => {
      clock.advance(10_000);
      return { FailedEvaluations: [] };
    });
    const gatewayWithDeadline = new ConfigGateway(
      new ConfigServiceClient({ region: "us-east-1" }),
      clock,
      deadlineWith(() => lambdaEndsAt - clock.now()),
    );
    const writing = gatewayWithDeadline.putEvaluations(evaluations(450), "token");
    await expect(writing).rejects.toThrow(TimeLimitError);
    await expect(writing).rejects.toThrow("250 of 450 evaluation(s) not written before the time limit");
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(2);
  });

  it("retries a throttled write only while its backoff ends before the final margin", async () => {
    const clock = new FakeClock();
    const lambdaEndsAt = clock.now() + 27_000;
    config.on(PutEvaluationsCommand).rejects(throttling());
    const gatewayWithDeadline = new ConfigGateway(
      new ConfigServiceClient({ region: "us-east-1" }),
      clock,
      deadlineWith(() => lambdaEndsAt - clock.now()),
    );
    await expect(gatewayWithDeadline.putEvaluations(evaluations(1), "token")).rejects.toThrow(
      "Rate exceeded",
    );
    expect(config.commandCalls(PutEvaluationsCommand).length).toBeLessThan(6);
    expect(clock.sleeps.reduce((total, sleep) => total + sleep, 0)).toBeLessThan(2_000);
  });

  it("stops a listing of many pages where the reserve begins", async () => {
    let remainingMs = 120_000;
    config.on(ListDiscoveredResourcesCommand).callsFake(async () => {
      remainingMs = 59_000;
      return { resourceIdentifiers: [{ resourceId: "web" }], nextToken: "page-2" };
    });
    const gatewayWithDeadline = new ConfigGateway(
      new ConfigServiceClient({ region: "us-east-1" }),
      new FakeClock(),
      deadlineWith(() => remainingMs),
    );
    await expect(gatewayWithDeadline.recordedResourceIds("AWS::ECS::TaskDefinition")).rejects.toThrow(
      "AWS Config's recorded AWS::ECS::TaskDefinition resources: not read before the time limit",
    );
    expect(config.commandCalls(ListDiscoveredResourcesCommand)).toHaveLength(1);
  });

  it("does not retry a read once the reserve has begun", async () => {
    config.on(ListDiscoveredResourcesCommand).rejects(throttling());
    const gatewayWithDeadline = new ConfigGateway(
      new ConfigServiceClient({ region: "us-east-1" }),
      new FakeClock(),
      deadlineWith(() => 59_000),
    );
    await expect(gatewayWithDeadline.recordedResourceIds("AWS::ECS::TaskDefinition")).rejects.toThrow();
    expect(config.commandCalls(ListDiscoveredResourcesCommand)).toHaveLength(1);
  });
});

describe("reading what Config holds", () => {
  it("reads every page of all three compliance types", async () => {
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .callsFake((input: GetComplianceDetailsByConfigRuleCommandInput) => {
        const result = (id: string, type: string) => ({
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: input.ConfigRuleName,
              ResourceType: "AWS::ECS::TaskDefinition",
              ResourceId: id,
            },
          },
          ComplianceType: type,
          Annotation: `about ${id}`,
        });
        return input.NextToken
          ? { EvaluationResults: [result("b", "NOT_APPLICABLE")] }
          : { EvaluationResults: [result("a", "NON_COMPLIANT")], NextToken: "2" };
      });
    const verdicts = await gateway().currentVerdicts("rule");
    expect([...verdicts.values()]).toEqual([
      {
        resourceType: "AWS::ECS::TaskDefinition",
        resourceId: "a",
        complianceType: "NON_COMPLIANT",
        annotation: "about a",
      },
      {
        resourceType: "AWS::ECS::TaskDefinition",
        resourceId: "b",
        complianceType: "NOT_APPLICABLE",
        annotation: "about b",
      },
    ]);
    const first = config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0]?.args[0].input;
    expect(first?.ComplianceTypes).toEqual(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
    expect(first?.Limit).toBe(100);
  });

  it("lists every page of recorded resource ids", async () => {
    config
      .on(ListDiscoveredResourcesCommand)
      .resolvesOnce({ resourceIdentifiers: [{ resourceId: "web" }], nextToken: "n" })
      .resolvesOnce({ resourceIdentifiers: [{ resourceId: "api" }] });
    expect(await gateway().recordedResourceIds("AWS::ECS::TaskDefinition")).toEqual(["web", "api"]);
  });

  it("samples recorded ids once per container", async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [{ resourceId: "web" }] });
    const shared = gateway();
    await shared.sampleResourceIds("AWS::ECS::TaskDefinition");
    expect(await shared.sampleResourceIds("AWS::ECS::TaskDefinition")).toEqual(["web"]);
    expect(config.commandCalls(ListDiscoveredResourcesCommand)).toHaveLength(1);
  });

  it("fetches an oversized item from history and decodes its configuration", async () => {
    config.on(GetResourceConfigHistoryCommand).resolves(history as never);
    const item = await gateway().historicalItem(
      "AWS::ECS::TaskDefinition",
      "web",
      new Date("2026-11-29T10:15:30.123Z"),
    );
    expect(item.configuration?.PidMode).toBe("host");
    expect(item.status).toBe("OK");
    const input = config.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ resourceType: "AWS::ECS::TaskDefinition", resourceId: "web", limit: 1 });
    expect(input?.laterTime?.toISOString()).toBe("2026-11-29T10:15:30.123Z");
  });

  it("fails clearly when the history has no item", async () => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await expect(gateway().historicalItem("AWS::ECS::TaskDefinition", "web", new Date())).rejects.toThrow(
      /no history for AWS::ECS::TaskDefinition web/,
    );
  });
});

describe("reading what Config holds for the resources of one change", () => {
  const result = (ruleName: string, resourceId: string, complianceType: string, annotation: string) => ({
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: ruleName,
        ResourceType: "AWS::ECS::TaskDefinition",
        ResourceId: resourceId,
      },
    },
    ComplianceType: complianceType as "COMPLIANT",
    Annotation: annotation,
  });

  it("keeps only this rule's verdict among every rule's, following every page", async () => {
    config
      .on(GetComplianceDetailsByResourceCommand, { ResourceId: "web", NextToken: undefined })
      .resolves({
        EvaluationResults: [result("securityhub-ecs-3", "web", "NON_COMPLIANT", "other")],
        NextToken: "p2",
      })
      .on(GetComplianceDetailsByResourceCommand, { ResourceId: "web", NextToken: "p2" })
      .resolves({
        EvaluationResults: [
          result("ours", "web", "COMPLIANT", "In use without the host PID namespace: web:4."),
        ],
      });
    const verdicts = await gateway().verdictsFor("ours", [
      { resourceType: "AWS::ECS::TaskDefinition", resourceId: "web" },
      { resourceType: "AWS::ECS::TaskDefinition", resourceId: "web" },
    ]);
    expect([...verdicts.values()]).toEqual([
      {
        resourceType: "AWS::ECS::TaskDefinition",
        resourceId: "web",
        complianceType: "COMPLIANT",
        annotation: "In use without the host PID namespace: web:4.",
      },
    ]);
    expect(config.commandCalls(GetComplianceDetailsByResourceCommand)).toHaveLength(2);
  });

  it("returns nothing for a resource this rule has not judged yet", async () => {
    config.on(GetComplianceDetailsByResourceCommand).resolves({ EvaluationResults: [] });
    const verdicts = await gateway().verdictsFor("ours", [
      { resourceType: "AWS::ECS::Service", resourceId: "arn:x" },
    ]);
    expect(verdicts.size).toBe(0);
  });
});
