import {
  nameFromArn,
  parseRevisionArn,
  parseTaskDefinitionRef,
  refCovers,
} from "../../../../lambda/core/taskDefinitionRef";

describe("task definition references", () => {
  it.each([
    ["web", { family: "web" }],
    ["web_api-2", { family: "web_api-2" }],
    ["web:7", { family: "web", revision: 7 }],
    [
      "arn:aws:ecs:us-west-2:111111111111:task-definition/web:7",
      { family: "web", revision: 7, kind: "task" },
    ],
    [
      "arn:aws-cn:ecs:cn-north-1:111111111111:task-definition/web:12",
      { family: "web", revision: 12, kind: "task" },
    ],
    [
      "arn:aws-us-gov:ecs:us-gov-west-1:111111111111:task-definition/w:1",
      { family: "w", revision: 1, kind: "task" },
    ],
    [
      "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/node-agent:4",
      { family: "node-agent", revision: 4, kind: "daemon" },
    ],
  ])("%s names %j", (text, expected) => {
    expect(parseTaskDefinitionRef(text)).toEqual(expected);
  });

  it.each([
    "",
    "web:0",
    "web:",
    "web:3:4",
    "web app",
    "arn:aws:ecs:us-west-2:111111111111:task-definition/web",
    "arn:aws:ecs:us-west-2:111111111111:service/prod/web",
    "arn:aws:ecs:us-west-2:111111111111:daemon/prod/node-agent",
    "arn:aws:ecs:us-west-2:111111111111:daemon-task-definition/node-agent",
    "a".repeat(256),
  ])("%j names no task definition", (text) => {
    expect(parseTaskDefinitionRef(text)).toBeUndefined();
  });

  it("takes the last segment of an ECS ARN as its name and leaves plain names alone", () => {
    expect(nameFromArn("arn:aws:ecs:us-east-1:111111111111:cluster/prod")).toBe("prod");
    expect(nameFromArn("prod")).toBe("prod");
  });
});

describe("revision ARNs", () => {
  it("tells a daemon task definition revision from a task definition revision", () => {
    expect(parseRevisionArn("arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/agent:2")?.kind).toBe(
      "daemon",
    );
    expect(parseRevisionArn("arn:aws:ecs:us-east-1:111111111111:task-definition/agent:2")?.kind).toBe("task");
  });

  it("names no revision for a family or family:revision, which carry no kind", () => {
    expect(parseRevisionArn("agent:2")).toBeUndefined();
    expect(parseRevisionArn("agent")).toBeUndefined();
  });

  it("lets a family reference cover both kinds, but a revision ARN only its own kind", () => {
    const daemon = {
      family: "agent",
      revision: 2,
      arn: "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/agent:2",
    };
    const task = {
      family: "agent",
      revision: 2,
      arn: "arn:aws:ecs:us-east-1:111111111111:task-definition/agent:2",
    };
    const family = parseTaskDefinitionRef("agent");
    const taskArn = parseTaskDefinitionRef(task.arn);
    expect(family && refCovers(family, daemon)).toBe(true);
    expect(family && refCovers(family, task)).toBe(true);
    expect(taskArn && refCovers(taskArn, daemon)).toBe(false);
    expect(taskArn && refCovers(taskArn, task)).toBe(true);
  });
});
