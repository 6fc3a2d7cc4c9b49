import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ECS_PID_MODE_GUARD_RULE_FILE, ECS_PID_MODE_GUARD_RULE_NAME } from "../../../infra/aspects/guardRule";
import { CONTROL_TOWER_PID_MODE_RULE, type GuardStatus, validateWithGuard } from "./cfnGuard";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "guard");
const fixture = (name: string) => path.join(FIXTURES, name);

/** cfn-guard exits 19 when a rule fails, 0 when every rule passes or is skipped. */
const EXIT_CODES: Record<GuardStatus, number> = { PASS: 0, SKIP: 0, FAIL: 19 };

const EXPECTED: readonly [string, GuardStatus][] = [
  ["template-host.json", "FAIL"],
  ["template-empty-string.json", "FAIL"],
  ["template-uppercase-host.json", "FAIL"],
  ["template-pid-mode-parameter.json", "FAIL"],
  ["template-suppressed-other-rule.json", "FAIL"],
  ["template-suppressed-empty-list.json", "FAIL"],
  ["template-suppressed-as-string.json", "FAIL"],
  ["template-one-exempted-one-not.json", "FAIL"],
  ["template-task.json", "PASS"],
  ["template-absent.json", "PASS"],
  ["template-exempted.json", "SKIP"],
  ["template-without-task-definitions.json", "SKIP"],
  ["hook-resource-host.json", "FAIL"],
  ["hook-resource-task.json", "PASS"],
  ["hook-resource-absent.json", "PASS"],
  ["hook-resource-delete.json", "PASS"],
  ["custom-hook-host.json", "FAIL"],
  ["custom-hook-empty-string.json", "FAIL"],
  ["custom-hook-absent.json", "PASS"],
];

describe("the ecs-pid-mode Guard rule under the real cfn-guard", () => {
  it("is the file the package exports, and declares the rule name the Aspect suppresses", () => {
    expect(existsSync(ECS_PID_MODE_GUARD_RULE_FILE)).toBe(true);
    const declared = [...readFileSync(ECS_PID_MODE_GUARD_RULE_FILE, "utf8").matchAll(/^rule (\w+)/gm)].map(
      (match) => match[1],
    );
    expect(declared).toEqual([ECS_PID_MODE_GUARD_RULE_NAME]);
  });

  it("has an expectation for every fixture template", () => {
    const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".json"));
    expect(EXPECTED.map(([name]) => name).sort()).toEqual(fixtures.sort());
  });

  it.each(EXPECTED)("judges %s as %s, with the matching exit code", (name, expected) => {
    const run = validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture(name));
    expect({ status: run.status, exitCode: run.exitCode }).toEqual({
      status: expected,
      exitCode: EXIT_CODES[expected],
    });
  });

  it("flags only the task definition that no exception covers when a template holds two", () => {
    const run = validateWithGuard(
      ECS_PID_MODE_GUARD_RULE_FILE,
      fixture("template-one-exempted-one-not.json"),
    );
    expect(run.failingPaths).toEqual(["/Resources/DebugTaskDefinition/Properties/PidMode"]);
  });

  it("tells the author how to fix a failure", () => {
    const run = validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture("template-host.json"));
    expect(run.output).toContain('Fix: omit PidMode or set it to \\"task\\"');
  });

  it("fails every template Control Tower's CT.ECS.PR.10 fails, unless our suppression metadata exempts it", () => {
    const suppressedByUs = (name: string) => {
      const document = JSON.parse(readFileSync(fixture(name), "utf8")) as {
        Resources?: Record<string, { Metadata?: { guard?: { SuppressedRules?: unknown } } }>;
      };
      return Object.values(document.Resources ?? {}).some((resource) => {
        const suppressed = resource.Metadata?.guard?.SuppressedRules;
        return Array.isArray(suppressed) && suppressed.includes(ECS_PID_MODE_GUARD_RULE_NAME);
      });
    };
    const failedByControlTower = EXPECTED.map(([name]) => name).filter(
      (name) => validateWithGuard(CONTROL_TOWER_PID_MODE_RULE, fixture(name)).status === "FAIL",
    );
    expect(failedByControlTower).toContain("template-host.json");
    const missed = failedByControlTower.filter(
      (name) =>
        !suppressedByUs(name) &&
        validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture(name)).status !== "FAIL",
    );
    expect(missed).toEqual([]);
  });

  it("is stricter than CT.ECS.PR.10 where Control Tower lets a value through", () => {
    expect(
      validateWithGuard(CONTROL_TOWER_PID_MODE_RULE, fixture("template-uppercase-host.json")).status,
    ).toBe("PASS");
    expect(validateWithGuard(CONTROL_TOWER_PID_MODE_RULE, fixture("hook-resource-host.json")).status).toBe(
      "SKIP",
    );
  });
});
