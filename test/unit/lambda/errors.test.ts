import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { ruleEsbuildOptions } from "../../../infra/bundling";
import * as errors from "../../../lambda/errors";
import {
  EcsPidModeError,
  InvalidEventError,
  InvalidSettingError,
  MemberRoleError,
  MissingPermissionError,
  ProductionRuleError,
} from "../../../lambda/errors";

/** Constructor arguments of the errors that take more than a message. */
const SAMPLE_ARGUMENTS: Record<string, readonly unknown[]> = {
  EvaluationsRejectedError: [[{ resourceType: "AWS::ECS::TaskDefinition", resourceId: "web" }]],
  MissingPermissionError: ["ecs:ListTasks", "not allowed"],
};

const errorClasses = Object.entries(errors) as [string, new (...args: unknown[]) => Error][];

function sample(className: string, ErrorClass: new (...args: unknown[]) => Error): Error {
  return new ErrorClass(...(SAMPLE_ARGUMENTS[className] ?? ["x"]));
}

describe("the project's errors", () => {
  it.each(errorClasses)("%s is named after its class and shares one base class", (className, ErrorClass) => {
    const error = sample(className, ErrorClass);
    expect(error.name).toBe(className);
    expect(error).toBeInstanceOf(EcsPidModeError);
    expect(error).toBeInstanceOf(Error);
  });

  it("keep their names in the minified bundle the function is deployed as", () => {
    const directory = mkdtempSync(join(tmpdir(), "error-names-"));
    try {
      const entry = join(directory, "entry.ts");
      writeFileSync(
        entry,
        `import * as errors from ${JSON.stringify(join(__dirname, "../../../lambda/errors"))};
         const samples: Record<string, unknown[]> = ${JSON.stringify(SAMPLE_ARGUMENTS)};
         module.exports = Object.entries(errors).map(([key, E]) => [key, new (E as any)(...(samples[key] ?? ["x"])).name]);`,
      );
      const outfile = join(directory, "entry.js");
      buildSync({
        ...ruleEsbuildOptions(outfile),
        entryPoints: [entry],
        sourcemap: false,
        logLevel: "error",
      });
      const names = require(outfile) as [string, string][];
      expect(names.length).toBe(errorClasses.length);
      for (const [exported, name] of names) expect(name).toBe(exported);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("keep the error they wrap as their cause", () => {
    const denied = Object.assign(new Error("not allowed"), { name: "AccessDeniedException" });
    const error = new MemberRoleError("cannot assume the member role", { cause: denied });
    expect(error.cause).toBe(denied);
    const missing = new MissingPermissionError("ecs:ListTasks", "not allowed", { cause: denied });
    expect(missing.cause).toBe(denied);
    expect(missing.message).toBe("missing permission ecs:ListTasks: not allowed");
  });

  it("let a bad --production rule be caught as a bad setting", () => {
    expect(new ProductionRuleError("--production x")).toBeInstanceOf(InvalidSettingError);
    expect(new InvalidEventError("x")).not.toBeInstanceOf(InvalidSettingError);
  });
});
