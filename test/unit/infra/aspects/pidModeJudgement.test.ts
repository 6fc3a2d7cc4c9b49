import { judgePidMode, type RenderedDefinition } from "../../../../infra/aspects/pidModeJudgement";
import {
  DAEMON_TASK_DEFINITION_PID_MODE,
  TASK_DEFINITION_PID_MODE,
} from "../../../../infra/aspects/pidModeKinds";
import { parseExceptionList } from "../../../../lambda/core/approvedExceptions";
import { NODE_AGENT_APPROVAL } from "../../../support/approvedExceptionEntries";

const NOW = new Date("2026-11-30T12:00:00Z");
const HINT = "Ask platform-security for an exception.";

function judge(definition: Partial<RenderedDefinition>, entries: unknown[] = []) {
  const { approved } = parseExceptionList(entries);
  return judgePidMode(
    {
      kind: TASK_DEFINITION_PID_MODE,
      path: "App/Agents/Agent/Resource",
      pidMode: "host",
      family: "node-agent",
      accountId: undefined,
      ...definition,
    },
    { exceptions: approved, now: NOW, requestHint: (family) => `${HINT} (${family ?? "no family"})` },
  );
}

const exception = (overrides: Record<string, unknown> = {}) => ({
  taskDefinition: "node-agent",
  ...NODE_AGENT_APPROVAL,
  ...overrides,
});

/** One test each of the `pidModes` that `judgeOf` lets pass, named by its label. */
function itPasses(
  judgeOf: (definition: Partial<RenderedDefinition>) => unknown,
  pidModes: [string, string | undefined][],
): void {
  it.each(pidModes)("passes pidMode %s", (_label, pidMode) => {
    expect(judgeOf({ pidMode })).toEqual({ outcome: "pass" });
  });
}

describe("judging a task definition's pidMode at synth", () => {
  itPasses(judge, [
    ["absent", undefined],
    ["task", "task"],
  ]);

  it.each([
    ["host", "host", 'pidMode "host"'],
    ["an empty string", "", 'pidMode ""'],
    ["HOST", "HOST", 'pidMode "HOST"'],
  ])(
    "fails pidMode %s with an error naming the construct path, the value and the hint",
    (_label, pidMode, shown) => {
      const finding = judge({ pidMode });
      expect(finding.outcome).toBe("error");
      expect(finding).toMatchObject({
        message: expect.stringContaining("App/Agents/Agent/Resource: ECS task definition"),
      });
      expect(finding).toMatchObject({ message: expect.stringContaining(shown) });
      expect(finding).toMatchObject({ message: expect.stringContaining(`${HINT} (node-agent)`) });
    },
  );

  it("warns, never passes, when pidMode is an intrinsic synth cannot resolve", () => {
    const finding = judge({ pidMode: { Ref: "PidModeParameter" } });
    expect(finding.outcome).toBe("warning");
    expect(finding).toMatchObject({
      message: expect.stringContaining('{"Ref":"PidModeParameter"} cannot be resolved'),
    });
  });

  it("exempts a host-PID family that an unexpired family-level exception covers", () => {
    const finding = judge({}, [exception()]);
    expect(finding).toMatchObject({
      outcome: "exempt",
      expiresSoon: false,
      exception: { owner: "platform-observability", expires: "2027-03-31" },
    });
  });

  it("exempts an unresolvable pidMode the same way, since the family is known", () => {
    expect(judge({ pidMode: { "Fn::If": ["Debug", "host", "task"] } }, [exception()]).outcome).toBe("exempt");
  });

  it("still exempts on an exception's last day, and says it expires soon", () => {
    const finding = judge({}, [exception({ expires: "2026-11-30" })]);
    expect(finding).toMatchObject({ outcome: "exempt", expiresSoon: true });
  });

  it("does not exempt once the exception has expired, and says when it expired", () => {
    const finding = judge({}, [exception({ expires: "2026-11-29" })]);
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({
      message: expect.stringContaining(
        "(owner platform-observability) expired at 2026-11-30T00:00:00.000Z (its last day was 2026-11-29)",
      ),
    });
  });

  it("prefers an unexpired exception over an expired one for the same family", () => {
    const finding = judge({}, [exception({ expires: "2026-01-31" }), exception({ expires: "2027-01-31" })]);
    expect(finding).toMatchObject({ outcome: "exempt", exception: { expires: "2027-01-31" } });
  });

  it("ignores an exception for another family", () => {
    expect(judge({}, [exception({ taskDefinition: "node-agent-v2" })]).outcome).toBe("error");
  });

  it.each([
    ["family:revision", "node-agent:7"],
    ["revision ARN", "arn:aws:ecs:eu-west-1:111111111111:task-definition/node-agent:7"],
  ])(
    "does not let a %s exception exempt at synth, and says only family-level ones can",
    (_label, taskDefinition) => {
      const finding = judge({}, [exception({ taskDefinition })]);
      expect(finding.outcome).toBe("error");
      expect(finding).toMatchObject({ message: expect.stringContaining("only family-level ones can") });
    },
  );

  it("applies an account-limited exception when the stack's account is listed", () => {
    const limited = exception({ accountIds: ["111111111111"] });
    expect(judge({ accountId: "111111111111" }, [limited]).outcome).toBe("exempt");
    expect(judge({ accountId: "222222222222" }, [limited]).outcome).toBe("error");
  });

  it("does not apply an account-limited exception when the account is unknown, and says how to supply it", () => {
    const finding = judge({ accountId: undefined }, [exception({ accountIds: ["111111111111"] })]);
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({
      message: expect.stringContaining("set the stack's env.account or the Aspect's accountId"),
    });
  });

  it("cannot match any exception when the family is not a literal, and says so", () => {
    const finding = judge({ family: undefined }, [exception()]);
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({ message: expect.stringContaining("family is not a literal") });
  });
});

const judgeDaemon = (definition: Partial<RenderedDefinition>, entries: unknown[] = []) =>
  judge(
    {
      kind: DAEMON_TASK_DEFINITION_PID_MODE,
      path: "App/Agents/AgentDaemon",
      pidMode: "shared",
      ...definition,
    },
    entries,
  );

describe("judging a daemon task definition's pidMode at synth", () => {
  itPasses(judgeDaemon, [
    ["absent", undefined],
    ["none", "none"],
  ]);

  it("fails pidMode shared, which joins the host PID namespace, naming the daemon task definition and the fix", () => {
    const finding = judgeDaemon({});
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({
      message: expect.stringContaining(
        'App/Agents/AgentDaemon: ECS daemon task definition pidMode "shared"; it must not share the host\'s process namespace (Security Hub ECS.3, applied to daemons). Omit pidMode or set it to "none".',
      ),
    });
    expect(finding).toMatchObject({ message: expect.stringContaining(`${HINT} (node-agent)`) });
  });

  it.each([
    ["SHARED", "SHARED"],
    ["an empty string", ""],
    ["host, a task definition's value", "host"],
    ["task, a task definition's value", "task"],
  ])("fails any other literal, %s, as an error rather than letting it through", (_label, pidMode) => {
    const finding = judgeDaemon({ pidMode });
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({
      message: expect.stringContaining(`pidMode ${JSON.stringify(pidMode)};`),
    });
  });

  it("warns that an unresolvable pidMode could be shared at deploy time", () => {
    const finding = judgeDaemon({ pidMode: { Ref: "DaemonPidMode" } });
    expect(finding.outcome).toBe("warning");
    expect(finding).toMatchObject({
      message: expect.stringContaining(
        '{"Ref":"DaemonPidMode"} cannot be resolved at synth and could be "shared"',
      ),
    });
  });

  const daemonException = (overrides: Record<string, unknown> = {}) =>
    exception({ taskDefinition: undefined, daemonTaskDefinition: "node-agent", ...overrides });

  it("does not exempt a shared-PID daemon with a task definition exception of the same family name", () => {
    expect(judgeDaemon({}, [exception()]).outcome).toBe("error");
  });

  it("exempts a shared-PID daemon family that an unexpired family-level daemon exception covers", () => {
    expect(judgeDaemon({}, [daemonException()])).toMatchObject({
      outcome: "exempt",
      exception: { owner: "platform-observability", expires: "2027-03-31" },
      message: expect.stringContaining('pidMode "shared" is exempt until 2027-03-31 (family "node-agent"'),
    });
  });

  it("does not exempt once the exception has expired, and says to fix the daemon task definition", () => {
    const finding = judgeDaemon({}, [daemonException({ expires: "2026-11-29" })]);
    expect(finding.outcome).toBe("error");
    expect(finding).toMatchObject({
      message: expect.stringContaining("no longer applies: renew it or fix the ECS daemon task definition."),
    });
  });
});

describe("judging a task definition with a daemon's values", () => {
  it.each(["none", "shared"])(
    "fails pidMode %s, which ECS does not accept on a task definition",
    (pidMode) => {
      expect(judge({ pidMode }).outcome).toBe("error");
    },
  );
});
