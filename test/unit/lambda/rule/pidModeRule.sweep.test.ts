import { IncompleteEvaluationError } from "../../../../lambda/errors";
import { deny } from "../../../support/denials";
import { ACCOUNT } from "../../../support/ecsIds";
import { scheduledEvent } from "../../../support/events";
import { harness } from "../../../support/ruleHarness";
import { agentException, sampleAccount } from "../../../support/sampleAccount";

const TD = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";
const serviceArn = (cluster: string, name: string) =>
  `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${cluster}/${name}`;
const deniedCluster = (name: string) => ({
  intercept: deny("ListTasks", (input) => String(input.cluster).endsWith(`/${name}`)),
});

describe("the periodic sweep", () => {
  it("judges every recorded task definition and every in-use family, at the floor of ECS calls", async () => {
    const rule = harness(sampleAccount, { exceptions: [agentException] });
    const report = await rule.run(scheduledEvent());
    expect(rule.written()).toEqual([
      `${TD} agent NOT_APPLICABLE`,
      `${TD} batch COMPLIANT`,
      `${TD} idle NOT_APPLICABLE`,
      `${TD} old NON_COMPLIANT`,
      `${TD} web NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "worker")} COMPLIANT`,
    ]);
    expect(report.evaluationsWritten).toBe(7);
    // 1 ListClusters page; 3 clusters x 1 ListTasks page and 1 ListDaemons page; 2 non-empty pages described;
    // 4 distinct in-use revisions; the two services of prod in one DescribeServices.
    expect(Object.fromEntries(rule.aws.ecs.calls)).toEqual({
      ListClusters: 1,
      ListTasks: 3,
      ListDaemons: 3,
      DescribeTasks: 2,
      DescribeTaskDefinition: 4,
      DescribeServices: 1,
    });
    expect(new Set(rule.aws.config.written.map((evaluation) => evaluation.orderingTimestamp))).toEqual(
      new Set([Date.parse("2026-11-30T06:00:00.000Z") / 1000]),
    );
  });

  it("writes nothing on a second sweep of an unchanged account, and describes nothing again", async () => {
    const rule = harness(sampleAccount);
    await rule.run(scheduledEvent());
    const writtenFirst = rule.aws.config.written.length;
    const report = await rule.run(scheduledEvent());
    expect(report.evaluationsWritten).toBe(0);
    expect(report.unchanged).toBe(writtenFirst);
    expect(rule.aws.config.written).toHaveLength(writtenFirst);
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition")).toBe(4);
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(2);
  });

  it("turns an earlier verdict into NOT_APPLICABLE once nothing runs the revision", async () => {
    const rule = harness({
      ...sampleAccount,
      recordedTaskDefinitionIds: [],
      verdicts: [
        {
          resourceType: TD,
          resourceId: "retired",
          complianceType: "NON_COMPLIANT",
          annotation: "Shares the host PID namespace: retired:1",
        },
      ],
    });
    await rule.run(scheduledEvent());
    expect(rule.written()).toContain(`${TD} retired NOT_APPLICABLE`);
  });

  it("re-judges every service with a verdict, and clears the verdict of one ECS no longer knows", async () => {
    const rule = harness({
      ...sampleAccount,
      verdicts: [
        {
          resourceType: SERVICE,
          resourceId: serviceArn("prod", "api"),
          complianceType: "COMPLIANT",
          annotation: "stale",
        },
        {
          resourceType: SERVICE,
          resourceId: serviceArn("prod", "scaled-down"),
          complianceType: "NON_COMPLIANT",
          annotation: "kept",
        },
      ],
    });
    await rule.run(scheduledEvent());
    const services = rule.written().filter((line) => line.startsWith(SERVICE));
    expect(services).toEqual([
      `${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "scaled-down")} NOT_APPLICABLE`,
      `${SERVICE} ${serviceArn("prod", "worker")} COMPLIANT`,
    ]);
  });

  it("sends more than 100 evaluations in batches of 100", async () => {
    const families = Array.from({ length: 101 }, (_, index) => `family-${String(index).padStart(3, "0")}`);
    const rule = harness({ clusters: [], revisions: [], recordedTaskDefinitionIds: families });
    const report = await rule.run(scheduledEvent());
    expect(report.evaluationsWritten).toBe(101);
    expect(rule.aws.config.calls.get("PutEvaluations")).toBe(2);
  });

  it("writes only the certain NON_COMPLIANT verdicts when a cluster cannot be read, then fails loudly", async () => {
    const rule = harness(sampleAccount, { ecs: deniedCluster("dev") });
    const sweep = rule.run(scheduledEvent());
    await expect(sweep).rejects.toThrow(IncompleteEvaluationError);
    await expect(sweep).rejects.toThrow(/cluster dev: AccessDeniedException/);
    // No exceptions here: agent:2 is an observed, uncovered host-PID revision too.
    expect(rule.written()).toEqual([
      `${TD} agent NON_COMPLIANT`,
      `${TD} web NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`,
    ]);
  });

  it("does not let an unread cluster flip an earlier NON_COMPLIANT to NOT_APPLICABLE", async () => {
    const rule = harness(
      {
        ...sampleAccount,
        verdicts: [{ resourceType: TD, resourceId: "old", complianceType: "NON_COMPLIANT", annotation: "x" }],
      },
      { ecs: deniedCluster("dev") },
    );
    await expect(rule.run(scheduledEvent())).rejects.toThrow(IncompleteEvaluationError);
    expect(
      rule.aws.config.currentVerdicts().find((verdict) => verdict.resourceId === "old")?.complianceType,
    ).toBe("NON_COMPLIANT");
  });

  it("withholds only the family whose revision could not be described", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: deny("DescribeTaskDefinition", (input) =>
          String(input.taskDefinition).endsWith("batch:1"),
        ),
      },
    });
    const sweep = rule.run(scheduledEvent());
    await expect(sweep).rejects.toThrow(/verdict withheld for AWS::ECS::TaskDefinition\|batch/);
    expect(rule.written()).toEqual([
      `${TD} agent NON_COMPLIANT`,
      `${TD} idle NOT_APPLICABLE`,
      `${TD} old NON_COMPLIANT`,
      `${TD} web NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`,
    ]);
  });

  it("stops describing when the time runs out, writes what is certain, and lets the retry finish the rest", async () => {
    const revisions = Array.from({ length: 40 }, (_, index) => ({
      family: `app${index}`,
      revision: 1,
      pidMode: index === 0 ? "host" : undefined,
    }));
    // Page 1 of ListTasks (100 tasks) uses app0..app19, page 2 (20 tasks) app20..app39.
    const tasks = Array.from({ length: 120 }, (_, index) => ({
      id: `t${String(index).padStart(3, "0")}`,
      taskDefinition: `app${index < 100 ? index % 20 : index - 80}:1`,
    }));
    let describeTasksLeft = 2;
    const rule = harness(
      { clusters: [{ name: "prod", tasks }], revisions, recordedTaskDefinitionIds: [] },
      { ecs: { intercept: (action) => void (action === "DescribeTasks" && describeTasksLeft--) } },
    );
    // The time runs out as the second page of tasks is described.
    const sweep = rule.run(scheduledEvent(), () => (describeTasksLeft > 0 ? 900_000 : 30_000));
    await expect(sweep).rejects.toThrow(/not described before the time limit/);
    const describedFirst = rule.aws.ecs.calls.get("DescribeTaskDefinition") ?? 0;
    expect(describedFirst).toBeLessThan(40);
    // Every cluster was read, so each described family's verdict is certain; the others are withheld.
    expect(rule.written()).toHaveLength(describedFirst);
    expect(rule.written()).toContain("AWS::ECS::TaskDefinition app0 NON_COMPLIANT");

    // The retry (Lambda's, in the same warm container) describes only what the first try did not.
    await rule.run(scheduledEvent());
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition")).toBe(40);
    expect(rule.written()).toHaveLength(40);
  });

  it("still writes the certain NON_COMPLIANT verdicts when Config's current verdicts cannot be read, then fails", async () => {
    const rule = harness(sampleAccount, {
      config: {
        intercept: deny("GetComplianceDetailsByConfigRule"),
      },
    });
    await expect(rule.run(scheduledEvent())).rejects.toThrow(
      /what AWS Config records and holds for rule ecs-in-use-task-definitions-no-host-pid: AccessDeniedException/,
    );
    expect(rule.written()).toEqual([
      `${TD} agent NON_COMPLIANT`,
      `${TD} old NON_COMPLIANT`,
      `${TD} web NON_COMPLIANT`,
      `${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`,
    ]);
  });

  it("fails on a recorded id that names no task definition, after writing the rest", async () => {
    const rule = harness({ ...sampleAccount, recordedTaskDefinitionIds: ["web", "what is this?"] });
    await expect(rule.run(scheduledEvent())).rejects.toThrow(/what is this\?/);
    expect(rule.written()).toContain(`${TD} web NON_COMPLIANT`);
  });
});

describe("services in a sweep", () => {
  const verdict = (name: string, complianceType: string) => ({
    resourceType: SERVICE,
    resourceId: serviceArn("prod", name),
    complianceType,
    annotation: "from an earlier run",
  });

  it("clears the NON_COMPLIANT of a service scaled to zero, and of one deleted (INACTIVE)", async () => {
    const rule = harness({
      ...sampleAccount,
      services: [
        { cluster: "prod", name: "api", desiredCount: 2, taskDefinition: "web:3" },
        { cluster: "prod", name: "worker", desiredCount: 1, taskDefinition: "batch:1" },
        { cluster: "prod", name: "idle", desiredCount: 0, taskDefinition: "web:3" },
        { cluster: "prod", name: "deleted", status: "INACTIVE", desiredCount: 0, taskDefinition: "web:3" },
      ],
      verdicts: [verdict("idle", "NON_COMPLIANT"), verdict("deleted", "NON_COMPLIANT")],
    });
    await rule.run(scheduledEvent());
    const byId = new Map(rule.aws.config.written.map((evaluation) => [evaluation.resourceId, evaluation]));
    expect(byId.get(serviceArn("prod", "idle"))?.annotation).toBe(
      "The service neither runs nor wants tasks.",
    );
    expect(byId.get(serviceArn("prod", "deleted"))?.annotation).toBe("The service was deleted.");
  });

  it("keeps a service NON_COMPLIANT that rolls out a host-PID revision while its old clean tasks still run", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "a", taskDefinition: "web:4", service: "api" }] }],
      revisions: sampleAccount.revisions,
      services: [
        {
          cluster: "prod",
          name: "api",
          desiredCount: 1,
          taskDefinition: "web:3",
          deployments: [
            { status: "PRIMARY", taskDefinition: "web:3" },
            { status: "ACTIVE", taskDefinition: "web:4" },
          ],
        },
      ],
    });
    await rule.run(scheduledEvent());
    expect(rule.written()).toContain(`${SERVICE} ${serviceArn("prod", "api")} NON_COMPLIANT`);
    // The family answers what runs: web:4, which is clean.
    expect(rule.written()).toContain(`${TD} web COMPLIANT`);
  });

  it("reports a service verdict whose old-format id names no cluster instead of skipping it in silence", async () => {
    const oldFormat = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/legacy`;
    const rule = harness({
      ...sampleAccount,
      verdicts: [
        { resourceType: SERVICE, resourceId: oldFormat, complianceType: "NON_COMPLIANT", annotation: "x" },
      ],
    });
    const report = await rule.run(scheduledEvent());
    expect(report.unjudgedServiceIds).toEqual([oldFormat]);
  });

  it("withholds the verdict of a service it could not describe, and fails loudly", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: deny("DescribeServices"),
      },
    });
    await expect(rule.run(scheduledEvent())).rejects.toThrow(/verdict withheld for AWS::ECS::Service\|/);
    expect(rule.written().filter((line) => line.startsWith(SERVICE))).toEqual([]);
    expect(rule.written()).toContain(`${TD} web NON_COMPLIANT`);
  });
});

describe("ECS Managed Daemons in a sweep", () => {
  const withDaemon = (pidMode: string, daemonExceptions?: unknown[]) =>
    harness(
      {
        ...sampleAccount,
        clusters: [
          ...sampleAccount.clusters,
          {
            name: "managed",
            tasks: [
              { id: "d1", taskDefinition: "node-agent:2", daemon: "node-agent" },
              { id: "d2", taskDefinition: "node-agent:2", daemon: "node-agent" },
            ],
          },
        ],
        revisions: [
          ...sampleAccount.revisions,
          { family: "node-agent", revision: 2, kind: "daemon", pidMode },
        ],
      },
      daemonExceptions ? { exceptions: daemonExceptions } : {},
    );

  it("reports a RUNNING daemon that joins the host PID namespace on its cluster, naming daemon, revision and cluster", async () => {
    const rule = withDaemon("shared");
    await rule.run(scheduledEvent());
    const cluster = rule.aws.config.written.find(
      (evaluation) => evaluation.resourceType === "AWS::ECS::Cluster",
    );
    expect(cluster?.resourceId).toBe("managed");
    expect(cluster?.complianceType).toBe("NON_COMPLIANT");
    expect(cluster?.annotation).toContain("node-agent:2 in managed (daemon node-agent)");
    expect(rule.aws.ecs.calls.get("DescribeDaemonTaskDefinition")).toBe(1);
  });

  it("does not let daemon tasks blind the rule to the rest of the account", async () => {
    const rule = withDaemon("none");
    const report = await rule.run(scheduledEvent());
    expect(report.unreadParts).toEqual([]);
    expect(rule.written()).toContain(`${TD} batch COMPLIANT`);
    expect(rule.written()).toContain("AWS::ECS::Cluster managed COMPLIANT");
  });

  it("does not let a task definition entry of the same family name exempt a shared daemon", async () => {
    const rule = withDaemon("shared", [{ ...agentException, taskDefinition: "node-agent" }]);
    await rule.run(scheduledEvent());
    const cluster = rule.aws.config.written.find(
      (evaluation) => evaluation.resourceType === "AWS::ECS::Cluster",
    );
    expect(cluster?.complianceType).toBe("NON_COMPLIANT");
  });

  it("exempts a shared daemon under a valid exception for its daemon task definition family", async () => {
    const { taskDefinition: _task, ...owned } = agentException;
    const rule = withDaemon("shared", [{ ...owned, daemonTaskDefinition: "node-agent" }]);
    await rule.run(scheduledEvent());
    const cluster = rule.aws.config.written.find(
      (evaluation) => evaluation.resourceType === "AWS::ECS::Cluster",
    );
    expect(cluster?.complianceType).toBe("NOT_APPLICABLE");
    expect(cluster?.annotation).toContain("platform-team");
  });

  it("names clusters by ARN when that is how Config records them", async () => {
    const rule = withDaemon("shared");
    rule.aws.config.recordedClusterIds = [`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`];
    await rule.run(scheduledEvent());
    expect(rule.written()).toContain(
      `AWS::ECS::Cluster arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/managed NON_COMPLIANT`,
    );
  });
});

describe("exceptions in a sweep", () => {
  const run = async (exceptions: unknown[]) => {
    const rule = harness(sampleAccount, { exceptions });
    const report = await rule.run(scheduledEvent());
    const agent = rule.aws.config.written.find((evaluation) => evaluation.resourceId === "agent");
    return { report, agent };
  };

  it("exempts under a valid exception and names its owner", async () => {
    const { agent } = await run([agentException]);
    expect(agent?.complianceType).toBe("NOT_APPLICABLE");
    expect(agent?.annotation).toContain("platform-team");
  });

  it("stops exempting once the exception expired, and says when", async () => {
    const { agent } = await run([{ ...agentException, expires: "2026-11-29" }]);
    expect(agent?.complianceType).toBe("NON_COMPLIANT");
    expect(agent?.annotation).toContain("expired 2026-11-29");
  });

  it.each([
    ["an impossible date", { ...agentException, expires: "2027-02-30" }],
    ["no owner", { taskDefinition: "agent", expires: "2027-06-30", reason: "r" }],
  ])("exempts nothing with %s and reports the entry as invalid", async (_case, entry) => {
    const { agent, report } = await run([entry]);
    expect(agent?.complianceType).toBe("NON_COMPLIANT");
    expect(report.invalidExceptions).toHaveLength(1);
  });

  it("reports exceptions that expire within 14 days", async () => {
    const { report } = await run([{ ...agentException, expires: "2026-12-05" }]);
    expect(report.expiringSoon.map((exception) => exception.owner)).toEqual(["platform-team"]);
  });
});

describe("what a sweep writes, by the rule's parameters", () => {
  it("neither describes nor judges services when EvaluateServices is false", async () => {
    const rule = harness(sampleAccount);
    await rule.run(scheduledEvent({ ruleParameters: JSON.stringify({ EvaluateServices: "false" }) }));
    expect(rule.aws.ecs.calls.get("DescribeServices") ?? 0).toBe(0);
    expect(rule.written().filter((line) => !line.startsWith(TD))).toEqual([]);
    expect(rule.written()).toContain(`${TD} web NON_COMPLIANT`);
  });

  it("writes no cluster verdict for a shared daemon when EvaluateDaemons is false, and does not describe it", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "d1", taskDefinition: "agent:1", daemon: "agent" }] }],
      revisions: [{ family: "agent", revision: 1, kind: "daemon", pidMode: "shared" }],
    });
    await rule.run(scheduledEvent({ ruleParameters: JSON.stringify({ EvaluateDaemons: "false" }) }));
    expect(rule.written()).toEqual([]);
    expect(rule.aws.ecs.calls.get("DescribeDaemonTaskDefinition") ?? 0).toBe(0);
  });

  it("reports once with an empty list when an unchanged account gives nothing to write", async () => {
    const rule = harness(sampleAccount);
    await rule.run(scheduledEvent());
    const report = await rule.run(scheduledEvent());
    expect(report.evaluationsWritten).toBe(0);
    expect(rule.aws.config.calls.get("PutEvaluations")).toBe(2);
  });
});

describe("ECS Managed Daemons, through the daemon APIs", () => {
  const CLUSTER = "AWS::ECS::Cluster";
  const web = { family: "web", revision: 1, pidMode: "host" } as const;
  const sharedAgent = { family: "node-agent", revision: 2, kind: "daemon", pidMode: "shared" } as const;
  const daemonTask = (kind?: "daemon-task-definition" | "daemon-revision" | "daemon") => ({
    id: "d1",
    taskDefinition: "node-agent:2",
    daemon: "node-agent",
    ...(kind ? { daemonArnKind: kind } : {}),
  });

  it.each(["daemon-revision", "daemon"] as const)(
    "judges a shared daemon whose tasks DescribeTasks reports with a %s ARN, from the daemon APIs",
    async (kind) => {
      const rule = harness({
        clusters: [{ name: "managed", tasks: [daemonTask(kind)] }],
        revisions: [sharedAgent],
      });
      await rule.run(scheduledEvent());
      expect(rule.written()).toEqual([`${CLUSTER} managed NON_COMPLIANT`]);
      expect(rule.aws.ecs.calls.get("DescribeDaemonRevisions")).toBe(1);
    },
  );

  it("judges a shared daemon the daemon APIs list even when no task shows it", async () => {
    const rule = harness({
      clusters: [{ name: "managed", tasks: [] }],
      revisions: [sharedAgent],
      daemons: [
        {
          cluster: "managed",
          name: "node-agent",
          revisions: [{ id: "abc", taskDefinition: "node-agent:2" }],
        },
      ],
    });
    await rule.run(scheduledEvent());
    expect(rule.written()).toEqual([`${CLUSTER} managed NON_COMPLIANT`]);
    expect(rule.aws.config.written[0]?.annotation).toContain("node-agent:2 in managed (daemon node-agent)");
  });

  it("describes on its own a daemon revision a task names outside the daemon's current ones, and withholds the cluster when ECS cannot", async () => {
    const rule = harness({
      clusters: [{ name: "managed", tasks: [daemonTask("daemon-revision")] }],
      revisions: [sharedAgent, { family: "node-agent", revision: 3, kind: "daemon", pidMode: "none" }],
      daemons: [
        {
          cluster: "managed",
          name: "node-agent",
          revisions: [{ id: "new", taskDefinition: "node-agent:3" }],
        },
      ],
    });
    // The task's revision (r-node-agent-2) is not among the daemon's current ones: ECS answers MISSING.
    await expect(rule.run(scheduledEvent())).rejects.toThrow(/daemon revision .*r-node-agent-2: MISSING/);
    // The current revision is judged; the unread one leaves the cluster's verdict withheld, nothing else.
    expect(rule.written()).toEqual([]);
  });

  it("goes on as usual in a Region whose ECS answers the daemon APIs with UnsupportedFeatureException", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "w", taskDefinition: "web:1" }] }],
      revisions: [web],
      daemonsUnsupported: true,
    });
    const report = await rule.run(scheduledEvent());
    expect(report.unreadParts).toEqual([]);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("fails loudly when a task names a daemon resource in a Region whose daemon APIs are unsupported, judging the rest", async () => {
    const rule = harness({
      clusters: [
        {
          name: "prod",
          tasks: [
            { id: "w", taskDefinition: "web:1" },
            { ...daemonTask("daemon-revision"), id: "d" },
          ],
        },
      ],
      revisions: [web, sharedAgent],
      daemonsUnsupported: true,
    });
    await expect(rule.run(scheduledEvent())).rejects.toThrow(/UnsupportedFeatureException/);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("fails loudly when a task names a daemon ListDaemons does not list, judging the rest", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "w", taskDefinition: "web:1" }, daemonTask("daemon")] }],
      revisions: [web, sharedAgent],
      daemons: [],
    });
    await expect(rule.run(scheduledEvent())).rejects.toThrow(
      /daemon node-agent .* which ListDaemons does not list/,
    );
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("withholds only the cluster verdicts when the daemon APIs are denied, and fails loudly", async () => {
    const rule = harness(
      {
        clusters: [{ name: "prod", tasks: [{ id: "w", taskDefinition: "web:1" }] }],
        revisions: [web],
        verdicts: [
          { resourceType: CLUSTER, resourceId: "prod", complianceType: "NON_COMPLIANT", annotation: "x" },
        ],
      },
      {
        ecs: {
          intercept: deny("ListDaemons"),
        },
      },
    );
    await expect(rule.run(scheduledEvent())).rejects.toThrow(/cluster prod: daemons: AccessDeniedException/);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("clears a cluster's verdict once the daemon APIs list no daemon there", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [] }],
      revisions: [],
      verdicts: [
        { resourceType: CLUSTER, resourceId: "prod", complianceType: "NON_COMPLIANT", annotation: "x" },
      ],
    });
    await rule.run(scheduledEvent());
    expect(rule.written()).toEqual([`${CLUSTER} prod NOT_APPLICABLE`]);
  });
});
