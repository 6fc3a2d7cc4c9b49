import type { SimAccount } from "../../../../sim/account";
import { ACCOUNT } from "../../../support/ecsIds";
import { DELETED, scheduledEvent, taskSetChangeEvent } from "../../../support/events";
import { harness } from "../../../support/ruleHarness";

const TD = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";
const TASK_SET = "AWS::ECS::TaskSet";
const base = `arn:aws:ecs:us-east-1:${ACCOUNT}`;
const serviceArn = `${base}:service/prod/edge`;
const GREEN = "ecs-svc/1000000000000000000";
const taskSetArn = `${base}:task-set/prod/edge/${GREEN}`;

/** An EXTERNAL service whose one task set runs a host-PID revision (its tasks carry the service's group). */
function account(
  overrides: { computedDesiredCount?: number; runningCount?: number } = {},
): Partial<SimAccount> {
  const running = overrides.runningCount ?? 2;
  return {
    clusters: [
      {
        name: "prod",
        tasks: Array.from({ length: running }, (_, index) => ({
          id: `e${index}`,
          taskDefinition: "edge:4",
          service: "edge",
        })),
      },
    ],
    revisions: [{ family: "edge", revision: 4, pidMode: "host" }],
    services: [
      {
        cluster: "prod",
        name: "edge",
        deploymentController: "EXTERNAL",
        desiredCount: overrides.computedDesiredCount ?? 2,
        taskSets: [
          {
            id: GREEN,
            status: "PRIMARY",
            taskDefinition: "edge:4",
            computedDesiredCount: overrides.computedDesiredCount ?? 2,
            runningCount: running,
          },
        ],
      },
    ],
  };
}

const item = (resourceId = taskSetArn) =>
  taskSetChangeEvent(resourceId, {
    Id: GREEN,
    Cluster: `${base}:cluster/prod`,
    Service: serviceArn,
    TaskDefinition: `${base}:task-definition/edge:4`,
    Scale: { Unit: "PERCENT", Value: 100 },
    LaunchType: "EC2",
  });

describe("task sets", () => {
  it("judges a task set's change with its service and family, from one DescribeServices", async () => {
    const rule = harness(account());
    await rule.run(item());
    expect(rule.written().sort()).toEqual(
      [
        `${TASK_SET} ${taskSetArn} NON_COMPLIANT`,
        `${SERVICE} ${serviceArn} NON_COMPLIANT`,
        `${TD} edge NON_COMPLIANT`,
      ].sort(),
    );
    expect(rule.aws.ecs.calls.get("DescribeServices")).toBe(1);
    const taskSet = rule.aws.config.written.find((evaluation) => evaluation.resourceType === TASK_SET);
    expect(taskSet?.annotation).toContain("edge:4");
    expect(taskSet?.annotation).toContain("create a new task set");
  });

  it("finds the task set whatever form Config's id takes, as long as it carries the task set's id", async () => {
    const rule = harness(account());
    await rule.run(item(`prod|edge|${GREEN}`));
    expect(rule.written()).toContain(`${TASK_SET} prod|edge|${GREEN} NON_COMPLIANT`);
  });

  it("says NOT_APPLICABLE for a task set scaled to zero with nothing running", async () => {
    const rule = harness(account({ computedDesiredCount: 0, runningCount: 0 }));
    await rule.run(item());
    expect(rule.written()).toContain(`${TASK_SET} ${taskSetArn} NOT_APPLICABLE`);
  });

  it("says NOT_APPLICABLE for a deleted task set without reading ECS", async () => {
    const rule = harness(account());
    await rule.run(taskSetChangeEvent(taskSetArn, {}, DELETED));
    expect(rule.written()).toEqual([`${TASK_SET} ${taskSetArn} NOT_APPLICABLE`]);
    expect(rule.aws.ecs.totalCalls).toBe(0);
  });

  it("says NOT_APPLICABLE for a task set its service no longer lists", async () => {
    const rule = harness({
      ...account(),
      services: [{ cluster: "prod", name: "edge", deploymentController: "EXTERNAL", taskSets: [] }],
    });
    await rule.run(item());
    expect(rule.written()).toContain(`${TASK_SET} ${taskSetArn} NOT_APPLICABLE`);
  });

  it("lets a sweep judge the task sets Config records from the DescribeServices answers it reads anyway", async () => {
    const withoutRecord = harness(account());
    await withoutRecord.run(scheduledEvent());
    const rule = harness({ ...account(), recordedTaskSetIds: [`prod|edge|${GREEN}`] });
    await rule.run(scheduledEvent());
    expect(rule.written()).toContain(`${TASK_SET} prod|edge|${GREEN} NON_COMPLIANT`);
    expect(rule.aws.ecs.calls).toEqual(withoutRecord.aws.ecs.calls);
  });

  it("neither reads nor writes task sets when EvaluateServices is false", async () => {
    const rule = harness(account());
    await rule.run(item(), undefined);
    const off = harness(account());
    await off.run({ ...item(), ruleParameters: JSON.stringify({ EvaluateServices: "false" }) });
    expect(off.written()).toEqual([]);
    expect(off.aws.ecs.totalCalls).toBe(0);
  });
});
