import { judgePidMode, type RenderedTaskDefinition } from "../../../infra/aspects/pidModeJudgement";
import { parseExceptionList } from "../../../lambda/core/exceptions";

const NOW = new Date("2026-11-30T12:00:00Z");
const HINT = "Ask platform-security for an exception.";

function judge(taskDefinition: Partial<RenderedTaskDefinition>, entries: unknown[] = []) {
  const { approved } = parseExceptionList(entries);
  return judgePidMode(
    {
      path: "App/Agents/Agent/Resource",
      pidMode: "host",
      family: "node-agent",
      accountId: undefined,
      ...taskDefinition,
    },
    { exceptions: approved, now: NOW, requestHint: (family) => `${HINT} (${family ?? "no family"})` },
  );
}

const exception = (overrides: Record<string, unknown> = {}) => ({
  taskDefinition: "node-agent",
  owner: "platform-observability",
  expires: "2027-03-31",
  reason: "node exporter reads every process on the host",
  ...overrides,
});

describe("judging a task definition's pidMode at synth", () => {
  it.each([
    ["absent", undefined],
    ["task", "task"],
  ])("passes pidMode %s", (_label, pidMode) => {
    expect(judge({ pidMode })).toEqual({ outcome: "pass" });
  });

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
