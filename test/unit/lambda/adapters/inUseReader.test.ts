import {
  ClusterNotFoundException,
  DescribeTasksCommand,
  type DescribeTasksCommandInput,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  type ListTasksCommandInput,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { EcsCaller } from "../../../../lambda/adapters/ecsCalls";
import { ecsLimiters } from "../../../../lambda/adapters/ecsReadBuckets";
import { EcsInUseReader } from "../../../../lambda/adapters/inUseReader";
import { accessDenied, throttling } from "../../../support/awsErrors";
import { clusterArn, revisionArn, taskArn } from "../../../support/ecsIds";
import { FakeClock } from "../../../support/fakeClock";

const ecs = mockClient(ECSClient);

interface FakeTask {
  id: string;
  revision: string;
  service?: string;
  lastStatus?: string;
  /** The task's taskDefinitionArn when it is not the task definition revision `revision` names. */
  arn?: string;
  group?: string;
}

/** Serves ListTasks/DescribeTasks for clusters from a table, paging ListTasks by 100 like ECS. */
function serveClusters(clusters: Record<string, FakeTask[]>, missing = new Set<string>()) {
  ecs.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => {
    const name = String(input.cluster).split("/").pop() as string;
    const all = clusters[name];
    if (!all) throw new ClusterNotFoundException({ message: "Cluster not found.", $metadata: {} });
    const tasks = all.filter(
      (task) => input.family === undefined || task.revision.split(":")[0] === input.family,
    );
    const start = Number(input.nextToken ?? 0);
    const arns = tasks.slice(start, start + 100).map((task) => taskArn(name, task.id));
    return { taskArns: arns, nextToken: start + 100 < tasks.length ? String(start + 100) : undefined };
  });
  ecs.on(DescribeTasksCommand).callsFake((input: DescribeTasksCommandInput) => {
    const name = String(input.cluster).split("/").pop() as string;
    const byArn = new Map((clusters[name] ?? []).map((task) => [taskArn(name, task.id), task]));
    const requested = input.tasks ?? [];
    return {
      tasks: requested
        .filter((arn) => byArn.has(arn) && !missing.has(arn))
        .map((arn) => {
          const task = byArn.get(arn) as FakeTask;
          return {
            taskArn: arn,
            clusterArn: clusterArn(name),
            taskDefinitionArn: task.arn ?? revisionArn(task.revision),
            lastStatus: task.lastStatus ?? "RUNNING",
            desiredStatus: "RUNNING",
            group: task.group ?? (task.service ? `service:${task.service}` : "family:x"),
          };
        }),
      failures: requested.filter((arn) => missing.has(arn)).map((arn) => ({ arn, reason: "MISSING" })),
    };
  });
  ecs.on(ListClustersCommand).resolves({ clusterArns: Object.keys(clusters).map(clusterArn) });
}

function reader(clock = new FakeClock()) {
  return new EcsInUseReader(
    new EcsCaller(new ECSClient({ region: "us-east-1" }), ecsLimiters(1, clock), clock),
  );
}

beforeEach(() => ecs.reset());

describe("reading which revisions RUNNING tasks use", () => {
  it("follows every page of clusters and tasks and describes tasks 100 at a time", async () => {
    const big = Array.from({ length: 201 }, (_, index) => ({
      id: `t${index}`,
      revision: index === 200 ? "web:4" : "web:3",
      service: "api",
    }));
    serveClusters({ a: big, b: [{ id: "x", revision: "batch:1" }] });
    ecs
      .on(ListClustersCommand)
      .resolvesOnce({ clusterArns: [clusterArn("a")], nextToken: "p2" })
      .resolvesOnce({ clusterArns: [clusterArn("b")] });

    const view = await reader().read();

    expect(view.unreadParts).toEqual([]);
    expect(view.revisions.map((revision) => `${revision.family}:${revision.revision}`)).toEqual([
      "batch:1",
      "web:3",
      "web:4",
    ]);
    expect(view.revisions.find((revision) => revision.family === "batch")?.placements).toEqual([
      { cluster: "b", tasks: 1 },
    ]);
    // Every task of every page is counted where it runs.
    expect(view.revisions.find((revision) => revision.revision === 3)?.placements).toEqual([
      { cluster: "a", service: "api", tasks: 200 },
    ]);
    expect(ecs.commandCalls(ListClustersCommand)).toHaveLength(2);
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(4);
    const batches = ecs.commandCalls(DescribeTasksCommand).map((call) => call.args[0].input.tasks?.length);
    expect(batches.sort()).toEqual([1, 1, 100, 100]);
    for (const call of ecs.commandCalls(ListTasksCommand))
      expect(call.args[0].input.desiredStatus).toBe("RUNNING");
  });

  it("counts a deregistered revision that still runs like any other", async () => {
    serveClusters({ prod: [{ id: "t", revision: "old:1" }] });
    const view = await reader().read();
    expect(view.revisions.map((revision) => revision.arn)).toEqual([revisionArn("old:1")]);
  });

  it("ignores tasks reported MISSING and tasks already STOPPED", async () => {
    serveClusters(
      {
        prod: [
          { id: "gone", revision: "web:1" },
          { id: "stopped", revision: "web:2", lastStatus: "STOPPED" },
          { id: "live", revision: "web:3" },
        ],
      },
      new Set([taskArn("prod", "gone")]),
    );
    const view = await reader().read();
    expect(view.revisions.map((revision) => revision.revision)).toEqual([3]);
    expect(view.unreadParts).toEqual([]);
  });

  it("treats a cluster deleted while it is read as running nothing", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs.on(ListClustersCommand).resolves({ clusterArns: [clusterArn("prod"), clusterArn("vanished")] });
    const view = await reader().read();
    expect(view.unreadParts).toEqual([]);
    expect(view.revisions).toHaveLength(1);
  });

  it("drops what it saw of a cluster that vanished between ListTasks and DescribeTasks", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs
      .on(DescribeTasksCommand)
      .rejects(new ClusterNotFoundException({ message: "Cluster not found.", $metadata: {} }));
    const view = await reader().read();
    expect(view).toMatchObject({ revisions: [], unreadParts: [] });
  });

  it("marks a cluster it may not read as unread, naming it", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }], secret: [{ id: "s", revision: "spy:1" }] });
    ecs.on(ListTasksCommand, { cluster: clusterArn("secret") }).rejects(accessDenied("ecs:ListTasks"));
    const view = await reader().read();
    expect(view.unreadParts).toEqual([expect.stringContaining("cluster secret: AccessDeniedException")]);
    expect(view.revisions.map((revision) => revision.family)).toEqual(["web"]);
  });

  it("marks tasks that DescribeTasks neither returns nor lists as failures as unread", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [] });
    const view = await reader().read();
    expect(view.unreadParts).toEqual(["cluster prod: 1 task(s) not described"]);
  });

  it("marks a DescribeTasks failure other than MISSING as unread", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs
      .on(DescribeTasksCommand)
      .resolves({ tasks: [], failures: [{ arn: taskArn("prod", "t"), reason: "INTERNAL_ERROR" }] });
    const view = await reader().read();
    expect(view.unreadParts).toEqual([`cluster prod: task ${taskArn("prod", "t")}: INTERNAL_ERROR`]);
  });

  it("retries a throttled call with backoff and then reads on", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs
      .on(ListClustersCommand)
      .rejectsOnce(throttling())
      .resolves({ clusterArns: [clusterArn("prod")] });
    const clock = new FakeClock();
    const view = await reader(clock).read();
    expect(view.unreadParts).toEqual([]);
    expect(ecs.commandCalls(ListClustersCommand)).toHaveLength(2);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it("gives up on a cluster throttled past its retries and says so", async () => {
    serveClusters({ prod: [{ id: "t", revision: "web:3" }] });
    ecs.on(ListTasksCommand).rejects(throttling());
    const view = await reader().read();
    expect(view.unreadParts).toEqual([expect.stringContaining("cluster prod: ThrottlingException")]);
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(6);
  });

  it("reports the whole account unread when the cluster list cannot be read", async () => {
    ecs.on(ListClustersCommand).rejects(accessDenied("ecs:ListClusters"));
    const view = await reader().read();
    expect(view.revisions).toEqual([]);
    expect(view.unreadParts).toEqual([expect.stringContaining("the cluster list: AccessDeniedException")]);
  });

  it("stops reading clusters when told to and lists them as unread", async () => {
    serveClusters({ a: [{ id: "t", revision: "web:3" }], b: [{ id: "u", revision: "web:3" }] });
    const view = await new EcsInUseReader(
      new EcsCaller(new ECSClient({ region: "us-east-1" }), ecsLimiters(1, new FakeClock()), new FakeClock()),
      1,
    ).read({ shouldStop: () => ecs.commandCalls(ListTasksCommand).length >= 1 });
    expect(view.unreadParts).toEqual(["cluster b: not read before the time limit"]);
  });

  it("announces each revision once, as soon as a task using it is described", async () => {
    serveClusters({
      a: [
        { id: "1", revision: "web:3" },
        { id: "2", revision: "web:3" },
      ],
      b: [
        { id: "3", revision: "web:3" },
        { id: "4", revision: "api:1" },
      ],
    });
    const announced: string[] = [];
    await reader().read({ onRevision: (arn) => announced.push(arn) });
    expect(announced.sort()).toEqual([revisionArn("api:1"), revisionArn("web:3")]);
  });

  it("takes a cluster an earlier attempt of the sweep read to the end as it was, without asking ECS again", async () => {
    serveClusters({
      a: [{ id: "1", revision: "web:3", service: "web" }],
      b: [{ id: "2", revision: "api:1" }],
    });
    const announced: string[] = [];
    const view = await reader().read({
      onRevision: (arn) => announced.push(arn),
      earlierReads: new Map([
        [
          clusterArn("b"),
          {
            clusterArn: clusterArn("b"),
            tasks: [{ taskDefinitionArn: revisionArn("job:2"), placement: { cluster: "b" } }],
            complete: true,
          },
        ],
      ]),
    });
    expect(ecs.commandCalls(ListTasksCommand).map((call) => call.args[0].input.cluster)).toEqual([
      clusterArn("a"),
    ]);
    expect(view.revisions.map((revision) => revision.arn)).toEqual([
      revisionArn("job:2"),
      revisionArn("web:3"),
    ]);
    expect(announced.sort()).toEqual([revisionArn("job:2"), revisionArn("web:3")]);
  });

  it("tells once each cluster read to the end which services run in it, and stays silent about a cluster it could not read", async () => {
    serveClusters({
      a: [
        { id: "1", revision: "web:3", service: "web" },
        { id: "2", revision: "web:3", service: "web" },
        { id: "3", revision: "api:1", service: "api" },
        { id: "4", revision: "job:1" },
      ],
      b: [{ id: "5", revision: "job:1" }],
      secret: [{ id: "6", revision: "spy:1", service: "spy" }],
    });
    ecs.on(ListTasksCommand, { cluster: clusterArn("secret") }).rejects(accessDenied("ecs:ListTasks"));
    const told: [string, string[]][] = [];
    await reader().read({
      onClusterRead: (read) =>
        told.push([
          read.clusterArn,
          [...new Set(read.tasks.flatMap((task) => task.placement.service ?? []))].sort(),
        ]),
    });
    expect(told.sort()).toEqual([
      [clusterArn("a"), ["api", "web"]],
      [clusterArn("b"), []],
    ]);
  });
});

const daemonArn = (label: string) => `arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/${label}`;

describe("reading tasks of ECS Managed Daemons and other odd task definition ARNs", () => {
  it("keeps daemon task definition revisions apart from task definition revisions, with the daemon's name", async () => {
    serveClusters({
      prod: [
        { id: "a", revision: "web:3", service: "api" },
        { id: "d", revision: "node-agent:2", arn: daemonArn("node-agent:2"), group: "daemon:node-agent" },
      ],
    });
    const view = await reader().read();
    expect(view.revisions.map((revision) => revision.arn)).toEqual([revisionArn("web:3")]);
    expect(view.daemonRevisions).toEqual([
      {
        arn: daemonArn("node-agent:2"),
        family: "node-agent",
        revision: 2,
        placements: [{ cluster: "prod", daemon: "node-agent" }],
      },
    ]);
    expect(view.unreadParts).toEqual([]);
  });

  it("keeps a daemon task whose group names no daemon, placed only on its cluster", async () => {
    serveClusters({ prod: [{ id: "d", revision: "node-agent:2", arn: daemonArn("node-agent:2") }] });
    const view = await reader().read();
    expect(view.daemonRevisions[0]?.placements).toEqual([{ cluster: "prod", tasks: 1 }]);
  });

  it("reports a task definition ARN of no known kind without making the rest of the account unread", async () => {
    const odd = "arn:aws:ecs:us-east-1:111111111111:future-definition/x:1";
    serveClusters({
      prod: [
        { id: "a", revision: "web:3" },
        { id: "o", revision: "x:1", arn: odd },
      ],
    });
    const view = await reader().read();
    expect(view.unrecognisedArns).toEqual([odd]);
    expect(view.unreadParts).toEqual([]);
    expect(view.revisions.map((revision) => revision.family)).toEqual(["web"]);
  });

  it("reads only the asked families with ListTasks' family filter in every cluster, and says so in its scope", async () => {
    serveClusters({
      a: [
        { id: "1", revision: "web:3" },
        { id: "2", revision: "batch:1" },
      ],
      b: [{ id: "3", revision: "web:4" }],
      c: [],
    });
    const costs: { calls: number; clusters: number }[] = [];
    const view = await reader().read({ families: ["web"], onFinished: (cost) => costs.push(cost) });
    expect(view.scope).toEqual({ kind: "families", families: ["web"] });
    expect(view.revisions.map((revision) => revision.arn)).toEqual([
      revisionArn("web:3"),
      revisionArn("web:4"),
    ]);
    const listTasks = ecs.commandCalls(ListTasksCommand).map((call) => call.args[0].input);
    expect(listTasks.map((input) => [String(input.cluster).split("/").pop(), input.family])).toEqual([
      ["a", "web"],
      ["b", "web"],
      ["c", "web"],
    ]);
    // ListClusters, three ListTasks, two DescribeTasks.
    expect(costs).toEqual([{ calls: 6, clusters: 3 }]);
  });

  it("names the cluster and family of a family read that could not be read", async () => {
    serveClusters({ a: [{ id: "1", revision: "web:3" }] });
    ecs.on(ListTasksCommand).rejects(accessDenied("ecs:ListTasks"));
    const view = await reader().read({ families: ["web"] });
    expect(view.unreadParts).toEqual([expect.stringMatching(/^cluster a \(family web\): AccessDenied/)]);
  });
});
