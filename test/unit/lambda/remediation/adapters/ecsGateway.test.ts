import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { EcsRemediationGateway } from "../../../../../lambda/remediation/adapters/ecsGateway";
import { MemoryJournalStore } from "../../../../../lambda/remediation/adapters/memoryJournal";
import { PacedCalls } from "../../../../../lambda/remediation/adapters/paced";
import { REPLACES_TAG } from "../../../../../lambda/remediation/core/replacement";
import type { WorkItem } from "../../../../../lambda/remediation/core/waves";
import { applyBatch } from "../../../../../lambda/remediation/useCases/apply";
import rolledBackJson from "../../../../fixtures/ecs/describe-services-rolled-back.json";
import { FakeClock } from "../../../../support/fakeClock";

/**
 * What moto does not model: ECS's deployments. moto keeps one PRIMARY deployment IN_PROGRESS for ever and adds
 * none on UpdateService, so the deployment states ECS reports are covered here against the SDK's own client.
 */

const rolledBack = rolledBackJson as unknown as DescribeServicesCommandOutput;
const ACCOUNT = "111122223333";
const arn = (label: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${label}`;
const ecs = mockClient(ECSClient);
const clock = () => new FakeClock(0);
const gateway = (time = clock()) =>
  new EcsRemediationGateway(new ECSClient({ region: "us-east-1" }), new PacedCalls(time));
const error = (name: string, message = name) => Object.assign(new Error(message), { name });

const item: WorkItem = {
  revision: "agent:3",
  revisionArn: arn("agent:3"),
  target: { kind: "service", cluster: "prod", service: "api" },
  runningTasks: 2,
  exposure: { status: "not-exposed" },
  production: { status: "production", evidence: "cluster" },
};

function serviceOn(
  taskDefinition: string,
  rolloutState?: string,
  reason?: string,
): DescribeServicesCommandOutput {
  return {
    services: [
      {
        serviceName: "api",
        status: "ACTIVE",
        taskDefinition,
        deployments: [
          {
            id: "ecs-svc/1",
            status: "PRIMARY",
            taskDefinition,
            rolloutState,
            rolloutStateReason: reason,
            desiredCount: 2,
            runningCount: 2,
          },
        ],
      },
    ],
    failures: [],
    $metadata: {},
  } as DescribeServicesCommandOutput;
}

beforeEach(() => {
  ecs.reset();
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      family: "agent",
      revision: 3,
      pidMode: "host",
      containerDefinitions: [{ name: "agent", image: "agent:1" }],
    },
    tags: [{ key: "team", value: "platform" }],
  });
  ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn("agent:4") } });
  ecs.on(UpdateServiceCommand).resolves({});
});

describe("an apply against ECS's deployment states", () => {
  it("moves the service to the exact ARN it registered and finishes when the rollout is COMPLETED", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(serviceOn(arn("agent:3"), "COMPLETED"))
      .resolvesOnce(serviceOn(arn("agent:4"), "IN_PROGRESS"))
      .resolves(serviceOn(arn("agent:4"), "COMPLETED"));
    const result = await applyBatch(
      [item],
      { ecs: gateway(), journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      {
        scope: { accountId: ACCOUNT, region: "us-east-1" },
        rolloutTimeoutMs: 600_000,
        pollIntervalMs: 15_000,
      },
    );
    expect(result.services[0]?.outcome).toEqual({ kind: "moved", to: arn("agent:4") });
    expect(ecs.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input)).toEqual([
      { cluster: "prod", service: "api", taskDefinition: arn("agent:4") },
    ]);
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(registered).not.toHaveProperty("pidMode");
    expect(registered?.tags).toEqual([
      { key: "team", value: "platform" },
      { key: REPLACES_TAG, value: "agent:3" },
    ]);
  });

  it("stops and names the circuit breaker's reason when the deployment is rolled back", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(serviceOn(arn("agent:3"), "COMPLETED"))
      .resolves(rolledBack);
    const result = await applyBatch(
      [item, { ...item, target: { kind: "service", cluster: "prod", service: "next" } }],
      { ecs: gateway(), journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      {
        scope: { accountId: ACCOUNT, region: "us-east-1" },
        rolloutTimeoutMs: 600_000,
        pollIntervalMs: 15_000,
      },
    );
    expect(result.stoppedAt?.why).toBe(
      "the deployment failed: ECS deployment circuit breaker: tasks failed to start.",
    );
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it("calls a rollout still IN_PROGRESS at the time limit in progress (bake time, lifecycle hooks), not failed", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(serviceOn(arn("agent:3"), "COMPLETED"))
      .resolves(serviceOn(arn("agent:4"), "IN_PROGRESS"));
    const time = clock();
    const result = await applyBatch(
      [item],
      { ecs: gateway(time), journal: new MemoryJournalStore(), clock: time, report: () => {} },
      {
        scope: { accountId: ACCOUNT, region: "us-east-1" },
        rolloutTimeoutMs: 120_000,
        pollIntervalMs: 15_000,
      },
    );
    expect(result.stoppedAt).toBeUndefined();
    expect(result.inProgressAt?.detail).toMatch(
      /^the deployment was still running after 120 s \(2\/2 tasks running\); run again to check it/,
    );
    expect(time.now()).toBeGreaterThanOrEqual(120_000);
  });
});

describe("the ECS gateway", () => {
  it("nominates the newer ACTIVE revisions tagged as the replacement, looking only at the family itself", async () => {
    ecs
      .on(ListTaskDefinitionsCommand)
      .resolves({ taskDefinitionArns: [arn("agent-v2:9"), arn("agent:5"), arn("agent:4"), arn("agent:3")] });
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: arn("agent:5"), include: ["TAGS"] })
      .resolves({ taskDefinition: { family: "agent", revision: 5 }, tags: [] });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn("agent:4"), include: ["TAGS"] }).resolves({
      taskDefinition: { family: "agent", revision: 4 },
      tags: [{ key: REPLACES_TAG, value: "agent:3" }],
    });
    expect((await gateway().taggedCandidates("agent", "agent:3", 3)).map((entry) => entry.arn)).toEqual([
      arn("agent:4"),
    ]);
    expect(ecs.commandCalls(ListTaskDefinitionsCommand)[0]?.args[0].input).toMatchObject({
      familyPrefix: "agent",
      status: "ACTIVE",
      sort: "DESC",
    });
    expect(
      ecs.commandCalls(DescribeTaskDefinitionCommand).map((call) => call.args[0].input.taskDefinition),
    ).toEqual([arn("agent:5"), arn("agent:4")]);
  });

  it("finds the candidates when the list comes oldest first, as moto sends it", async () => {
    ecs
      .on(ListTaskDefinitionsCommand)
      .resolves({ taskDefinitionArns: [arn("agent:2"), arn("agent:3"), arn("agent:4")] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { family: "agent", revision: 4 },
      tags: [{ key: REPLACES_TAG, value: "agent:3" }],
    });
    expect((await gateway().taggedCandidates("agent", "agent:3", 3)).map((entry) => entry.arn)).toEqual([
      arn("agent:4"),
    ]);
  });

  it("stops paging once a page ends on revisions older than the one replaced", async () => {
    ecs
      .on(ListTaskDefinitionsCommand)
      .resolves({ taskDefinitionArns: [arn("agent:4"), arn("agent:2")], nextToken: "more" });
    ecs
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { family: "agent", revision: 4 }, tags: [] });
    expect(await gateway().taggedCandidates("agent", "agent:3", 3)).toEqual([]);
    expect(ecs.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(1);
  });

  it("returns each tagged candidate with its description, for the caller to compare", async () => {
    const described = {
      taskDefinition: { family: "agent", revision: 4, pidMode: "host" as const },
      tags: [{ key: REPLACES_TAG, value: "agent:3" }],
    };
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [arn("agent:4")] });
    ecs.on(DescribeTaskDefinitionCommand).resolves(described);
    expect(await gateway().taggedCandidates("agent", "agent:3", 3)).toEqual([
      { arn: arn("agent:4"), described: expect.objectContaining(described) },
    ]);
  });

  it("names iam:PassRole when RegisterTaskDefinition is denied for the task's role", async () => {
    ecs
      .on(RegisterTaskDefinitionCommand)
      .rejects(
        error(
          "AccessDeniedException",
          "User: arn:aws:iam::111122223333:user/ops is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/agent-task",
        ),
      );
    await expect(gateway().register({ family: "agent", containerDefinitions: [] })).rejects.toMatchObject({
      name: "MissingPermissionError",
      permission: "iam:PassRole",
    });
  });

  it("names the call's own action when the denial does not say which", async () => {
    ecs.on(UpdateServiceCommand).rejects(error("AccessDeniedException", "Access denied"));
    await expect(gateway().updateService("prod", "api", arn("agent:4"))).rejects.toMatchObject({
      permission: "ecs:UpdateService",
    });
  });

  it("retries a write ECS throttled, and never one that failed otherwise", async () => {
    ecs
      .on(RegisterTaskDefinitionCommand)
      .rejectsOnce(error("ThrottlingException", "Rate exceeded"))
      .resolves({ taskDefinition: { taskDefinitionArn: arn("agent:4") } });
    expect(await gateway().register({ family: "agent", containerDefinitions: [] })).toBe(arn("agent:4"));
    ecs.on(RegisterTaskDefinitionCommand).rejects(error("TimeoutError", "socket hang up"));
    await expect(gateway().register({ family: "agent", containerDefinitions: [] })).rejects.toThrow(
      "socket hang up",
    );
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(3);
  });

  it("reports a service that is MISSING or INACTIVE as gone", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [],
        failures: [{ arn: "arn:aws:ecs:us-east-1:111122223333:service/prod/api", reason: "MISSING" }],
      })
      .resolves({ services: [{ serviceName: "api", status: "INACTIVE" }], failures: [] });
    expect(await gateway().describeService("prod", "api")).toBeUndefined();
    expect(await gateway().describeService("prod", "api")).toBeUndefined();
  });
});
