import {
  EcsPidModeRuleError,
  ExceptionsSourceError,
  InvalidEventError,
  MemberRoleError,
  TimeLimitError,
} from "../../lambda/errors";

describe("the rule's errors", () => {
  it.each([
    ["InvalidEventError", new InvalidEventError("x")],
    ["MemberRoleError", new MemberRoleError("x")],
    ["TimeLimitError", new TimeLimitError("x")],
  ])("are named %s and share one base class", (name, error) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(EcsPidModeRuleError);
    expect(error).toBeInstanceOf(Error);
  });

  it("keep the error they wrap as their cause", () => {
    const denied = Object.assign(new Error("not allowed"), { name: "AccessDeniedException" });
    const error = new ExceptionsSourceError("cannot read the exceptions parameter /x", { cause: denied });
    expect(error.cause).toBe(denied);
  });
});
