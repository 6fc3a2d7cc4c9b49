import { IncompleteEvaluationError } from "../../../../lambda/errors";
import { deny } from "../../../support/denials";
import { ACCOUNT, revisionArn } from "../../../support/ecsIds";
import {
  clusterChangeEvent,
  DELETED,
  oversizedEvent,
  scheduledEvent,
  serviceChangeEvent,
  taskDefinitionChangeEvent,
  taskDefinitionItem,
} from "../../../support/events";
import { harness } from "../../../support/ruleHarness";
import { agentException, sampleAccount } from "../../../support/sampleAccount";

const TD = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";
const apiArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`;

/** The items Config records for the sample account's revisions; old:1 is deregistered. */
const RECORDED = {
  web: taskDefinitionItem("web", 3, "host"),
  batch: taskDefinitionItem("batch", 1, "task"),
  agent: taskDefinitionItem("agent", 2, "host"),
  old: { ...taskDefinitionItem("old", 1, "host"), ...DELETED },
  idle: taskDefinitionItem("idle", 1, "host"),
};
const recorded = (family: keyof typeof RECORDED) => structuredClone(RECORDED[family]);

describe("a task definition change notification", () => {
  it("judges the family Config names, as of the notification's creation time, from the revisions RUNNING tasks use", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
    const [evaluation] = rule.aws.config.written;
    expect(evaluation?.annotation).toContain("web:3 in prod (service api)");
    expect(evaluation?.orderingTimestamp).toBe(Date.parse("2026-11-29T10:16:01.456Z") / 1000);
  });

  it("uses the pidMode the item records instead of describing that revision again", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition") ?? 0).toBe(0);
  });

  it("says NOT_APPLICABLE for a family no RUNNING task uses, even if it uses host PID", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent(recorded("idle")));
    expect(
      rule.aws.config.written.map((evaluation) => [evaluation.complianceType, evaluation.annotation]),
    ).toEqual([["NOT_APPLICABLE", "No RUNNING task uses this task definition."]]);
  });

  it("catches a deregistered revision that still runs", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent(recorded("old")));
    expect(rule.written()).toEqual([`${TD} old NON_COMPLIANT`]);
    expect(rule.aws.config.written[0]?.annotation).toContain("old:1 in dev (standalone tasks)");
  });

  it("judges only the named revision when Config's id is a revision ARN", async () => {
    const rule = harness({
      ...sampleAccount,
      clusters: [
        {
          name: "prod",
          tasks: [
            { id: "a", taskDefinition: "web:3" },
            { id: "b", taskDefinition: "web:4" },
          ],
        },
      ],
    });
    await rule.run(
      taskDefinitionChangeEvent({
        ...taskDefinitionItem("web", 4, undefined),
        resourceId: revisionArn("web:4"),
      }),
    );
    expect(rule.written()).toEqual([`${TD} ${revisionArn("web:4")} COMPLIANT`]);
  });

  it("takes a whole item without PidMode as a revision that does not set it, without asking ECS", async () => {
    const rule = harness({
      ...sampleAccount,
      clusters: [{ name: "prod", tasks: [{ id: "a", taskDefinition: "web:4" }] }],
    });
    await rule.run(taskDefinitionChangeEvent(taskDefinitionItem("web", 4, undefined)));
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition") ?? 0).toBe(0);
    expect(rule.written()).toEqual([`${TD} web COMPLIANT`]);
  });

  it.each([
    [
      "spells pidMode another way",
      (configuration: Record<string, unknown>) => {
        configuration.pidMode = configuration.PidMode;
        delete configuration.PidMode;
      },
    ],
    [
      "is partial, without its container definitions and PidMode",
      (configuration: Record<string, unknown>) => {
        delete configuration.ContainerDefinitions;
        delete configuration.PidMode;
      },
    ],
  ])("asks ECS when the item %s, rather than trusting an absent PidMode", async (_case, edit) => {
    const rule = harness(sampleAccount);
    const item = recorded("web");
    edit(item.configuration as Record<string, unknown>);
    await rule.run(taskDefinitionChangeEvent(item));
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition")).toBe(1);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("says NOT_APPLICABLE without reading ECS when the resource left the rule's scope", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent({}, { eventLeftScope: true }));
    expect(rule.written()).toEqual([`${TD} web NOT_APPLICABLE`]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
  });

  it("exempts a host-PID family under a valid exception, naming its owner and expiry", async () => {
    const rule = harness(sampleAccount, { exceptions: [agentException] });
    await rule.run(taskDefinitionChangeEvent(recorded("agent")));
    expect(
      rule.aws.config.written.map((evaluation) => [evaluation.complianceType, evaluation.annotation]),
    ).toEqual([
      [
        "NOT_APPLICABLE",
        "Exempt: pidMode host allowed for agent:2 by exception of platform-team until 2027-06-30.",
      ],
    ]);
  });

  it("writes in test mode when Config sends the TESTMODE token", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent({}, { resultToken: "TESTMODE" }));
    expect(rule.aws.config.written.map((evaluation) => evaluation.testMode)).toEqual([true]);
  });

  it("rejects an item whose id names no task definition before reading anything, writing nothing", async () => {
    const rule = harness(sampleAccount);
    await expect(rule.run(taskDefinitionChangeEvent({ resourceId: "not a family!" }))).rejects.toThrow(
      /configurationItem.resourceId/,
    );
    expect(rule.written()).toEqual([]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
  });

  it("reads only its family's tasks for a lone change: one ListTasks per cluster with the family filter", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(1);
    expect(rule.aws.ecs.calls.get("ListTasks")).toBe(3);
    // Only prod runs web; the other clusters return no task to describe.
    expect(rule.aws.ecs.calls.get("DescribeTasks")).toBe(1);
  });

  it("switches to one account-wide read in a burst of notifications once that is cheaper, and reuses it", async () => {
    const rule = harness(sampleAccount);
    for (const family of ["web", "batch", "agent", "old", "idle", "web"] as const) {
      await rule.run(taskDefinitionChangeEvent(recorded(family)));
    }
    // web: a family read; batch: two family reads would cost more than one account read; the rest: cached.
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(2);
    // The items carry their PidMode: only the deregistered old:1, whose item has no configuration, is described.
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition")).toBe(1);
    rule.clock.advance(121_000);
    await rule.run(taskDefinitionChangeEvent(recorded("web")));
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(3);
  });

  it("reads the whole account at once for items Config re-sends long after their capture, as for a new rule", async () => {
    const rule = harness(sampleAccount);
    const resent = { configurationItemCaptureTime: "2026-11-01T08:00:00.000Z" };
    for (const family of ["web", "batch", "agent", "old", "idle"] as const) {
      await rule.run(taskDefinitionChangeEvent({ ...recorded(family), ...resent }));
    }
    // One account-wide read answers all five: a ListTasks per cluster, where five family reads take 15.
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(1);
    expect(rule.aws.ecs.calls.get("ListTasks")).toBe(3);
    expect(rule.written()).toContain(`${TD} web NON_COMPLIANT`);
  });

  it("writes nothing when the verdict is what Config already holds for the resource", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    const report = await rule.run(taskDefinitionChangeEvent());
    expect(report.evaluationsWritten).toBe(0);
    expect(report.unchanged).toBe(1);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
    expect(rule.aws.config.calls.get("GetComplianceDetailsByResource")).toBe(2);
    // Every invocation reports: the second one with an empty list.
    expect(rule.aws.config.calls.get("PutEvaluations")).toBe(2);
  });

  it("still writes a certain verdict when Config's current verdict cannot be read, then fails loudly", async () => {
    const rule = harness(sampleAccount, {
      config: {
        intercept: deny("GetComplianceDetailsByResource"),
      },
    });
    await expect(rule.run(taskDefinitionChangeEvent())).rejects.toThrow(
      /current verdicts: AccessDeniedException/,
    );
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });

  it("withholds a COMPLIANT verdict when a cluster could not be read, and fails loudly", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: deny("ListTasks", (input) => String(input.cluster).endsWith("/dev")),
      },
    });
    const run = rule.run(taskDefinitionChangeEvent(recorded("batch")));
    await expect(run).rejects.toThrow(IncompleteEvaluationError);
    await expect(run).rejects.toThrow(/cluster dev \(family batch\): AccessDeniedException/);
    expect(rule.written()).toEqual([]);
  });

  it("still writes NON_COMPLIANT for an observed host-PID revision when another cluster could not be read", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: deny("ListTasks", (input) => String(input.cluster).endsWith("/dev")),
      },
    });
    await expect(rule.run(taskDefinitionChangeEvent())).rejects.toThrow(IncompleteEvaluationError);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });
});

describe("an oversized change notification", () => {
  it("fetches the item from Config's history before judging it", async () => {
    const rule = harness({
      ...sampleAccount,
      history: [
        {
          resourceType: TD,
          resourceId: "web",
          captureTime: "2026-11-29T10:15:30.123Z",
          configuration: recorded("web").configuration as Record<string, unknown>,
        },
      ],
    });
    await rule.run(oversizedEvent());
    expect(rule.aws.config.calls.get("GetResourceConfigHistory")).toBe(1);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });
});

describe("a service change notification", () => {
  const api = (overrides: Record<string, unknown> = {}) => ({
    cluster: "prod",
    name: "api",
    desiredCount: 2,
    taskDefinition: "web:3",
    ...overrides,
  });
  const quiet = { ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] };
  /** A move from one revision to another, as deployments (rolling) or task sets (CODE_DEPLOY, EXTERNAL). */
  const moving = (from: string, to: string) => [
    { status: "PRIMARY", taskDefinition: to },
    { status: "ACTIVE", taskDefinition: from },
  ];

  it("judges the service on the revision it rolls out before a task starts, and its family only on RUNNING tasks", async () => {
    const rule = harness({ ...quiet, services: [api()] });
    await rule.run(serviceChangeEvent());
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} NON_COMPLIANT`, `${TD} web NOT_APPLICABLE`]);
    const service = rule.aws.config.written.find((evaluation) => evaluation.resourceType === SERVICE);
    expect(service?.annotation).toContain("web:3");
  });

  it("reads the service, then only its family's tasks: DescribeServices and one ListTasks per cluster", async () => {
    const rule = harness({ ...sampleAccount, services: [api()] });
    await rule.run(serviceChangeEvent());
    expect(rule.aws.ecs.calls.get("DescribeServices")).toBe(1);
    expect(rule.aws.ecs.calls.get("ListTasks")).toBe(3);
  });

  it("flags a service whose RUNNING tasks still use a host-PID revision while it rolls out a clean one", async () => {
    const rule = harness({
      ...sampleAccount,
      services: [api({ taskDefinition: "web:4", deployments: moving("web:3", "web:4") })],
    });
    await rule.run(serviceChangeEvent({ TaskDefinition: revisionArn("web:4") }));
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} NON_COMPLIANT`, `${TD} web NON_COMPLIANT`]);
  });

  it("reaches the verdict the next sweep reaches for a service rolling out a host-PID revision that has not started", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "a", taskDefinition: "web:4", service: "api" }] }],
      revisions: sampleAccount.revisions,
      services: [api({ deployments: moving("web:4", "web:3") })],
    });
    await rule.run(serviceChangeEvent());
    const afterChange = rule.aws.config.currentVerdicts();
    rule.clock.advance(3_600_000);
    await rule.run(scheduledEvent());
    const afterSweep = rule.aws.config.currentVerdicts();
    expect(afterSweep.filter((verdict) => verdict.resourceType !== "AWS::ECS::Cluster")).toEqual(
      expect.arrayContaining(afterChange),
    );
    expect(afterChange.find((verdict) => verdict.resourceId === apiArn)?.complianceType).toBe(
      "NON_COMPLIANT",
    );
  });

  it.each([
    ["scaled to zero", { desiredCount: 0 }, "The service neither runs nor wants tasks."],
    ["deleted (INACTIVE)", { status: "INACTIVE", desiredCount: 0 }, "The service was deleted."],
  ])("says NOT_APPLICABLE for a service %s", async (_case, overrides, annotation) => {
    const rule = harness({ ...quiet, services: [api(overrides)] });
    await rule.run(serviceChangeEvent());
    const service = rule.aws.config.written.find((evaluation) => evaluation.resourceType === SERVICE);
    expect([service?.complianceType, service?.annotation]).toEqual(["NOT_APPLICABLE", annotation]);
  });

  it("says NOT_APPLICABLE for a service ECS reports MISSING", async () => {
    const rule = harness({ ...quiet, services: [] });
    await rule.run(serviceChangeEvent());
    expect(rule.written()).toEqual([`${SERVICE} ${apiArn} NOT_APPLICABLE`]);
  });

  it("says NOT_APPLICABLE for a deleted service without reading ECS", async () => {
    const rule = harness(sampleAccount);
    await rule.run(
      serviceChangeEvent({}, { configurationItemStatus: "ResourceDeleted", configuration: null }),
    );
    expect(rule.written()).toEqual([`${SERVICE} ${apiArn} NOT_APPLICABLE`]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
  });

  it.each(["ResourceNotRecorded", "ResourceDeletedNotRecorded"])(
    "says NOT_APPLICABLE for a service item with status %s, as AWS's sample rules do, without failing",
    async (status) => {
      const rule = harness(sampleAccount);
      const report = await rule.run(
        serviceChangeEvent({}, { configurationItemStatus: status, configuration: null }),
      );
      expect(rule.written()).toEqual([`${SERVICE} ${apiArn} NOT_APPLICABLE`]);
      expect(report.unreadParts).toEqual([]);
    },
  );

  it("counts a DAEMON service as wanting tasks whatever its desired count", async () => {
    const rule = harness({ ...quiet, services: [api({ desiredCount: 0, schedulingStrategy: "DAEMON" })] });
    await rule.run(serviceChangeEvent());
    expect(rule.written()).toContain(`${SERVICE} ${apiArn} NON_COMPLIANT`);
  });

  it("judges an EXTERNAL service, which names no task definition of its own, on its primary task set", async () => {
    const rule = harness({
      ...quiet,
      services: [
        api({
          taskDefinition: undefined,
          deploymentController: "EXTERNAL",
          taskSets: moving("web:4", "web:3"),
        }),
      ],
    });
    await rule.run(
      serviceChangeEvent({ TaskDefinition: undefined, DeploymentController: { Type: "EXTERNAL" } }),
    );
    expect(rule.written()).toContain(`${SERVICE} ${apiArn} NON_COMPLIANT`);
  });

  it("says NOT_APPLICABLE for an EXTERNAL service without task sets, without failing", async () => {
    const rule = harness({
      ...quiet,
      services: [api({ taskDefinition: undefined, deploymentController: "EXTERNAL" })],
    });
    const report = await rule.run(serviceChangeEvent({ TaskDefinition: undefined }));
    expect(rule.written()).toEqual([`${SERVICE} ${apiArn} NOT_APPLICABLE`]);
    expect(report.unreadParts).toEqual([]);
  });

  it("judges a CODE_DEPLOY service on its primary task set and the tasks of the one it replaces", async () => {
    const rule = harness({
      ...sampleAccount,
      services: [
        api({
          taskDefinition: "web:4",
          deploymentController: "CODE_DEPLOY",
          taskSets: moving("web:3", "web:4"),
        }),
      ],
    });
    await rule.run(serviceChangeEvent());
    expect(rule.written()).toContain(`${SERVICE} ${apiArn} NON_COMPLIANT`);
  });

  it("rejects an old-format service ARN without a recorded cluster before reading anything", async () => {
    const rule = harness({ ...sampleAccount, services: [api()] });
    const oldFormat = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/api`;
    await expect(
      rule.run(serviceChangeEvent({ Cluster: undefined, ServiceArn: oldFormat }, { resourceId: oldFormat })),
    ).rejects.toThrow(/names no cluster/);
    expect(rule.aws.ecs.totalCalls).toBe(0);
    expect(rule.written()).toEqual([]);
  });

  it("reports the family under the id form Config uses for task definitions in the account", async () => {
    const rule = harness({
      ...sampleAccount,
      services: [api()],
      recordedTaskDefinitionIds: [revisionArn("web:3")],
    });
    await rule.run(serviceChangeEvent());
    expect(rule.written()).toContain(`${TD} ${revisionArn("web:3")} NON_COMPLIANT`);
  });

  it("withholds COMPLIANT when the revision the service rolls out cannot be described", async () => {
    const rule = harness(
      { ...quiet, services: [api({ taskDefinition: "web:4" })] },
      {
        ecs: {
          intercept: deny("DescribeTaskDefinition"),
        },
      },
    );
    await expect(rule.run(serviceChangeEvent())).rejects.toThrow(IncompleteEvaluationError);
    expect(rule.written().filter((line) => line.startsWith(SERVICE))).toEqual([]);
  });

  it("withholds the service's verdict when it cannot be described, and fails loudly", async () => {
    const rule = harness(
      { ...sampleAccount, services: [api()] },
      {
        ecs: {
          intercept: deny("DescribeServices"),
        },
      },
    );
    await expect(rule.run(serviceChangeEvent())).rejects.toThrow(/service prod\/api: AccessDeniedException/);
    expect(rule.written()).toEqual([]);
  });

  it("writes nothing on an autoscaling change that leaves every verdict as it was", async () => {
    const rule = harness({ ...sampleAccount, services: [api()] });
    await rule.run(serviceChangeEvent());
    const report = await rule.run(serviceChangeEvent({ DesiredCount: 3 }));
    expect(report.evaluationsWritten).toBe(0);
  });
});

describe("what a change notification writes, and as of when", () => {
  const resent = (event: Record<string, unknown>) => {
    const invoking = JSON.parse(String(event.invokingEvent)) as Record<string, unknown>;
    invoking.notificationCreationTime = "2026-11-30T09:00:00.000Z";
    return { ...event, invokingEvent: JSON.stringify(invoking) };
  };

  it("stamps a verdict read live with the notification's creation time, also for an item Config re-sends", async () => {
    const rule = harness(sampleAccount);
    await rule.run(resent(taskDefinitionChangeEvent()));
    expect(rule.aws.config.written.map((evaluation) => evaluation.orderingTimestamp)).toEqual([
      Date.parse("2026-11-30T09:00:00.000Z") / 1000,
    ]);
  });

  it("stamps a service verdict read live with the notification's creation time too", async () => {
    const rule = harness(sampleAccount);
    await rule.run(resent(serviceChangeEvent()));
    const stamps = new Set(rule.aws.config.written.map((evaluation) => evaluation.orderingTimestamp));
    expect([...stamps]).toEqual([Date.parse("2026-11-30T09:00:00.000Z") / 1000]);
  });

  it("stamps what the item alone decides (it left the scope) with the item's capture time", async () => {
    const rule = harness(sampleAccount);
    await rule.run(resent(taskDefinitionChangeEvent({}, { eventLeftScope: true })));
    expect(rule.aws.config.written.map((evaluation) => evaluation.orderingTimestamp)).toEqual([
      Date.parse("2026-11-29T10:15:30.123Z") / 1000,
    ]);
  });

  it("describes the service its configuration.ServiceArn names and writes under the resourceId Config gave", async () => {
    const asked: unknown[] = [];
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: (action, input) => {
          if (action === "DescribeServices") asked.push(...((input.services as unknown[]) ?? []));
        },
      },
    });
    await rule.run(serviceChangeEvent({}, { resourceId: "a1b2c3-service-id" }));
    expect(asked).toEqual([apiArn]);
    expect(rule.written()).toContain(`${SERVICE} a1b2c3-service-id NON_COMPLIANT`);
    expect(rule.written().filter((line) => line.includes(apiArn))).toEqual([]);
  });

  it("writes nothing, reads nothing, and still reports once for a service when EvaluateServices is false", async () => {
    const rule = harness(sampleAccount);
    const report = await rule.run(
      serviceChangeEvent({}, {}, { ruleParameters: JSON.stringify({ EvaluateServices: "false" }) }),
    );
    expect(report.evaluationsWritten).toBe(0);
    expect(rule.written()).toEqual([]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
    expect(rule.aws.config.calls.get("PutEvaluations")).toBe(1);
  });

  it("judges a cluster whose item Config sends on the daemons it runs, when daemons are judged", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "d1", taskDefinition: "agent:1", daemon: "agent" }] }],
      revisions: [{ family: "agent", revision: 1, kind: "daemon", pidMode: "shared" }],
    });
    await rule.run(clusterChangeEvent("prod"));
    expect(rule.written()).toEqual([`AWS::ECS::Cluster prod NON_COMPLIANT`]);
  });

  it("writes nothing for a cluster item when the rule's parameters leave daemons out", async () => {
    const rule = harness({
      clusters: [{ name: "prod", tasks: [{ id: "d1", taskDefinition: "agent:1", daemon: "agent" }] }],
      revisions: [{ family: "agent", revision: 1, kind: "daemon", pidMode: "shared" }],
    });
    await rule.run(
      clusterChangeEvent("prod", { ruleParameters: JSON.stringify({ EvaluateDaemons: "false" }) }),
    );
    expect(rule.written()).toEqual([]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
  });
});
