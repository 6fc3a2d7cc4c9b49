import { IncompleteEvaluationError } from "../../../lambda/rule/outcome";
import { ServiceError } from "../../../sim/inProcessHandler";
import { ACCOUNT, revisionArn } from "../../support/ecsIds";
import { oversizedEvent, serviceChangeEvent, taskDefinitionChangeEvent } from "../../support/events";
import { harness } from "../../support/ruleHarness";
import { agentException, sampleAccount } from "../../support/sampleAccount";

const TD = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";
const apiArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`;

describe("a task definition change notification", () => {
  it("judges the family Config names, with the item's capture time, from the revisions RUNNING tasks use", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
    const [evaluation] = rule.aws.config.written;
    expect(evaluation?.annotation).toContain("web:3 in prod (service api)");
    expect(evaluation?.orderingTimestamp).toBe(Date.parse("2026-11-29T10:15:30.123Z") / 1000);
  });

  it("uses the pidMode the item records instead of describing that revision again", async () => {
    const rule = harness(sampleAccount);
    await rule.run(taskDefinitionChangeEvent());
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition") ?? 0).toBe(0);
  });

  it("says NOT_APPLICABLE for a family no RUNNING task uses, even if it uses host PID", async () => {
    const rule = harness(sampleAccount);
    await rule.run(
      taskDefinitionChangeEvent({
        resourceId: "idle",
        resourceName: "idle:1",
        configuration: { TaskDefinitionArn: revisionArn("idle:1"), PidMode: "host" },
      }),
    );
    expect(
      rule.aws.config.written.map((evaluation) => [evaluation.complianceType, evaluation.annotation]),
    ).toEqual([["NOT_APPLICABLE", "No RUNNING task uses this task definition."]]);
  });

  it("catches a deregistered revision that still runs", async () => {
    const rule = harness(sampleAccount);
    await rule.run(
      taskDefinitionChangeEvent({
        resourceId: "old",
        configuration: null,
        configurationItemStatus: "ResourceDeleted",
      }),
    );
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
        resourceId: revisionArn("web:4"),
        configuration: { TaskDefinitionArn: revisionArn("web:4") },
      }),
    );
    expect(rule.written()).toEqual([`${TD} ${revisionArn("web:4")} COMPLIANT`]);
  });

  it("takes a whole item without PidMode as a revision that does not set it, without asking ECS", async () => {
    const rule = harness({
      ...sampleAccount,
      clusters: [{ name: "prod", tasks: [{ id: "a", taskDefinition: "web:4" }] }],
    });
    await rule.run(
      taskDefinitionChangeEvent({
        configuration: {
          TaskDefinitionArn: revisionArn("web:4"),
          Family: "web",
          ContainerDefinitions: [{ Name: "app" }],
        },
      }),
    );
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition") ?? 0).toBe(0);
    expect(rule.written()).toEqual([`${TD} web COMPLIANT`]);
  });

  it("asks ECS when the item is partial or spells pidMode another way, rather than trusting an absent PidMode", async () => {
    const rule = harness(sampleAccount);
    await rule.run(
      taskDefinitionChangeEvent({
        configuration: { TaskDefinitionArn: revisionArn("web:3"), pidMode: "host" },
      }),
    );
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
    await rule.run(
      taskDefinitionChangeEvent({
        resourceId: "agent",
        configuration: { TaskDefinitionArn: revisionArn("agent:2"), PidMode: "host" },
      }),
    );
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

  it("rejects an item whose id names no task definition, writing nothing", async () => {
    const rule = harness(sampleAccount);
    await expect(rule.run(taskDefinitionChangeEvent({ resourceId: "not a family!" }))).rejects.toThrow(
      /configurationItem.resourceId/,
    );
    expect(rule.written()).toEqual([]);
  });

  it("reuses one account-wide read for a burst of notifications in a warm container", async () => {
    const rule = harness(sampleAccount);
    for (const family of ["web", "batch", "agent", "old", "idle", "web"]) {
      await rule.run(taskDefinitionChangeEvent({ resourceId: family, configuration: null }));
    }
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(1);
    expect(rule.aws.ecs.calls.get("DescribeTaskDefinition")).toBe(4);
    rule.clock.advance(61_000);
    await rule.run(taskDefinitionChangeEvent({ resourceId: "web", configuration: null }));
    expect(rule.aws.ecs.calls.get("ListClusters")).toBe(2);
  });

  it("withholds a COMPLIANT verdict when a cluster could not be read, and fails loudly", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: (action, input) => {
          if (action === "ListTasks" && String(input.cluster).endsWith("/dev"))
            throw new ServiceError("AccessDeniedException", "denied");
        },
      },
    });
    const run = rule.run(taskDefinitionChangeEvent({ resourceId: "batch", configuration: null }));
    await expect(run).rejects.toThrow(IncompleteEvaluationError);
    await expect(run).rejects.toThrow(/cluster dev: AccessDeniedException/);
    expect(rule.written()).toEqual([]);
  });

  it("still writes NON_COMPLIANT for an observed host-PID revision when another cluster could not be read", async () => {
    const rule = harness(sampleAccount, {
      ecs: {
        intercept: (action, input) => {
          if (action === "ListTasks" && String(input.cluster).endsWith("/dev"))
            throw new ServiceError("AccessDeniedException", "denied");
        },
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
          configuration: { TaskDefinitionArn: revisionArn("web:3"), Family: "web", PidMode: "host" },
        },
      ],
    });
    await rule.run(oversizedEvent());
    expect(rule.aws.config.calls.get("GetResourceConfigHistory")).toBe(1);
    expect(rule.written()).toEqual([`${TD} web NON_COMPLIANT`]);
  });
});

describe("a service change notification", () => {
  it("judges the service and its task definition family, counting the revision it deploys as in use", async () => {
    const rule = harness({ ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] });
    await rule.run(serviceChangeEvent({ DesiredCount: 2 }));
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} NON_COMPLIANT`, `${TD} web NON_COMPLIANT`]);
    const family = rule.aws.config.written.find((evaluation) => evaluation.resourceType === TD);
    expect(family?.annotation).toContain("web:3 in prod (service api)");
  });

  it("finds the service's revision when the item names only the family", async () => {
    const rule = harness({ ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] });
    await rule.run(serviceChangeEvent({ TaskDefinition: "web", DesiredCount: 1 }));
    // web's latest ACTIVE revision is web:4, which does not use host PID.
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} COMPLIANT`, `${TD} web COMPLIANT`]);
  });

  it("flags a service whose RUNNING tasks still use a host-PID revision while it deploys a clean one", async () => {
    const rule = harness(sampleAccount);
    await rule.run(serviceChangeEvent({ TaskDefinition: revisionArn("web:4") }));
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} NON_COMPLIANT`, `${TD} web NON_COMPLIANT`]);
  });

  it("says NOT_APPLICABLE for a service that neither runs nor wants tasks", async () => {
    const rule = harness({ ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] });
    await rule.run(serviceChangeEvent({ DesiredCount: 0 }));
    expect(rule.written().sort()).toEqual([
      `${SERVICE} ${apiArn} NOT_APPLICABLE`,
      `${TD} web NOT_APPLICABLE`,
    ]);
  });

  it("says NOT_APPLICABLE for a deleted service", async () => {
    const rule = harness(sampleAccount);
    await rule.run(
      serviceChangeEvent({}, { configurationItemStatus: "ResourceDeleted", configuration: null }),
    );
    expect(rule.written()).toEqual([`${SERVICE} ${apiArn} NOT_APPLICABLE`]);
  });

  it("counts a DAEMON service, which records no desired count, as wanting tasks", async () => {
    const rule = harness({ ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] });
    await rule.run(serviceChangeEvent({ DesiredCount: undefined, SchedulingStrategy: "DAEMON" }));
    expect(rule.written().sort()).toEqual([`${SERVICE} ${apiArn} NON_COMPLIANT`, `${TD} web NON_COMPLIANT`]);
  });

  it.each([
    ["no desired count", { DesiredCount: undefined }],
    ["a wanted task count but no task definition", { TaskDefinition: undefined }],
    [
      "no cluster in an old-format ARN",
      {
        Cluster: undefined,
        ServiceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/api`,
        TaskDefinition: revisionArn("web:4"),
      },
    ],
  ])(
    "withholds NOT_APPLICABLE and COMPLIANT for a service item with %s, and fails loudly",
    async (_case, configuration) => {
      const rule = harness({
        ...sampleAccount,
        clusters: [{ name: "prod", tasks: [{ id: "b", taskDefinition: "batch:1", service: "api" }] }],
      });
      await expect(rule.run(serviceChangeEvent(configuration))).rejects.toThrow(/not recorded/);
      expect(rule.written()).toEqual([]);
    },
  );

  it("reports the family under the id form Config uses for task definitions in the account", async () => {
    const rule = harness({
      ...sampleAccount,
      clusters: [{ name: "prod", tasks: [] }],
      recordedTaskDefinitionIds: [revisionArn("web:3")],
    });
    await rule.run(serviceChangeEvent({ DesiredCount: 1 }));
    expect(rule.written()).toContain(`${TD} ${revisionArn("web:3")} NON_COMPLIANT`);
  });

  it("withholds COMPLIANT when the revision the service deploys cannot be described", async () => {
    const rule = harness(
      { ...sampleAccount, clusters: [{ name: "prod", tasks: [] }] },
      {
        ecs: {
          intercept: (action) => {
            if (action === "DescribeTaskDefinition")
              throw new ServiceError("AccessDeniedException", "denied");
          },
        },
      },
    );
    await expect(rule.run(serviceChangeEvent({ TaskDefinition: revisionArn("web:4") }))).rejects.toThrow(
      IncompleteEvaluationError,
    );
    expect(rule.written()).toEqual([]);
  });
});
