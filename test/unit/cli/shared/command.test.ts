import { CommandFailure, EXIT, UsageError } from "../../../../cli/shared/command";
import { endpointUrl, parseCommandLine, productionRulesOf } from "../../../../cli/shared/commandLine";
import { EcsPidModeError, ProductionRuleError } from "../../../../lambda/index";

describe("the command line's errors", () => {
  it("belong to the project's error model and are named after their class", () => {
    const usage = new UsageError("--wave N is required");
    const failure = new CommandFailure("not confirmed");
    expect(usage).toBeInstanceOf(EcsPidModeError);
    expect(failure).toBeInstanceOf(EcsPidModeError);
    expect([usage.name, failure.name]).toEqual(["UsageError", "CommandFailure"]);
    expect(String(usage)).toBe("UsageError: --wave N is required");
  });

  it("keep their exit code, the failed one unless told", () => {
    expect(new CommandFailure("x").exitCode).toBe(EXIT.failed);
    expect(new CommandFailure("x", { exitCode: EXIT.configuration }).exitCode).toBe(EXIT.configuration);
  });

  it("keep the error they wrap as their cause: Node's parse error, the URL's, the production rule's", () => {
    const causeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).cause;
      }
      throw new Error("no error thrown");
    };
    expect(causeOf(() => parseCommandLine(["--nope"], {}))).toMatchObject({
      code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
    });
    expect(causeOf(() => endpointUrl("not a url"))).toMatchObject({ code: "ERR_INVALID_URL" });
    expect(causeOf(() => productionRulesOf(["nonsense"]))).toBeInstanceOf(ProductionRuleError);
  });
});
