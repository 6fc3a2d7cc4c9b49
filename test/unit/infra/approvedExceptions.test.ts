import { App, Stack } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { ParameterTier } from "aws-cdk-lib/aws-ssm";
import { checkExceptions, parameterTierFor } from "../../../infra/approvedExceptions";
import { EcsPidModeRule } from "../../../infra/ecsPidModeRule";
import { EcsPidModeError, InvalidExceptionsError } from "../../../lambda/errors";

const now = new Date("2026-03-01T12:00:00Z");
const valid = {
  taskDefinition: "node-exporter:3",
  owner: "platform-team",
  expires: "2026-06-30",
  reason: "host metrics",
};

describe("exceptions checked at synth", () => {
  it("accepts entries with an owner, a reason, a target and a real date within the maximum duration", () => {
    expect(checkExceptions([valid], { maxDurationDays: 365, now })).toEqual([valid]);
  });

  it("accepts an expiry exactly the maximum number of days away and rejects the day after", () => {
    expect(() =>
      checkExceptions([{ ...valid, expires: "2026-03-31" }], { maxDurationDays: 30, now }),
    ).not.toThrow();
    expect(() =>
      checkExceptions([{ ...valid, expires: "2026-04-01" }], { maxDurationDays: 30, now }),
    ).toThrow(
      'exceptions[0] ("node-exporter:3"): expires 2026-04-01, more than maxExceptionDays (30) days from today',
    );
  });

  it("names the bad entry by position and target, and what is wrong with it", () => {
    const entries = [valid, { ...valid, taskDefinition: "web", owner: " ", expires: "2026-02-30" }];
    expect(() => checkExceptions(entries, { maxDurationDays: 365, now })).toThrow(
      /exceptions\[1\] \("web"\): owner: must not be empty; expires: must be a real calendar date/,
    );
  });

  it("rejects an entry without a target or a reason", () => {
    const { taskDefinition: _target, ...withoutTarget } = valid;
    expect(() => checkExceptions([withoutTarget], { maxDurationDays: 365, now })).toThrow(
      /exceptions\[0\]: taskDefinition/,
    );
    expect(() => checkExceptions([{ ...valid, reason: "" }], { maxDurationDays: 365, now })).toThrow(
      /reason/,
    );
  });

  it("rejects something that is not a list", () => {
    expect(() => checkExceptions({ web: "yes" }, { maxDurationDays: 365, now })).toThrow(/must be an array/);
  });

  it("fails with the rule's own error class, so one catch serves synth and the function", () => {
    expect(() => checkExceptions({ web: "yes" }, { maxDurationDays: 365, now })).toThrow(
      InvalidExceptionsError,
    );
    expect(() => checkExceptions({ web: "yes" }, { maxDurationDays: 365, now })).toThrow(EcsPidModeError);
  });

  it("accepts an already expired entry, which the rule reports as lapsed", () => {
    expect(() =>
      checkExceptions([{ ...valid, expires: "2025-01-01" }], { maxDurationDays: 365, now }),
    ).not.toThrow();
  });
});

describe("the exceptions parameter tier", () => {
  it("is Standard up to 4 KB, Advanced up to 8 KB and refused beyond", () => {
    expect(parameterTierFor("x".repeat(4096))).toBe(ParameterTier.STANDARD);
    expect(parameterTierFor("x".repeat(4097))).toBe(ParameterTier.ADVANCED);
    expect(parameterTierFor("é".repeat(2049))).toBe(ParameterTier.ADVANCED);
    expect(() => parameterTierFor("x".repeat(8193))).toThrow(/8193 bytes/);
  });
});

describe("the rule construct", () => {
  function build(props: ConstructorParameters<typeof EcsPidModeRule>[2]) {
    return () => new EcsPidModeRule(new Stack(new App(), "Stack"), "Rule", props);
  }

  it("warns loudly at synth about an entry already past and one lapsing within 14 days", () => {
    const stack = new Stack(new App(), "Stack");
    new EcsPidModeRule(stack, "Rule", {
      exceptionsCheckedAt: now,
      exceptions: [
        { ...valid, expires: "2026-02-27" },
        { ...valid, taskDefinition: "web", expires: "2026-03-14" },
        { ...valid, taskDefinition: "api", expires: "2026-03-15" },
      ],
    });
    const warnings = Annotations.fromStack(stack).findWarning("*", Match.anyValue());
    expect(warnings.map((warning) => String(warning.entry.data))).toEqual([
      'exceptions[0] ("node-exporter:3"): expired after 2026-02-27 (owner platform-team) and exempts nothing; renew it or remove it. [ack: ecs-pid-mode:ExceptionExpired]',
      'exceptions[1] ("web"): ends after 2026-03-14, in 14 days (owner platform-team); renew it or fix the task definition before then. [ack: ecs-pid-mode:ExceptionExpiringSoon]',
    ]);
  });

  it("fails synthesis on a bad exception, naming it", () => {
    expect(build({ exceptions: [{ ...valid, owner: "" }], exceptionsCheckedAt: now })).toThrow(
      /exceptions\[0\] \("node-exporter:3"\): owner/,
    );
  });

  it.each([
    [{ maxExceptionDays: 0 }, /maxExceptionDays/],
    [{ reservedConcurrency: 1.5 }, /reservedConcurrency/],
    [{ ecsRateShare: 1.2 }, /ecsRateShare/],
    [{ logRetention: 45 as never }, /logRetention must be one of/],
    [{ ruleName: "has spaces" }, /ruleName/],
    [{ maximumExecutionFrequency: "Every_Minute" as never }, /maximumExecutionFrequency .*Six_Hours/],
    [{ deployAs: "stackset" as never }, /deployAs/],
    [{ deployAs: "conformancePack" as const, conformancePackName: "9lives" }, /conformancePackName/],
  ])("rejects %j with a message naming the prop", (props, message) => {
    expect(build(props)).toThrow(message);
  });
});
