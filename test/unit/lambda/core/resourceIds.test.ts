import { inferTaskDefinitionIdForm } from "../../../../lambda/core/resourceIds";

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
