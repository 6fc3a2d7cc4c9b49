import { familyOf, passableRoles } from "../../../../lambda/remediation/handler";

describe("the remediation function's event", () => {
  it("names one task definition family", () => {
    expect(familyOf({ family: "web-api_2" })).toBe("web-api_2");
  });

  it.each([
    [{}, "event.family: must be a task definition family name"],
    [null, "event.family: must be a task definition family name"],
    [{ family: "web:3" }, 'event.family: "web:3" is not a task definition family name'],
    [
      { family: "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3" },
      "is not a task definition family name",
    ],
    [{ family: "web api" }, "is not a task definition family name"],
  ])("refuses %j, naming the field", (event, message) => {
    expect(() => familyOf(event)).toThrow(message);
  });
});

describe("the roles the remediation function may pass (PASSABLE_ROLE_NAMES)", () => {
  it("reads the JSON list of role names the stack sets", () => {
    expect([...passableRoles('["web-task","ecsTaskExecutionRole"]')]).toEqual([
      "web-task",
      "ecsTaskExecutionRole",
    ]);
  });

  it.each([
    [undefined],
    [""],
    ["web-task"],
    ['{"role":"web-task"}'],
    ['["arn:aws:iam::111122223333:role/web-task"]'],
    ['["web task"]'],
  ])("fails the invocation on %j rather than pass any role", (value) => {
    expect(() => passableRoles(value)).toThrow("PASSABLE_ROLE_NAMES must be a JSON list of IAM role names");
  });
});
