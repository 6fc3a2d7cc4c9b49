import type { DescribeTaskDefinitionCommandOutput } from "@aws-sdk/client-ecs";
import { formatFixPlan, planRevisionFix } from "../../../cli/scan/fixPlan";
import described from "../../fixtures/cli/describe-task-definition-inactive-host-pid.json";

const response = described as unknown as DescribeTaskDefinitionCommandOutput;
const placements = [
  { cluster: "prod", service: "log-shipper" },
  { cluster: "staging", service: "log-shipper" },
  { cluster: "prod", service: "log-shipper" },
  { cluster: "prod" },
];

describe("the fix plan for one host-PID revision", () => {
  it("drops pidMode and every field ECS sets itself, keeping the rest of the definition as it was", () => {
    const fix = planRevisionFix(response, placements);
    const input = fix.registerTaskDefinitionInput;
    for (const field of [
      "pidMode",
      "taskDefinitionArn",
      "revision",
      "status",
      "requiresAttributes",
      "compatibilities",
      "registeredAt",
      "registeredBy",
      "deregisteredAt",
    ]) {
      expect(input).not.toHaveProperty(field);
    }
    expect(input).toEqual({
      family: "log-shipper",
      taskRoleArn: "arn:aws:iam::111122223333:role/log-shipper-task",
      executionRoleArn: "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
      networkMode: "bridge",
      containerDefinitions: described.taskDefinition.containerDefinitions,
      volumes: [{ name: "varlog", host: { sourcePath: "/var/log" } }],
      placementConstraints: [],
      requiresCompatibilities: ["EC2"],
      tags: [
        { key: "team", value: "logging" },
        { key: "cost-center", value: "4711" },
      ],
    });
  });

  it("names the revision and lists each service that would move once, sorted, apart from standalone tasks", () => {
    const fix = planRevisionFix(response, placements);
    expect(fix.revision).toBe("log-shipper:5");
    expect(fix.services).toEqual([
      { cluster: "prod", service: "log-shipper" },
      { cluster: "staging", service: "log-shipper" },
    ]);
    expect(fix.standaloneTaskClusters).toEqual(["prod"]);
  });

  it("leaves tags out of the request when the revision has none", () => {
    const fix = planRevisionFix({ ...response, tags: [] }, placements);
    expect(fix.registerTaskDefinitionInput).not.toHaveProperty("tags");
  });

  it("does not change the DescribeTaskDefinition answer it was given", () => {
    const copy = JSON.parse(JSON.stringify(described));
    planRevisionFix(response, placements);
    expect(described).toEqual(copy);
  });

  it("refuses an answer that names no revision instead of planning a wrong registration", () => {
    expect(() => planRevisionFix({ taskDefinition: undefined, tags: [] }, [])).toThrow(
      "DescribeTaskDefinition returned no family and revision",
    );
  });

  it("prints the register command, the service moves and JSON that parses back to the request", () => {
    const fix = planRevisionFix(response, placements);
    const text = formatFixPlan([fix]);
    expect(text).toContain(
      "NEW_LOG_SHIPPER_5=$(aws ecs register-task-definition --cli-input-json file://log-shipper-5.json --query taskDefinition.taskDefinitionArn --output text)",
    );
    expect(text).toContain(
      'aws ecs update-service --cluster prod --service log-shipper --task-definition "$NEW_LOG_SHIPPER_5"',
    );
    expect(text).toContain(
      'aws ecs update-service --cluster staging --service log-shipper --task-definition "$NEW_LOG_SHIPPER_5"',
    );
    expect(text).toContain("standalone tasks in cluster prod");
    const json = text.slice(text.indexOf("\n{") + 1);
    expect(JSON.parse(json)).toEqual(fix.registerTaskDefinitionInput);
  });

  it("moves each service to the revision registered for the one it runs, when one family has several to fix", () => {
    const other = { ...response, taskDefinition: { ...response.taskDefinition, revision: 6 } };
    const text = formatFixPlan([
      planRevisionFix(response, placements),
      planRevisionFix(other as typeof response, placements),
    ]);
    expect(text).toContain('--task-definition "$NEW_LOG_SHIPPER_5"');
    expect(text).toContain('--task-definition "$NEW_LOG_SHIPPER_6"');
    expect(text).not.toMatch(/--task-definition log-shipper\b/);
  });

  it("says there is nothing to fix when no revision fails", () => {
    expect(formatFixPlan([])).toBe("Fix plan: nothing to fix.\n");
  });
});
