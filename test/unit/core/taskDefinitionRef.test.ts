import { inferTaskDefinitionIdForm, parseServiceArn } from "../../../lambda/core/targets";
import { nameFromArn, parseTaskDefinitionRef } from "../../../lambda/core/taskDefinitionRef";

describe("task definition references", () => {
  it.each([
    ["web", { family: "web" }],
    ["web_api-2", { family: "web_api-2" }],
    ["web:7", { family: "web", revision: 7 }],
    ["arn:aws:ecs:us-west-2:111111111111:task-definition/web:7", { family: "web", revision: 7 }],
    ["arn:aws-cn:ecs:cn-north-1:111111111111:task-definition/web:12", { family: "web", revision: 12 }],
    ["arn:aws-us-gov:ecs:us-gov-west-1:111111111111:task-definition/w:1", { family: "w", revision: 1 }],
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
    "a".repeat(256),
  ])("%j names no task definition", (text) => {
    expect(parseTaskDefinitionRef(text)).toBeUndefined();
  });

  it("takes the last segment of an ECS ARN as its name and leaves plain names alone", () => {
    expect(nameFromArn("arn:aws:ecs:us-east-1:111111111111:cluster/prod")).toBe("prod");
    expect(nameFromArn("prod")).toBe("prod");
  });
});

describe("service ARNs", () => {
  it("reads cluster and name from a new-format service ARN", () => {
    expect(parseServiceArn("arn:aws:ecs:us-east-1:111111111111:service/prod/api")).toEqual({
      cluster: "prod",
      name: "api",
    });
  });

  it("reads only the name from an old-format service ARN", () => {
    expect(parseServiceArn("arn:aws:ecs:us-east-1:111111111111:service/api")).toEqual({ name: "api" });
  });

  it("refuses what is not a service ARN", () => {
    expect(parseServiceArn("api")).toBeUndefined();
  });
});

describe("how Config names task definitions in an account", () => {
  it.each([
    [["web", "api"], "family"],
    [["web:3"], "familyRevision"],
    [["arn:aws:ecs:us-east-1:111111111111:task-definition/web:3"], "arn"],
    [[], "family"],
    [["not a name!", "web"], "family"],
  ])("ids %j are the %s form", (ids, form) => {
    expect(inferTaskDefinitionIdForm(ids)).toBe(form);
  });
});
