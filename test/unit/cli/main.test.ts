import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { EXCEPTIONS_OPTIONS } from "../../../cli/approvedExceptions/arguments";
import { COMMANDS, main, packageVersion } from "../../../cli/main";
import { REMEDIATE_OPTIONS } from "../../../cli/remediate/arguments";
import { SCAN_OPTIONS } from "../../../cli/scan/arguments";
import type { Command } from "../../../cli/shared/command";
import { userDirectory, userFiles } from "../../../cli/shared/userFiles";
import manifest from "../../../package.json";

async function run(argv: string[], commands?: readonly Command[]) {
  let stdout = "";
  let stderr = "";
  const status = await main(
    argv,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
    commands,
  );
  return { status, stdout, stderr };
}

const command = (name: string, run: Command["run"]): Command => ({
  name,
  summary: `the ${name} command`,
  help: `help of ${name}`,
  run,
});

describe("the ecs-pid-mode command", () => {
  it("lists every command, the exit codes and examples on --help, and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.status).toBe(0);
    for (const { name } of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(result.stdout).toMatch(/^Exit codes/m);
    expect(result.stdout).toMatch(/^ {2}252 {2}the command line is wrong/m);
    expect(result.stdout).toMatch(/^Examples:\n {2}ecs-pid-mode demo/m);
  });

  it("prints the package's version on --version", async () => {
    const result = await run(["--version"]);
    expect(result).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: "" });
    expect(packageVersion()).toBe(manifest.version);
  });

  it.each([
    [[], "no command given"],
    [["scna"], 'unknown command "scna"'],
  ])("exits 252 with the command list for %j", async (argv, why) => {
    const result = await run(argv);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain(`error: ${why}\n`);
    expect(result.stderr).toContain("Commands:");
    expect(result.stdout).toBe("");
  });

  it("hands the rest of the command line to the command and returns its status", async () => {
    const seen: (readonly string[])[] = [];
    const result = await run(
      ["scan", "--json", "--region", "eu-west-1"],
      [
        command("scan", async (argv) => {
          seen.push(argv);
          return 2;
        }),
      ],
    );
    expect(result.status).toBe(2);
    expect(seen).toEqual([["--json", "--region", "eu-west-1"]]);
  });

  it("shows one command's help for `help COMMAND`", async () => {
    const result = await run(["help", "demo"], [command("demo", async () => 0)]);
    expect(result.stdout).toBe("help of demo\n");
  });

  it("turns a command that throws into one error line and exit 1", async () => {
    const result = await run(
      ["demo"],
      [
        command("demo", async () => {
          throw new Error("boom");
        }),
      ],
    );
    expect(result).toEqual({ status: 1, stdout: "", stderr: "error: demo failed: Error: boom\n" });
  });

  it.each([
    ["scan", SCAN_OPTIONS],
    ["remediate", REMEDIATE_OPTIONS],
    ["exceptions", EXCEPTIONS_OPTIONS],
  ])("documents every option of %s in its --help, with exit codes and examples", (name, options) => {
    const help = COMMANDS.find((candidate) => candidate.name === name)?.help ?? "";
    for (const option of Object.keys(options))
      expect(help).toMatch(new RegExp(`^ {2}(-\\w, )?--${option}\\b`, "m"));
    expect(help).toMatch(/^Exit codes:$/m);
    expect(help).toMatch(/^ {2}252 /m);
    expect(help).toMatch(/^Examples?:\n {2}ecs-pid-mode /m);
  });
});

describe("where relative paths on the command line are taken from", () => {
  it("is the directory npm was run in (INIT_CWD), not the package root npm run starts in", () => {
    expect(userDirectory({ INIT_CWD: "/home/me/app" }, "/opt/ecs-pid-mode")).toBe("/home/me/app");
  });

  it("is the working directory when the command runs directly", () => {
    expect(userDirectory({}, "/home/me/app")).toBe("/home/me/app");
    expect(userDirectory({ INIT_CWD: "" }, "/home/me/app")).toBe("/home/me/app");
  });

  it("leaves an absolute path as it is", () => {
    const files = userFiles("/home/me/app");
    expect(files.resolve("exceptions.json")).toBe("/home/me/app/exceptions.json");
    expect(files.resolve("../shared/x.json")).toBe("/home/me/shared/x.json");
    expect(files.resolve("/etc/x.json")).toBe("/etc/x.json");
  });
});

describe("the bin entry", () => {
  const bin = join(__dirname, "../../../cli/bin.js");

  it("is the package's ecs-pid-mode command", () => {
    expect(manifest.bin).toEqual({ "ecs-pid-mode": "cli/bin.js" });
    expect(manifest.files).toContain("cli/bin.js");
  });

  it("runs from a clone without a build, and a usage error exits 252", async () => {
    const ran = await promisify(execFile)(process.execPath, [bin, "--version"]);
    expect(ran.stdout).toBe(`${manifest.version}\n`);
    const failed = await promisify(execFile)(process.execPath, [bin, "scan", "--bogus"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 252 });
    expect((failed as { stderr: string }).stderr).toContain("error: unknown option --bogus");
  }, 30_000);

  it("reads a relative --file from the user's directory (INIT_CWD), not the package root it starts in", async () => {
    const directory = await mkdtemp(join(tmpdir(), "ecs-pid-mode-"));
    const entry = { taskDefinition: "web-from-user-dir", owner: "a", expires: "2099-01-01", reason: "b" };
    await writeFile(join(directory, "ex.json"), JSON.stringify([entry]));
    try {
      const ran = await promisify(execFile)(
        process.execPath,
        [bin, "exceptions", "list", "--file", "ex.json"],
        {
          cwd: join(__dirname, "../../.."),
          env: { ...process.env, INIT_CWD: directory },
        },
      );
      expect(ran.stdout).toMatch(/^task definition +web-from-user-dir +a +2099-01-01 /m);
      expect(ran.stderr).toContain("exceptions: ex.json (a JSON array), 1 entry");
    } finally {
      await rm(directory, { recursive: true });
    }
  }, 30_000);
});

describe("an option before the command", () => {
  it("is reported as an unknown option with a suggestion, not as an unknown command, and exits 252", async () => {
    const stderr: string[] = [];
    const status = await main(["--hlep"], { stdout: () => undefined, stderr: (text) => stderr.push(text) });
    expect(status).toBe(252);
    expect(stderr.join("")).toMatch(
      /^error: unknown option --hlep \(did you mean --help\?\); options go after the command/,
    );
  });
});
