import { join } from "node:path";
import { SAMPLE } from "../../../../cli/demo/runDemo";
import { runScan, type ScanEnvironment } from "../../../../cli/scan/runScan";
import type { Connection } from "../../../../cli/shared/clients";
import type { Terminal } from "../../../../cli/shared/terminal";
import type { SimAccount } from "../../../../sim/account";
import { simulateAws } from "../../../../sim/clients";
import { ServiceError } from "../../../../sim/inProcessHandler";
import { capturedOutput } from "../../../support/capturedOutput";
import {
  ACCOUNT_ID,
  DAEMON_ACCOUNT,
  EXCEPTIONS_FILE,
  NOW,
  scanSample as scan,
} from "../../../support/scanHarness";

function row(stdout: string, family: string): string[] | undefined {
  return stdout
    .split("\n")
    .map((line) => line.split(/ {2,}/))
    .find((cells) => cells[1] === family);
}

describe("npm run scan on an account", () => {
  it("exits 2 and lists every family RUNNING tasks use, the host-PID ones NON_COMPLIANT", async () => {
    const result = await scan([]);
    expect(result.status).toBe(2);
    expect(row(result.stdout, "log-shipper")?.slice(0, 3)).toEqual([
      "us-east-1",
      "log-shipper",
      "NON_COMPLIANT",
    ]);
    expect(row(result.stdout, "legacy-agent")?.[2]).toBe("NON_COMPLIANT");
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NON_COMPLIANT");
    expect(row(result.stdout, "web")?.[2]).toBe("COMPLIANT");
    expect(row(result.stdout, "metrics-sidecar")).toBeUndefined();
    expect(result.stdout).toContain(
      `Account ${ACCOUNT_ID}, us-east-1: 6 task definition families in use: 4 NON_COMPLIANT, 2 COMPLIANT.`,
    );
  });

  it("applies the exceptions file: a valid exception exempts, an expired one does not", async () => {
    const result = await scan(["--exceptions", "exceptions.json"], { files: EXCEPTIONS_FILE });
    expect(row(result.stdout, "node-exporter")?.slice(2)).toEqual([
      "NOT_APPLICABLE",
      "Exempt: pidMode host allowed for node-exporter:2 by exception of observability-team@example.com until 2027-06-30.",
    ]);
    expect(row(result.stdout, "debug-tools")?.[3]).toContain(
      "owner sre-oncall@example.com) expired 2026-06-30",
    );
    expect(result.status).toBe(2);
  });

  it("applies the app's list (cdk.json in the directory it runs in) by default, and says so", async () => {
    const app = {
      app: "npx tsx infra/app.ts",
      context: { exceptions: SAMPLE.exceptions, maxExceptionDays: 365 },
    };
    const result = await scan([], { files: { "cdk.json": JSON.stringify(app) } });
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NOT_APPLICABLE");
    expect(result.stderr).toContain(
      `exceptions: cdk.json (the app's context.exceptions), ${SAMPLE.exceptions.length} entries, at most 365 days`,
    );
  });

  it("refuses a --max-exception-days that differs from the app's maximum", async () => {
    const app = { app: "x", context: { exceptions: [], maxExceptionDays: 90 } };
    const result = await scan(["--max-exception-days", "365"], {
      files: { "cdk.json": JSON.stringify(app) },
    });
    expect(result.status).toBe(252);
    expect(result.stderr).toContain("--max-exception-days 365 differs from the app's maximum");
  });

  it("says there is no list when neither --exceptions nor cdk.json is there", async () => {
    const result = await scan([]);
    expect(result.stderr).toContain(
      "exceptions: none (no --exceptions FILE, and no cdk.json in this directory)",
    );
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NON_COMPLIANT");
  });

  it("shows the clusters whose RUNNING ECS Managed Daemons share the host PID namespace, as the rule reports them", async () => {
    const result = await scan([], { account: DAEMON_ACCOUNT });
    expect(result.status).toBe(2);
    const daemons = row(result.stdout, "daemons in cluster managed");
    expect(daemons?.[2]).toBe("NON_COMPLIANT");
    expect(daemons?.[3]).toContain("node-agent:2 in managed (daemon node-agent)");
    expect(result.stdout).toContain("1 task definition families in use and 1 clusters running daemons");
  });

  it("exits 0 when nothing in use shares the host PID namespace", async () => {
    const account: SimAccount = {
      ...SAMPLE.account,
      clusters: [{ name: "prod", tasks: [{ id: "a1", taskDefinition: "web:3", service: "web" }] }],
    };
    const result = await scan([], { account });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("1 task definition families in use: 1 COMPLIANT.");
  });

  it("writes JSON to stdout with --json and keeps progress counts on stderr", async () => {
    const result = await scan(["--json"]);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ accountId: ACCOUNT_ID, complete: true, unreadParts: [] });
    // The five fields consumers already read stay as they were (the facts beside them: outputFormats.test.ts).
    expect(document.verdicts).toContainEqual(
      expect.objectContaining({
        region: "us-east-1",
        resourceType: "AWS::ECS::TaskDefinition",
        taskDefinition: "report",
        complianceType: "COMPLIANT",
        annotation: "In use without the host PID namespace: report:2.",
      }),
    );
    expect(document).not.toHaveProperty("fixPlan");
    expect(result.stderr).toContain("us-east-1: 3/3 clusters read, 10 tasks described, 7 revisions in use");
  });

  it("scans each Region given and says which Region each verdict is from", async () => {
    const result = await scan(["--region", "eu-west-1", "--region", "ap-southeast-2"]);
    expect([...result.ecsByRegion.keys()]).toEqual(["eu-west-1", "ap-southeast-2"]);
    expect(row(result.stdout, "web")?.[0]).toBe("eu-west-1");
    expect(result.stdout.split("\n").filter((line) => line.startsWith("ap-southeast-2  web "))).toHaveLength(
      1,
    );
  });

  it("only reads: every ECS call it makes is a List or Describe", async () => {
    const result = await scan(["--fix-plan"]);
    const actions = [...(result.ecsByRegion.get("us-east-1")?.calls.keys() ?? [])];
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^(List|Describe)/);
  });

  it("exits 1 when part of the account could not be read, still showing what it found", async () => {
    const result = await scan([], {
      intercept: (action, input) => {
        if (action === "ListTasks" && String(input.cluster).endsWith("/staging")) {
          throw new ServiceError("AccessDeniedException", "User is not authorized to perform: ecs:ListTasks");
        }
      },
    });
    expect(result.status).toBe(1);
    expect(row(result.stdout, "legacy-agent")?.[2]).toBe("NON_COMPLIANT");
    expect(row(result.stdout, "web")?.[2]).toBe("INSUFFICIENT_DATA");
    expect(result.stdout).toContain("us-east-1: cluster staging: AccessDeniedException");
    expect(result.stdout).toContain("Part of the account could not be read.");
    expect(result.stderr).toContain("error: access denied: the scan needs the read-only permissions");
  });

  it("finds a host-PID daemon through the daemon APIs, as the rule does, even when no task names it", async () => {
    const account: SimAccount = {
      ...SAMPLE.account,
      clusters: [...SAMPLE.account.clusters, { name: "managed", tasks: [] }],
      revisions: [
        ...SAMPLE.account.revisions,
        { family: "node-agent", revision: 2, kind: "daemon", pidMode: "shared" },
      ],
      daemons: [
        {
          cluster: "managed",
          name: "node-agent",
          revisions: [{ id: "abc", taskDefinition: "node-agent:2" }],
        },
      ],
    };
    const result = await scan(["--json"], { account });
    expect(result.status).toBe(2);
    const verdicts = (
      JSON.parse(result.stdout) as {
        verdicts: { resourceId: string; complianceType: string; annotation: string }[];
      }
    ).verdicts;
    expect(verdicts.find((verdict) => verdict.resourceId === "managed")).toMatchObject({
      complianceType: "NON_COMPLIANT",
      annotation: expect.stringContaining("node-agent:2 in managed (daemon node-agent)"),
    });
    const calls = result.ecsByRegion.get("us-east-1")?.calls;
    expect(calls?.get("ListDaemons")).toBeGreaterThan(0);
  });

  it("exits 1 and names the cluster when the daemon APIs are denied, since a daemon there could share the host PID namespace", async () => {
    const result = await scan(["--json"], {
      intercept: (action) => {
        if (action === "ListDaemons") throw new ServiceError("AccessDeniedException", "not authorized");
      },
    });
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout) as { complete: boolean; unreadParts: { part: string }[] };
    expect(document.complete).toBe(false);
    expect(document.unreadParts.map((unread) => unread.part)).toContainEqual(
      expect.stringMatching(/^cluster prod: daemons: AccessDeniedException/),
    );
  });

  it("reads a Region without ECS Managed Daemons as having none", async () => {
    const result = await scan(["--json"], { account: { ...SAMPLE.account, daemonsUnsupported: true } });
    const document = JSON.parse(result.stdout) as { complete: boolean };
    expect(document.complete).toBe(true);
    expect(result.status).toBe(2);
  });

  it("exits 1 with one line when access to the cluster list is denied", async () => {
    const result = await scan(["--json"], {
      intercept: (action) => {
        if (action === "ListClusters") throw new ServiceError("AccessDeniedException", "not authorized");
      },
    });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ complete: false, verdicts: [] });
    const errors = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
    expect(errors).toEqual([
      "error: access denied: the scan needs the read-only permissions ecs:ListClusters, ecs:ListTasks, ecs:DescribeTasks, ecs:DescribeTaskDefinition, ecs:ListDaemons, ecs:DescribeDaemon, ecs:DescribeDaemonRevisions, ecs:DescribeDaemonTaskDefinition and sts:GetCallerIdentity",
    ]);
  });
});

describe("npm run scan when it cannot start", () => {
  function oneLine(result: { stderr: string }) {
    // The line that says which exceptions list applies comes first; the error is the one line after it.
    const lines = result.stderr
      .trimEnd()
      .split("\n")
      .filter((line) => !line.startsWith("exceptions: "));
    expect(lines).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return lines[0] as string;
  }

  it("says how to get credentials when there are none", async () => {
    const missing = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const result = await scan([], { sts: { send: () => Promise.reject(missing) } });
    expect(result.status).toBe(253);
    expect(result.stdout).toBe("");
    expect(oneLine(result)).toBe(
      "error: no AWS credentials found: run `aws configure` or `aws sso login`, set AWS_PROFILE, or pass --profile NAME",
    );
  });

  it("names an unknown --profile before calling AWS", async () => {
    const result = await scan(["--profile", "nope"], { profiles: ["default", "audit"] });
    expect(result.status).toBe(253);
    expect(result.profilesAsked).toEqual([]);
    expect(oneLine(result)).toMatch(/^error: unknown profile nope: /);
  });

  it("names an unknown AWS_PROFILE too", async () => {
    const result = await scan([], { envProfile: "stale", profiles: ["default"] });
    expect(result.status).toBe(253);
    expect(oneLine(result)).toMatch(/^error: unknown profile stale: /);
  });

  it("uses a known profile for its clients", async () => {
    const result = await scan(["--profile", "audit"], { profiles: ["audit"] });
    expect(result.profilesAsked).toEqual(["audit"]);
    expect(result.status).toBe(2);
  });

  it("says how to choose a Region when the SDK finds none", async () => {
    const result = await scan([], { defaultRegion: () => Promise.reject(new Error("Region is missing")) });
    expect(result.status).toBe(253);
    expect(oneLine(result)).toBe(
      "error: no AWS Region: pass --region REGION, set AWS_REGION, or give the profile a region",
    );
  });

  it("says access is denied when even sts:GetCallerIdentity is refused", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: sts:GetCallerIdentity"), {
      name: "AccessDenied",
    });
    const result = await scan([], { sts: { send: () => Promise.reject(denied) } });
    expect(result.status).toBe(254);
    expect(oneLine(result)).toMatch(/^error: access denied: /);
  });

  it("explains a missing or malformed exceptions file", async () => {
    const missing = await scan(["--exceptions", "absent.json"]);
    expect(missing.status).toBe(252);
    expect(oneLine(missing)).toMatch(/^error: cannot read the exceptions file absent\.json: .*ENOENT/);
    const malformed = await scan(["--exceptions", "bad.json"], { files: { "bad.json": '{"owner":' } });
    expect(malformed.status).toBe(252);
    expect(oneLine(malformed)).toMatch(/^error: bad\.json is not JSON/);
  });

  it("warns about an invalid exception entry, which exempts nothing", async () => {
    const files = {
      "exceptions.json": JSON.stringify([
        { taskDefinition: "node-exporter", owner: "", expires: "2027-06-30", reason: "x" },
      ]),
    };
    const result = await scan(["--exceptions", "exceptions.json"], { files });
    expect(result.stderr).toContain(
      'warning: exceptions[0] ("node-exporter") is invalid and exempts nothing: owner: must not be empty',
    );
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NON_COMPLIANT");
  });

  it("refuses, as synth does, an exception that runs past the maximum duration: it exempts nothing", async () => {
    const entry = { taskDefinition: "node-exporter", owner: "obs", expires: "2099-12-31", reason: "x" };
    const files = { "exceptions.json": JSON.stringify([entry]) };
    const result = await scan(["--exceptions", "exceptions.json"], { files });
    expect(result.stderr).toContain(
      'warning: exceptions[0] ("node-exporter") is invalid and exempts nothing: expires 2099-12-31, more than maxExceptionDays (365) days from today',
    );
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NON_COMPLIANT");
    const allowed = await scan(["--exceptions", "exceptions.json", "--max-exception-days", "36500"], {
      files,
    });
    expect(row(allowed.stdout, "node-exporter")?.[2]).toBe("NOT_APPLICABLE");
  });

  it("warns about an exception that lapses within 14 days and one already past", async () => {
    // NOW is 2026-11-30: the first ends after 2026-12-13 (14 days left), the second lapsed.
    const files = {
      "exceptions.json": JSON.stringify([
        { taskDefinition: "node-exporter", owner: "obs", expires: "2026-12-13", reason: "x" },
        { taskDefinition: "debug-tools", owner: "sre", expires: "2026-11-29", reason: "y" },
        { taskDefinition: "web", owner: "web", expires: "2026-12-14", reason: "z" },
      ]),
    };
    const result = await scan(["--exceptions", "exceptions.json"], { files });
    const warnings = result.stderr.split("\n").filter((line) => line.startsWith("warning:"));
    expect(warnings).toEqual([
      'warning: exceptions[0] ("node-exporter"): ends after 2026-12-13, in 14 days (owner obs); renew it or fix the task definition before then',
      'warning: exceptions[1] ("debug-tools"): expired after 2026-11-29 (owner sre) and exempts nothing; renew it or remove it',
    ]);
    expect(row(result.stdout, "node-exporter")?.[2]).toBe("NOT_APPLICABLE");
  });

  it("prints the usage on a bad argument and exits 252, the usage error code", async () => {
    const result = await scan(["--regions", "us-east-1"]);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain("usage: ecs-pid-mode scan [--profile NAME ...]");
    expect(result.stderr).toContain("Run `ecs-pid-mode scan --help` for every option.");
    expect(result.stdout).toBe("");
  });

  it("exits 252 on a Region name the SDK does not know, before any call", async () => {
    const result = await scan(["--region", "eu-west-9"]);
    expect(result.status).toBe(252);
    expect(result.stderr).toMatch(/^error: "eu-west-9" is not a Region the AWS SDK knows/);
    expect(result.profilesAsked).toEqual([]);
  });

  it("prints the help on --help and exits 0", async () => {
    const result = await scan(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: ecs-pid-mode scan \[--profile NAME \.\.\.\]/);
    expect(result.stdout).toContain("Exit codes:");
  });
});

describe("npm run scan --fix-plan", () => {
  it("plans a registration without pidMode for each failing revision, not for the exempt one", async () => {
    const result = await scan(["--fix-plan", "--json", "--exceptions", "exceptions.json"], {
      files: EXCEPTIONS_FILE,
    });
    const [plan] = JSON.parse(result.stdout).fixPlan as {
      region: string;
      replacements: { revision: string; file: string; registerTaskDefinitionInput: object }[];
      waves: { number: number; items: { revision: string; target: object }[] }[];
      exempted: { revision: string; owner: string }[];
    }[];
    expect(plan?.region).toBe("us-east-1");
    expect(plan?.replacements.map((fix) => fix.revision).sort()).toEqual([
      "debug-tools:1",
      "legacy-agent:1",
      "log-shipper:5",
    ]);
    for (const fix of plan?.replacements ?? [])
      expect(fix.registerTaskDefinitionInput).not.toHaveProperty("pidMode");
    expect(plan?.replacements.find((fix) => fix.revision === "log-shipper:5")).toMatchObject({
      file: "register-log-shipper-5.json",
      registerTaskDefinitionInput: {
        family: "log-shipper",
        tags: [
          { key: "team", value: "logging" },
          { key: "ecs-pid-mode:replaces", value: "log-shipper:5" },
        ],
      },
    });
    const targets = plan?.waves.flatMap((wave) =>
      wave.items.filter((item) => item.revision === "log-shipper:5").map((item) => item.target),
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        { kind: "service", cluster: "prod", service: "log-shipper" },
        { kind: "service", cluster: "staging", service: "log-shipper" },
      ]),
    );
    expect(plan?.exempted.map((entry) => entry.revision)).toEqual(["node-exporter:2"]);
  });

  it("prints every command with the Region and the profile, and writes the files --out names", async () => {
    const result = await scan(
      ["--fix-plan", "--profile", "audit", "--region", "eu-west-1", "--out", "plan"],
      {
        profiles: ["audit"],
      },
    );
    expect(result.stdout).toContain(
      "NEW_LOG_SHIPPER_5=$(aws ecs register-task-definition --region eu-west-1 --profile audit --cli-input-json file://plan/register-log-shipper-5.json --query taskDefinition.taskDefinitionArn --output text)",
    );
    expect(result.stdout).toMatch(
      /aws ecs update-service --region eu-west-1 --profile audit --cluster prod --service log-shipper --task-definition "\$NEW_LOG_SHIPPER_5"/,
    );
    expect(JSON.parse(result.written.get("plan/register-log-shipper-5.json") ?? "{}")).toMatchObject({
      family: "log-shipper",
    });
    expect(JSON.parse(result.written.get("plan/plan.json") ?? "{}")).toMatchObject({ region: "eu-west-1" });
    expect(result.stdout).not.toContain('"containerDefinitions"');
  });

  it("refuses --out without --fix-plan", async () => {
    const result = await scan(["--out", "plan"]);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain("--production, --batch-size and --out go with --fix-plan");
  });

  it("asks ECS for each revision's tags", async () => {
    const asked: unknown[] = [];
    await scan(["--fix-plan"], {
      intercept: (action, input) => {
        if (action === "DescribeTaskDefinition" && input.include) asked.push(input);
      },
    });
    expect(asked).toContainEqual({
      taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task-definition/legacy-agent:1`,
      include: ["TAGS"],
    });
  });

  it("lists a revision whose replacement cannot be described under the plan, without changing the verdicts' exit status", async () => {
    const result = await scan(["--fix-plan"], {
      intercept: (action, input) => {
        if (action === "DescribeTaskDefinition" && input.include) {
          throw new ServiceError("ClientException", "Unable to describe task definition.");
        }
      },
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("replacement for legacy-agent:1: ClientException");
  });
});

describe("the scan's options for people and pipelines", () => {
  const tty: Terminal = { stdoutIsTTY: true, columns: 100, noColorEnv: false };

  it("colours verdicts on a terminal, and not with --no-color, NO_COLOR or a pipe", async () => {
    const red = "\u001b[31mNON_COMPLIANT\u001b[0m";
    expect((await scan([], { terminal: tty })).stdout).toContain(red);
    expect((await scan(["--no-color"], { terminal: tty })).stdout).not.toContain("\u001b[");
    expect((await scan([], { terminal: { ...tty, noColorEnv: true } })).stdout).not.toContain("\u001b[");
    expect((await scan([], { terminal: { ...tty, stdoutIsTTY: false } })).stdout).not.toContain("\u001b[");
  });

  it("fits the table to the terminal's width, wrapping the annotation under itself", async () => {
    const result = await scan(["--no-color"], { terminal: { ...tty, columns: 80 } });
    const tableLines = result.stdout.split("\n").filter((line) => /^(us-east-1|\s{10,})/.test(line));
    expect(tableLines.length).toBeGreaterThan(0);
    for (const line of tableLines) expect(line.length).toBeLessThanOrEqual(80);
    const wide = await scan([]);
    expect(Math.max(...wide.stdout.split("\n").map((line) => line.length))).toBeGreaterThan(80);
  });

  it("--quiet prints the result and nothing else on stderr", async () => {
    const result = await scan(["--quiet"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("NON_COMPLIANT");
    expect(result.stderr).toBe("");
  });

  it("--quiet keeps error lines", async () => {
    const result = await scan(["--quiet", "--exceptions", "absent.json"]);
    expect(result.stderr).toMatch(/^error: cannot read the exceptions file absent\.json/);
  });

  it("hands --endpoint-url and --debug to the clients", async () => {
    const result = await scan(["--endpoint-url", "http://127.0.0.1:5000", "--debug"]);
    expect(result.connections[0]).toMatchObject({ endpointUrl: "http://127.0.0.1:5000" });
    expect(result.connections[0]?.debug).toBeInstanceOf(Function);
    expect((await scan([])).connections[0]).toEqual({});
  });

  it.each([
    ["--endpoint-url", "ftp://example.com", "must be an http:// or https:// URL"],
    ["--endpoint-url", "not a url", "is not a URL"],
  ])("refuses %s %j with 252, naming it", async (option, value, why) => {
    const result = await scan([option, value]);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain(why);
  });

  it("suggests the option a mistyped one most likely meant", async () => {
    const result = await scan(["--regoin", "eu-west-1"]);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain("error: unknown option --regoin (did you mean --region?)");
    expect(result.stderr).not.toContain("To specify a positional argument");
  });

  it("prints the failure's stack only with --debug", async () => {
    const missing = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const sts = { send: async () => Promise.reject(missing) };
    expect((await scan([], { sts })).stderr).not.toMatch(/\n\s+at /);
    expect((await scan(["--debug"], { sts })).stderr).toMatch(/\n\s+at /);
  });

  it("never says no task was found when the cluster list could not be read", async () => {
    const result = await scan([], {
      intercept: (action) => {
        if (action === "ListClusters") throw new ServiceError("AccessDeniedException", "not allowed");
      },
    });
    expect(result.stdout).not.toContain("No RUNNING task was found.");
    expect(result.stdout).toContain("Nothing could be judged");
  });
});

describe("a fix plan without --out", () => {
  it("writes no file, says so, and prints each register input under the file name its command reads", async () => {
    const result = await scan(["--fix-plan"]);
    expect(result.written.size).toBe(0);
    expect(result.stdout).toContain(
      "No file was written (no --out DIR): save each block below under the name",
    );
    const named = /--cli-input-json file:\/\/(register-[\w-]+\.json)/.exec(result.stdout)?.[1];
    expect(named).toBeDefined();
    expect(result.stdout).toContain(`# ${named}\n{`);
  });
});

describe("several accounts in one scan", () => {
  /** Each account is the sample account under its own id; `broken` ones cannot even say who they are. */
  function environment(
    accountOf: (profile: string | undefined, connection: Connection | undefined) => string,
    options: { broken?: readonly string[]; organizationPages?: { Id: string; State: string }[][] } = {},
  ) {
    const out = capturedOutput();
    const roles: (string | undefined)[] = [];
    const written: string[] = [];
    const env: ScanEnvironment = {
      clientsFor: (profile, connection) => {
        roles.push(connection?.roleArn);
        const accountId = accountOf(profile, connection);
        const aws = simulateAws({ ...SAMPLE.account, accountId, region: "us-east-1" });
        return {
          ecs: () => aws.clients.ecs(),
          sts: () => ({
            send: async () => {
              if (options.broken?.includes(accountId))
                throw Object.assign(new Error("User is not authorized to perform: sts:GetCallerIdentity"), {
                  name: "AccessDenied",
                  $metadata: { httpStatusCode: 403 },
                });
              return { Account: accountId, $metadata: {} };
            },
          }),
          elb: () => ({ send: async () => ({ TargetGroups: [], $metadata: {} }) }),
          ec2: () => ({ send: async () => ({ Reservations: [], $metadata: {} }) }),
          defaultRegion: async () => "us-east-1",
          organizations: () => ({
            send: async (command: { input: { NextToken?: string } }) => {
              const pages = options.organizationPages ?? [];
              const index = Number(command.input.NextToken ?? "0");
              return {
                Accounts: pages[index] ?? [],
                ...(index + 1 < pages.length ? { NextToken: String(index + 1) } : {}),
                $metadata: {},
              };
            },
          }),
        } as never;
      },
      knownProfiles: async () => new Set(["audit", "prod", "dev"]),
      envProfile: undefined,
      readTextFile: async () => Promise.reject(Object.assign(new Error("ENOENT"), { code: "ENOENT" })),
      writeTextFile: async (path) => {
        written.push(path);
      },
      clock: { now: () => NOW, sleep: async () => undefined },
      stdout: out.stdout,
      stderr: out.stderr,
    };
    return { env, out, roles, written };
  }

  const byProfile = (profile: string | undefined) =>
    ({ prod: "111111111111", dev: "222222222222" })[profile as "prod" | "dev"] ?? "999999999999";

  it("scans each --profile, groups the output by account, and exits with the worst verdict", async () => {
    const { env, out } = environment(byProfile);
    const status = await runScan(["--profile", "prod", "--profile", "dev"], env);
    const { stdout } = out.text();
    expect(status).toBe(2);
    expect(stdout).toContain("== account 111111111111 (profile prod) ==");
    expect(stdout).toContain("== account 222222222222 (profile dev) ==");
  });

  it("goes on with the other accounts when one fails, and exits with that failure's code", async () => {
    const { env, out } = environment(byProfile, { broken: ["111111111111"] });
    const status = await runScan(["--profile", "prod", "--profile", "dev", "--json"], env);
    const { stdout, stderr } = out.text();
    expect(status).toBe(254);
    const document = JSON.parse(stdout) as {
      accounts: { source: string; accountId?: string; error?: string }[];
    };
    expect(document.accounts.map((account) => account.source)).toEqual(["profile prod", "profile dev"]);
    expect(document.accounts[0]?.error).toContain("access denied");
    expect(document.accounts[1]?.accountId).toBe("222222222222");
    expect(stderr).toContain("error: profile prod: access denied");
  });

  it("with --organization-role, lists every page of ACTIVE accounts and assumes the role in each but its own", async () => {
    const { env, out, roles } = environment(
      (_profile, connection) => /iam::(\d{12}):/.exec(connection?.roleArn ?? "")?.[1] ?? "111111111111",
      {
        organizationPages: [
          [
            { Id: "111111111111", State: "ACTIVE" },
            { Id: "222222222222", State: "ACTIVE" },
          ],
          [
            { Id: "333333333333", State: "SUSPENDED" },
            { Id: "444444444444", State: "ACTIVE" },
          ],
        ],
      },
    );
    const status = await runScan(["--organization-role", "EcsPidModeRuleMember"], env);
    expect(status).toBe(2);
    expect(roles.filter((role) => role !== undefined)).toEqual([
      "arn:aws:iam::222222222222:role/EcsPidModeRuleMember",
      "arn:aws:iam::444444444444:role/EcsPidModeRuleMember",
    ]);
    const { stdout } = out.text();
    expect(stdout).toContain("== account 111111111111 (account 111111111111) ==");
    expect(stdout).toContain("== account 444444444444 (account 444444444444) ==");
    expect(stdout).not.toContain("333333333333");
  });

  it.each([
    [["--organization-role", "not a role"], "is not an IAM role name"],
    [["--organization-role", "R", "--profile", "a", "--profile", "b"], "takes at most one --profile"],
  ])("refuses %j with 252", async (argv, why) => {
    const { env, out } = environment(byProfile);
    expect(await runScan(argv, env)).toBe(252);
    expect(out.text().stderr).toContain(why);
  });

  it("writes one CSV with one header row and every account's verdicts under their account id", async () => {
    const { env, out } = environment(byProfile);
    expect(await runScan(["--profile", "prod", "--profile", "dev", "--output", "csv"], env)).toBe(2);
    const lines = out
      .text()
      .stdout.split("\r\n")
      .filter((line) => line !== "");
    expect(lines.filter((line) => line.startsWith("accountId,"))).toHaveLength(1);
    const accounts = new Set(lines.slice(1).map((line) => line.split(",")[0]));
    expect(accounts).toEqual(new Set(["111111111111", "222222222222"]));
  });

  it("writes one ASFF array whose findings name the account each came from", async () => {
    const { env, out } = environment(byProfile);
    expect(await runScan(["--profile", "prod", "--profile", "dev", "--output", "asff"], env)).toBe(2);
    const findings = JSON.parse(out.text().stdout) as { AwsAccountId: string; Id: string }[];
    expect(new Set(findings.map((finding) => finding.AwsAccountId))).toEqual(
      new Set(["111111111111", "222222222222"]),
    );
    expect(new Set(findings.map((finding) => finding.Id)).size).toBe(findings.length);
  });

  it("writes each account's fix plan under DIR/<account>, so two accounts' files never collide", async () => {
    const { env, written } = environment(byProfile);
    await runScan(["--profile", "prod", "--profile", "dev", "--fix-plan", "--out", "plans"], env);
    expect(written).toContain(join("plans", "111111111111", "plan.json"));
    expect(written).toContain(join("plans", "222222222222", "plan.json"));
    expect(written.filter((path) => path === join("plans", "plan.json"))).toEqual([]);
  });
});
