import type { DescribeTaskDefinitionCommandOutput } from "@aws-sdk/client-ecs";
import { REPLACES_TAG, replacementFor } from "../../../../../lambda/remediation/core/replacement";
import described from "../../../../fixtures/ecs/describe-task-definition-inactive-host-pid.json";

const response = described as unknown as DescribeTaskDefinitionCommandOutput;

describe("the replacement of a host-PID revision", () => {
  it("drops pidMode and every field ECS sets itself, keeping the rest of the definition as it was", () => {
    const { input } = replacementFor(response);
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
        { key: REPLACES_TAG, value: "log-shipper:5" },
      ],
    });
  });

  it("names the revision it replaces", () => {
    expect(replacementFor(response)).toMatchObject({ replaces: "log-shipper:5", family: "log-shipper" });
  });

  it("tags a revision that had no tags with the revision it replaces only", () => {
    expect(replacementFor({ ...response, tags: [] }).input.tags).toEqual([
      { key: REPLACES_TAG, value: "log-shipper:5" },
    ]);
  });

  it("keeps only the newest replaces tag and drops aws: tags, which nobody may set", () => {
    const tags = [
      { key: REPLACES_TAG, value: "log-shipper:2" },
      { key: "aws:cloudformation:stack-name", value: "logging" },
      { key: "team", value: "logging" },
    ];
    expect(replacementFor({ ...response, tags }).input.tags).toEqual([
      { key: "team", value: "logging" },
      { key: REPLACES_TAG, value: "log-shipper:5" },
    ]);
  });

  it("refuses a revision with 50 tags, since the replaces tag would be the 51st ECS rejects", () => {
    const tags = Array.from({ length: 50 }, (_, index) => ({ key: `k${index}`, value: "v" }));
    expect(() => replacementFor({ ...response, tags })).toThrow("log-shipper:5 has 50 tags");
  });

  it("does not change the DescribeTaskDefinition answer it was given", () => {
    const copy = structuredClone(described);
    replacementFor(response);
    expect(described).toEqual(copy);
  });

  it("refuses an answer that names no revision instead of planning a wrong registration", () => {
    expect(() => replacementFor({ taskDefinition: undefined, tags: [] })).toThrow(
      "DescribeTaskDefinition returned no family and revision",
    );
  });
});
