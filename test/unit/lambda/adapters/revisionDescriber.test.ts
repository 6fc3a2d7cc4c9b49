import {
  DescribeDaemonTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandInput,
  ECSClient,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { EcsCaller } from "../../../../lambda/adapters/ecsCalls";
import { ecsLimiters } from "../../../../lambda/adapters/ecsReadBuckets";
import { EcsRevisionDescriber, RevisionFactsCache } from "../../../../lambda/adapters/revisionDescriber";
import describeDaemon from "../../../fixtures/ecs/describe-daemon-task-definition-shared.json";
import describeHost from "../../../fixtures/ecs/describe-task-definition-host.json";
import { accessDenied, awsError } from "../../../support/awsErrors";
import { revisionArn } from "../../../support/ecsIds";
import { FakeClock } from "../../../support/fakeClock";

const ecs = mockClient(ECSClient);

function describer(cache = new RevisionFactsCache()) {
  const clock = new FakeClock();
  return new EcsRevisionDescriber(
    new EcsCaller(new ECSClient({ region: "us-east-1" }), ecsLimiters(1, clock), clock),
    cache,
  );
}

function answerFromLabels(pidModes: Record<string, string | undefined>) {
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: DescribeTaskDefinitionCommandInput) => {
    const label = String(input.taskDefinition).split("/").pop() as string;
    if (!(label in pidModes)) throw awsError("ClientException", "Unable to describe task definition.");
    const pidMode = pidModes[label];
    return {
      taskDefinition: {
        taskDefinitionArn: revisionArn(label),
        family: label.split(":")[0],
        ...(pidMode ? { pidMode } : {}),
      },
    };
  });
}

beforeEach(() => ecs.reset());

describe("describing revisions", () => {
  it("reads pidMode from a real DescribeTaskDefinition response", async () => {
    ecs.on(DescribeTaskDefinitionCommand).resolves(describeHost as never);
    const result = await describer().describeAll([revisionArn("web:3")]);
    expect(result.facts.get(revisionArn("web:3"))).toEqual({
      arn: revisionArn("web:3"),
      family: "web",
      revision: 3,
      pidMode: "host",
    });
  });

  it("describes each distinct revision once for the container's life, even when asked concurrently", async () => {
    answerFromLabels({ "web:3": "host", "web:4": undefined });
    const shared = describer();
    shared.prefetch(revisionArn("web:3"));
    await Promise.all([
      shared.describeAll([revisionArn("web:3"), revisionArn("web:4")]),
      shared.describeAll([revisionArn("web:3")]),
    ]);
    const again = await shared.describeAll([revisionArn("web:3"), revisionArn("web:4")]);
    expect(again.facts.get(revisionArn("web:4"))?.pidMode).toBeUndefined();
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2);
  });

  it("reports a revision it cannot describe as unread and tries again next time", async () => {
    ecs.on(DescribeTaskDefinitionCommand).rejects(accessDenied("ecs:DescribeTaskDefinition"));
    const shared = describer();
    const first = await shared.describeAll([revisionArn("web:3")]);
    expect(first.unread.get(revisionArn("web:3"))).toContain("AccessDeniedException");
    await shared.describeAll([revisionArn("web:3")]);
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand).length).toBe(2);
  });

  it("leaves unknown revisions undescribed once the time is up, but still returns known ones", async () => {
    answerFromLabels({ "web:3": "host" });
    const shared = describer();
    await shared.describeAll([revisionArn("web:3")]);
    const result = await shared.describeAll([revisionArn("web:3"), revisionArn("web:4")], () => true);
    expect(result.facts.has(revisionArn("web:3"))).toBe(true);
    expect(result.unread.get(revisionArn("web:4"))).toBe("not described before the time limit");
  });

  it("sends no further describe once the time is up, even for revisions announced earlier", async () => {
    const labels = Array.from({ length: 20 }, (_, index) => `web:${index + 1}`);
    answerFromLabels(Object.fromEntries(labels.map((label) => [label, undefined])));
    const shared = describer();
    let timeUp = false;
    const shouldStop = () => timeUp;
    for (const label of labels) shared.prefetch(revisionArn(label), shouldStop);
    timeUp = true;
    const result = await shared.describeAll(labels.map(revisionArn), shouldStop);
    const calls = ecs.commandCalls(DescribeTaskDefinitionCommand).length;
    expect(calls).toBeLessThan(20);
    expect(result.facts.size).toBe(calls);
    expect(result.unread.size).toBe(20 - calls);
    expect(new Set(result.unread.values())).toEqual(new Set(["not described before the time limit"]));
  });

  it("resolves a bare family to its latest revision without caching the family name", async () => {
    answerFromLabels({ web: undefined });
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: "web" })
      .resolves({ taskDefinition: { taskDefinitionArn: revisionArn("web:9") } });
    const shared = describer();
    expect((await shared.describeReference("web")).revision).toBe(9);
    await shared.describeReference("web");
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2);
  });

  it("uses facts it was told instead of calling ECS", async () => {
    const shared = describer();
    shared.remember({ arn: revisionArn("web:3"), family: "web", revision: 3, pidMode: "host" });
    const result = await shared.describeAll([revisionArn("web:3")]);
    expect(result.facts.get(revisionArn("web:3"))?.pidMode).toBe("host");
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
  });

  it("forgets the oldest descriptions beyond its capacity", () => {
    const cache = new RevisionFactsCache(2);
    for (const revision of [1, 2, 3])
      cache.put({ arn: revisionArn(`web:${revision}`), family: "web", revision, pidMode: undefined });
    expect(cache.size).toBe(2);
    expect(cache.get(revisionArn("web:1"))).toBeUndefined();
    expect(cache.get(revisionArn("web:3"))).toBeDefined();
  });
});

describe("describing daemon task definitions", () => {
  const daemonArn = "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/node-agent:2";

  it("asks DescribeDaemonTaskDefinition for a daemon ARN and keeps its pidMode", async () => {
    ecs.on(DescribeDaemonTaskDefinitionCommand).resolves(describeDaemon as never);
    const result = await describer().describeAll([daemonArn]);
    expect(result.facts.get(daemonArn)).toEqual({
      arn: daemonArn,
      family: "node-agent",
      revision: 2,
      pidMode: "shared",
    });
    expect(ecs.commandCalls(DescribeDaemonTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      daemonTaskDefinition: daemonArn,
    });
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
  });

  it("leaves a daemon revision it may not describe unread", async () => {
    ecs.on(DescribeDaemonTaskDefinitionCommand).rejects(accessDenied("ecs:DescribeDaemonTaskDefinition"));
    const result = await describer().describeAll([daemonArn]);
    expect(result.unread.get(daemonArn)).toMatch(/AccessDeniedException/);
  });
});
