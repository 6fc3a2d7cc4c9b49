import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  ECS_DAEMON_PID_MODE_GUARD_RULE_NAME,
  ECS_PID_MODE_GUARD_RULE_FILE,
  ECS_PID_MODE_GUARD_RULE_NAME,
} from "../../../infra/aspects/guardRule";
import { CONTROL_TOWER_PID_MODE_RULE, type GuardStatus, validateWithGuard } from "../../support/cfnGuard";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "cloudformation", "guard");
const fixture = (name: string) => path.join(FIXTURES, name);

/** cfn-guard exits 19 when a rule fails, 0 when every rule passes or is skipped. */
const EXIT_CODES: Record<GuardStatus, number> = { PASS: 0, SKIP: 0, FAIL: 19 };

/** Each fixture's outcome under the task definition rule and under the daemon task definition rule. */
const EXPECTED: readonly [string, GuardStatus, GuardStatus][] = [
  ["template-host.json", "FAIL", "SKIP"],
  ["template-empty-string.json", "FAIL", "SKIP"],
  ["template-uppercase-host.json", "FAIL", "SKIP"],
  ["template-pid-mode-parameter.json", "FAIL", "SKIP"],
  ["template-suppressed-other-rule.json", "FAIL", "SKIP"],
  ["template-suppressed-empty-list.json", "FAIL", "SKIP"],
  ["template-suppressed-as-string.json", "FAIL", "SKIP"],
  ["template-suppressed-daemon-rule.json", "FAIL", "SKIP"],
  ["template-one-exempted-one-not.json", "FAIL", "SKIP"],
  ["template-task.json", "PASS", "SKIP"],
  ["template-absent.json", "PASS", "SKIP"],
  ["template-exempted.json", "SKIP", "SKIP"],
  ["template-without-task-definitions.json", "SKIP", "SKIP"],
  ["template-daemon-shared.json", "SKIP", "FAIL"],
  ["template-daemon-uppercase-shared.json", "SKIP", "FAIL"],
  ["template-daemon-host.json", "SKIP", "FAIL"],
  ["template-daemon-pid-mode-parameter.json", "SKIP", "FAIL"],
  ["template-daemon-suppressed-task-rule.json", "SKIP", "FAIL"],
  ["template-daemon-shared-beside-task.json", "PASS", "FAIL"],
  ["template-daemon-none.json", "SKIP", "PASS"],
  ["template-daemon-absent.json", "SKIP", "PASS"],
  ["template-daemon-without-properties.json", "SKIP", "PASS"],
  ["template-daemon-exempted.json", "SKIP", "SKIP"],
  ["hook-resource-host.json", "FAIL", "SKIP"],
  ["hook-resource-task.json", "PASS", "SKIP"],
  ["hook-resource-absent.json", "PASS", "SKIP"],
  ["hook-resource-delete.json", "PASS", "SKIP"],
  ["hook-resource-daemon-shared.json", "SKIP", "FAIL"],
  ["hook-resource-daemon-none.json", "SKIP", "PASS"],
  ["hook-resource-daemon-absent.json", "SKIP", "PASS"],
  ["hook-resource-daemon-delete.json", "SKIP", "PASS"],
  ["custom-hook-host.json", "FAIL", "SKIP"],
  ["custom-hook-empty-string.json", "FAIL", "SKIP"],
  ["custom-hook-absent.json", "PASS", "SKIP"],
  ["custom-hook-daemon-shared.json", "SKIP", "FAIL"],
  ["custom-hook-daemon-none.json", "SKIP", "PASS"],
  ["custom-hook-daemon-absent.json", "SKIP", "PASS"],
];

/** cfn-guard reports a file as its worst rule: any failure fails it, else any pass passes it. */
const fileStatus = (...statuses: GuardStatus[]): GuardStatus =>
  statuses.includes("FAIL") ? "FAIL" : statuses.includes("PASS") ? "PASS" : "SKIP";

describe("the ecs-pid-mode Guard rule under the real cfn-guard", () => {
  it("is the file the package exports, and declares one rule per resource type, named as the Aspect suppresses them", () => {
    expect(existsSync(ECS_PID_MODE_GUARD_RULE_FILE)).toBe(true);
    const declared = [...readFileSync(ECS_PID_MODE_GUARD_RULE_FILE, "utf8").matchAll(/^rule (\w+)/gm)].map(
      (match) => match[1],
    );
    expect(declared).toEqual([ECS_PID_MODE_GUARD_RULE_NAME, ECS_DAEMON_PID_MODE_GUARD_RULE_NAME]);
  });

  it("has an expectation for every fixture template", () => {
    const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".json"));
    expect(EXPECTED.map(([name]) => name).sort()).toEqual(fixtures.sort());
  });

  it.each(EXPECTED)(
    "judges %s as %s under the task definition rule and %s under the daemon rule, with the matching exit code",
    (name, taskRule, daemonRule) => {
      const run = validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture(name));
      const expected = fileStatus(taskRule, daemonRule);
      expect({ rules: run.ruleStatuses, status: run.status, exitCode: run.exitCode }).toEqual({
        rules: {
          [ECS_PID_MODE_GUARD_RULE_NAME]: taskRule,
          [ECS_DAEMON_PID_MODE_GUARD_RULE_NAME]: daemonRule,
        },
        status: expected,
        exitCode: EXIT_CODES[expected],
      });
    },
  );

  it("flags only the task definition that no exception covers when a template holds two", () => {
    const run = validateWithGuard(
      ECS_PID_MODE_GUARD_RULE_FILE,
      fixture("template-one-exempted-one-not.json"),
    );
    expect(run.failingPaths).toEqual(["/Resources/DebugTaskDefinition/Properties/PidMode"]);
  });

  it("flags only the daemon task definition when a clean task definition is beside it", () => {
    const run = validateWithGuard(
      ECS_PID_MODE_GUARD_RULE_FILE,
      fixture("template-daemon-shared-beside-task.json"),
    );
    expect(run.failingPaths).toContain("/Resources/AgentDaemonTaskDefinition/Properties/PidMode");
    expect(
      run.failingPaths.filter((path) => !path.startsWith("/Resources/AgentDaemonTaskDefinition/")),
    ).toEqual([]);
  });

  it("tells the author how to fix a failure", () => {
    const run = validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture("template-host.json"));
    expect(run.output).toContain('Fix: omit PidMode or set it to \\"task\\"');
  });

  it("tells the author how to fix a daemon failure", () => {
    const run = validateWithGuard(ECS_PID_MODE_GUARD_RULE_FILE, fixture("template-daemon-shared.json"));
    expect(run.output).toContain('Fix: omit PidMode or set it to \\"none\\"');
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
