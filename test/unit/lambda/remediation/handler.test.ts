import { familyOf } from "../../../../lambda/remediation/handler";

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
