import { IncompleteEvaluationError, UnverifiedExceptionsError } from "../../../../lambda/errors";
import { failureOf, type InvocationReport } from "../../../../lambda/rule/writeAndReport";

const complete: InvocationReport = {
  trigger: "scheduled",
  evaluationsWritten: 2,
  unchanged: 0,
  withheld: [],
  unreadParts: [],
  unjudgedServiceIds: ["cluster-less-service"],
  unrecognisedArns: ["arn:aws:ecs:us-east-1:111111111111:something-else/x"],
  expiringSoon: [],
  invalidExceptions: [],
};

const tampered = { problem: "tampered", detail: "the parameter's SHA-256 is not the deployed one" } as const;

describe("how an invocation ends after its report", () => {
  it("succeeds when everything was read and the exceptions list was verified", () => {
    expect(failureOf(complete)).toBeUndefined();
  });

  it("fails as incomplete when a part was unread, summarising what was written", () => {
    const failure = failureOf({ ...complete, unreadParts: ["cluster prod: AccessDeniedException: no"] });
    expect(failure).toBeInstanceOf(IncompleteEvaluationError);
    expect(failure?.message).toBe(
      "could not read the whole account (1 unread part(s), 0 verdict(s) withheld, 2 certain evaluation(s) written): cluster prod: AccessDeniedException: no",
    );
  });

  it("fails as incomplete when a verdict was withheld, naming it", () => {
    const failure = failureOf({ ...complete, withheld: ["AWS::ECS::TaskDefinition|web"] });
    expect(failure).toBeInstanceOf(IncompleteEvaluationError);
    expect(failure?.message).toContain("1 verdict(s) withheld");
    expect(failure?.message).toContain("verdict withheld for AWS::ECS::TaskDefinition|web");
  });

  it("names an unverifiable exceptions list first when the account was also not read whole", () => {
    const failure = failureOf({
      ...complete,
      unreadParts: ["cluster prod: throttled"],
      unverifiableExceptions: tampered,
    });
    expect(failure).toBeInstanceOf(IncompleteEvaluationError);
    expect(failure?.message).toMatch(/\): exceptions list tampered, none applied; cluster prod: throttled$/);
  });

  it("fails as unverified when only the exceptions list could not be verified", () => {
    const failure = failureOf({ ...complete, unverifiableExceptions: tampered });
    expect(failure).toBeInstanceOf(UnverifiedExceptionsError);
    expect(failure?.message).toBe(
      "the exceptions list is tampered and was not applied (2 evaluation(s) written as if there were no exceptions): the parameter's SHA-256 is not the deployed one",
    );
  });

  it("lists at most ten unread parts in its message", () => {
    const unreadParts = Array.from({ length: 12 }, (_, index) => `cluster c${index}: throttled`);
    const message = failureOf({ ...complete, unreadParts })?.message ?? "";
    expect(message).toContain("12 unread part(s)");
    expect(message).toContain("cluster c9: throttled");
    expect(message).not.toContain("cluster c10:");
  });
});
