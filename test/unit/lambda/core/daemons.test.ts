import { namesDaemonResource, parseDaemonResourceArn } from "../../../../lambda/core/daemons";

const base = "arn:aws:ecs:us-east-1:111111111111";

describe("daemon resource ARNs", () => {
  it.each([
    [`${base}:daemon/prod/node-agent`, { kind: "daemon", cluster: "prod", name: "node-agent" }],
    [
      `${base}:daemon-revision/prod/node-agent/4980306466373577095`,
      { kind: "daemon-revision", cluster: "prod", name: "node-agent", id: "4980306466373577095" },
    ],
    [
      `${base}:daemon-deployment/prod/node-agent/aB1cD2`,
      { kind: "daemon-deployment", cluster: "prod", name: "node-agent", id: "aB1cD2" },
    ],
  ])("reads %s", (arn, expected) => {
    expect(parseDaemonResourceArn(arn)).toEqual(expected);
  });

  it.each([
    `${base}:daemon/prod/node-agent/extra`,
    `${base}:daemon-revision/prod/node-agent`,
    `${base}:daemon-task-definition/node-agent:2`,
    `${base}:task-definition/web:1`,
    "node-agent",
  ])("refuses %s as a daemon, revision or deployment ARN", (arn) => {
    expect(parseDaemonResourceArn(arn)).toBeUndefined();
  });

  it("counts a daemon task definition ARN as naming a daemon resource, a task definition ARN not", () => {
    expect(namesDaemonResource(`${base}:daemon-task-definition/node-agent:2`)).toBe(true);
    expect(namesDaemonResource(`${base}:daemon/prod/node-agent`)).toBe(true);
    expect(namesDaemonResource(`${base}:task-definition/web:1`)).toBe(false);
  });
});
