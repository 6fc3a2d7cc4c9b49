import { failureText } from "../../../bench/runRule";
import type { InvocationReport } from "../../../lambda/rule/writeAndReport";

const completed: InvocationReport = {
  trigger: "scheduled",
  evaluationsWritten: 3,
  unchanged: 0,
  withheld: [],
  unreadParts: [],
  unjudgedServiceIds: [],
  unrecognisedArns: [],
  expiringSoon: [],
  invalidExceptions: [],
};

describe("how the benchmark ends an invocation, as the handler does", () => {
  it("counts an invocation whose report leaves nothing unread as completed", async () => {
    expect(await failureText(Promise.resolve(completed))).toBeUndefined();
  });

  it("counts an invocation that returned with part of the account unread as failed, so its retry is measured", async () => {
    const stopped = { ...completed, unreadParts: ["the time limit: 120 clusters not read"] };
    expect(await failureText(Promise.resolve(stopped))).toMatch(
      /^could not read the whole account \(1 unread part\(s\).*the time limit: 120 clusters not read/,
    );
  });

  it("counts a withheld verdict and an unverified exceptions list as failures too", async () => {
    expect(await failureText(Promise.resolve({ ...completed, withheld: ["AWS::ECS::Service|x"] }))).toMatch(
      /verdict withheld for AWS::ECS::Service\|x/,
    );
    const unverified = {
      ...completed,
      unverifiableExceptions: { problem: "tampered" as const, detail: "digest differs" },
    };
    expect(await failureText(Promise.resolve(unverified))).toMatch(/the exceptions list is tampered/);
  });

  it("reports what the rule threw", async () => {
    expect(await failureText(Promise.reject(new Error("AccessDeniedException: denied")))).toBe(
      "AccessDeniedException: denied",
    );
  });
});
