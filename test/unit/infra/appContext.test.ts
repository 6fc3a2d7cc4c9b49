import { App } from "aws-cdk-lib";
import { AppContext } from "../../../infra/appContext";

function contextOf(values: Record<string, unknown>): AppContext {
  return new AppContext(new App({ context: values }).node);
}

describe("the app's settings from CDK context", () => {
  it("reads lists given in cdk.json, as JSON text or comma-separated on the command line", () => {
    expect(contextOf({ ids: ["r-abcd"] }).list("ids")).toEqual(["r-abcd"]);
    expect(contextOf({ ids: '["ou-a", "ou-b"]' }).list("ids")).toEqual(["ou-a", "ou-b"]);
    expect(contextOf({ ids: "ou-a, ou-b," }).list("ids")).toEqual(["ou-a", "ou-b"]);
    expect(contextOf({}).list("ids")).toBeUndefined();
  });

  it("reads exceptions given as JSON text on the command line", () => {
    const text = '[{"taskDefinition":"web","owner":"a","expires":"2026-01-01","reason":"b"}]';
    expect(contextOf({ exceptions: text }).json("exceptions")).toEqual([
      { taskDefinition: "web", owner: "a", expires: "2026-01-01", reason: "b" },
    ]);
  });

  it("reads numbers and booleans given as text", () => {
    expect(contextOf({ n: "5" }).number("n")).toBe(5);
    expect(contextOf({ b: "false" }).boolean("b")).toBe(false);
  });

  it("rejects values of the wrong kind, naming the key", () => {
    expect(() => contextOf({ n: "five" }).number("n")).toThrow(/context n must be a number/);
    expect(() => contextOf({ b: "yes" }).boolean("b")).toThrow(/context b must be true or false/);
    expect(() => contextOf({ ids: [1, 2] }).list("ids")).toThrow(/context ids must be a list of strings/);
    expect(() => contextOf({ exceptions: "[oops" }).json("exceptions")).toThrow(
      /context exceptions is not valid JSON/,
    );
  });
});
