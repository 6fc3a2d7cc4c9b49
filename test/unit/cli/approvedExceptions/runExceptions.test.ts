import { runExceptions } from "../../../../cli/approvedExceptions/runExceptions";

const NOW = Date.UTC(2026, 11, 2, 9, 30, 0); // 2026-12-02

const CDK_JSON = {
  app: "npx tsx infra/app.ts",
  context: {
    exceptions: [
      {
        taskDefinition: "node-exporter",
        owner: "observability@example.com",
        expires: "2027-03-31",
        reason: "Host process metrics; OBS-142.",
      },
      {
        taskDefinition: "debug-tools:1",
        owner: "sre@example.com",
        expires: "2026-11-30",
        reason: "Incident.",
      },
      {
        taskDefinition: "log-agent",
        owner: "platform@example.com",
        expires: "2026-12-10",
        reason: "Migration.",
        accountIds: ["111122223333"],
      },
    ],
    maxExceptionDays: 180,
    deployAs: "rule",
  },
};

async function exceptions(argv: string[], files: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const store = new Map(Object.entries(files));
  const status = await runExceptions(argv, {
    readTextFile: async (path) => {
      const text = store.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    writeTextFile: async (path, text) => {
      store.set(path, text);
    },
    clock: { now: () => NOW },
    stdout: (text) => stdout.push(text),
    stderr: { write: (text: string) => stderr.push(text) },
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join(""), files: store };
}

/** The command refused the line (252), said each of `why` on stderr, and left cdk.json as it was in `before`. */
function expectRefused(
  result: Awaited<ReturnType<typeof exceptions>>,
  before: Record<string, string>,
  ...why: string[]
): void {
  expect(result.status).toBe(252);
  for (const text of why) expect(result.stderr).toContain(text);
  expect(result.files.get("cdk.json")).toBe(before["cdk.json"]);
}

/** `exceptions add` with each option given as `--name value`. */
const addCommand = (options: Record<string, string>) => [
  "add",
  ...Object.entries(options).flatMap(([name, value]) => [`--${name}`, value]),
];
const cdkJson = { "cdk.json": `${JSON.stringify(CDK_JSON, null, 2)}\n` };
const contextOf = (text: string | undefined) => JSON.parse(text ?? "{}").context;

describe("ecs-pid-mode exceptions list", () => {
  it("shows owner, expiry, days left and accounts of every entry in cdk.json, flagging lapsed and lapsing ones", async () => {
    const result = await exceptions(["list"], cdkJson);
    expect(result.status).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split(/ {2,}/));
    expect(rows[0]).toEqual([
      "Kind",
      "Target",
      "Owner",
      "Expires",
      "Days left",
      "Accounts",
      "Approved by",
      "Ticket",
      "Status",
    ]);
    const own = "this deployment's";
    expect(rows.slice(2)).toEqual([
      [
        "task definition",
        "node-exporter",
        "observability@example.com",
        "2027-03-31",
        "120",
        own,
        "-",
        "-",
        "ok",
      ],
      ["task definition", "debug-tools:1", "sre@example.com", "2026-11-30", "0", own, "-", "-", "expired"],
      [
        "task definition",
        "log-agent",
        "platform@example.com",
        "2026-12-10",
        "9",
        "111122223333",
        "-",
        "-",
        "expires soon",
      ],
    ]);
    expect(result.stderr).toContain(
      "exceptions: cdk.json (the app's context.exceptions), 3 entries, at most 180 days",
    );
    expect(result.stderr).toContain('warning: exceptions[1] ("debug-tools:1"): expired after 2026-11-30');
    expect(result.stderr).toContain('warning: exceptions[2] ("log-agent"): ends after 2026-12-10, in 9 days');
  });

  it("flags an entry beyond the app's maxExceptionDays as invalid, as synth would refuse it", async () => {
    const app = structuredClone(CDK_JSON);
    app.context.maxExceptionDays = 30;
    const result = await exceptions(["list", "--json"], { "cdk.json": JSON.stringify(app) });
    const [first] = JSON.parse(result.stdout);
    expect(first).toMatchObject({
      kind: "task definition",
      target: "node-exporter",
      status: "invalid",
      problems: ["expires 2027-03-31, more than maxExceptionDays (30) days from today"],
    });
  });

  it("reads a file that is the JSON array itself", async () => {
    const result = await exceptions(["list", "--file", "ex.json"], {
      "ex.json": JSON.stringify(CDK_JSON.context.exceptions.slice(0, 1)),
    });
    expect(result.stdout).toMatch(
      /^task definition +node-exporter +observability@example\.com +2027-03-31 +120 +this deployment's +- +- +ok$/m,
    );
  });

  it("says so when the list is empty", async () => {
    const result = await exceptions(["list"], { "cdk.json": JSON.stringify({ app: "x" }) });
    expect(result.stdout).toBe("No exceptions in cdk.json.\n");
  });

  it("exits 252 naming the file it cannot read or parse", async () => {
    expect((await exceptions(["list"])).stderr).toMatch(/^error: cannot read cdk\.json: .*ENOENT/);
    const bad = await exceptions(["list"], { "cdk.json": "{" });
    expect(bad.status).toBe(252);
    expect(bad.stderr).toMatch(/^error: cdk\.json is not JSON: /);
  });
});

describe("ecs-pid-mode exceptions add", () => {
  const add = ["add", "--task-definition", "node-exporter:7", "--owner", "obs", "--reason", "Metrics."];

  it("appends a checked entry to context.exceptions and leaves the rest of cdk.json as it was", async () => {
    const result = await exceptions(
      [...add, "--expires", "2027-01-31", "--account-id", "111122223333"],
      cdkJson,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "Added to cdk.json: task definition node-exporter:7 (owner obs) until 2027-01-31, 61 days left.",
    );
    const written = JSON.parse(result.files.get("cdk.json") ?? "{}");
    expect(written.app).toBe(CDK_JSON.app);
    expect(written.context.deployAs).toBe("rule");
    expect(written.context.exceptions).toEqual([
      ...CDK_JSON.context.exceptions,
      {
        taskDefinition: "node-exporter:7",
        owner: "obs",
        expires: "2027-01-31",
        reason: "Metrics.",
        accountIds: ["111122223333"],
      },
    ]);
  });

  it.each([
    [["--expires", "2027-02-30"], "expires: must be a real calendar date written YYYY-MM-DD"],
    [["--expires", "2027-12-31"], "expires 2027-12-31, more than maxExceptionDays (180) days from today"],
    [["--expires", "2026-12-01"], "expired after 2026-12-01"],
    [["--expires", "2027-01-31", "--account-id", "1234"], "accountIds.0: must be a 12-digit account id"],
  ])("refuses %j and changes nothing", async (extra, why) => {
    expectRefused(await exceptions([...add, ...extra], cdkJson), cdkJson, why);
  });

  it("refuses a --max-exception-days other than the app's, which synth would not accept, and changes nothing", async () => {
    const result = await exceptions(
      [...add, "--expires", "2027-11-30", "--max-exception-days", "365"],
      cdkJson,
    );
    expectRefused(
      result,
      cdkJson,
      "error: --max-exception-days 365 differs from the app's maximum (cdk.json context.maxExceptionDays: 180)",
    );
  });

  it("accepts --max-exception-days equal to the app's, and any for a plain JSON array", async () => {
    const same = await exceptions(
      [...add, "--expires", "2027-01-31", "--max-exception-days", "180"],
      cdkJson,
    );
    expect(same.status).toBe(0);
    const plain = await exceptions(
      [...add, "--expires", "2027-11-30", "--max-exception-days", "365", "--file", "ex.json"],
      { "ex.json": "[]" },
    );
    expect(plain.status).toBe(0);
  });

  it("records a daemon task definition entry apart from task definitions of the same family", async () => {
    const result = await exceptions(
      addCommand({
        "daemon-task-definition": "node-exporter",
        owner: "obs",
        reason: "Daemon metrics.",
        expires: "2027-01-31",
        "approved-by": "ciso@example.com",
        ticket: "SEC-42",
      }),
      cdkJson,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Added to cdk.json: daemon task definition node-exporter (owner obs)");
    expect(result.stderr).not.toContain("note:");
    expect(contextOf(result.files.get("cdk.json")).exceptions.at(-1)).toEqual({
      daemonTaskDefinition: "node-exporter",
      owner: "obs",
      expires: "2027-01-31",
      reason: "Daemon metrics.",
      approvedBy: "ciso@example.com",
      ticket: "SEC-42",
    });
  });

  it("notes an entry without an approval trail in an account rollout", async () => {
    const result = await exceptions([...add, "--expires", "2027-01-31"], cdkJson);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("note: the entry has no --approved-by or --ticket");
  });

  describe("in an organization rollout (cdk.json with organizationalUnitIds)", () => {
    const organization = structuredClone(CDK_JSON) as typeof CDK_JSON & {
      context: { organizationalUnitIds?: string[] };
    };
    organization.context.organizationalUnitIds = ["r-abcd"];
    organization.context.exceptions = [];
    const orgJson = { "cdk.json": JSON.stringify(organization) };

    it("refuses an entry that does not say which accounts it covers or who approved it, naming each field", async () => {
      const result = await exceptions([...add, "--expires", "2027-01-31"], orgJson);
      expectRefused(
        result,
        orgJson,
        'exceptions[0] ("node-exporter:7") is refused: accountIds: is required',
        "approvedBy: is required in organization mode",
        "ticket: is required in organization mode",
      );
    });

    it("accepts --all-accounts written on purpose with the approval trail", async () => {
      const result = await exceptions(
        [...add, "--expires", "2027-01-31", "--all-accounts", "--approved-by", "ciso", "--ticket", "SEC-1"],
        orgJson,
      );
      expect(result.status).toBe(0);
      expect(contextOf(result.files.get("cdk.json")).exceptions[0]).toMatchObject({ allAccounts: true });
    });
  });

  it("refuses a second entry for the same task definition and accounts", async () => {
    const result = await exceptions(
      addCommand({ "task-definition": "node-exporter", owner: "x", reason: "y", expires: "2027-01-01" }),
      cdkJson,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "exceptions[0] already covers task definition node-exporter (owner observability@example.com",
    );
  });

  it("creates the list in a cdk.json that has none", async () => {
    const result = await exceptions([...add, "--expires", "2027-01-31"], { "cdk.json": '{"app":"x"}' });
    expect(contextOf(result.files.get("cdk.json")).exceptions).toHaveLength(1);
  });

  it.each([
    [["add", "--owner", "x"], "add needs --task-definition REF or --daemon-task-definition REF"],
    [
      ["add", "--task-definition", "a", "--daemon-task-definition", "a"],
      "--task-definition and --daemon-task-definition do not go together",
    ],
    [
      ["add", "--task-definition", "a", "--account-id", "111122223333", "--all-accounts"],
      "do not go together",
    ],
    [["list", "--owner", "x"], "--owner does not go with list"],
    [["remove"], 'unknown action "remove"'],
    [[], "say list, add or expire"],
  ])("is a usage error (252) for %j", async (argv, why) => {
    const result = await exceptions(argv, cdkJson);
    expect(result.status).toBe(252);
    expect(result.stderr).toContain(why);
  });
});

describe("ecs-pid-mode exceptions expire", () => {
  it("removes the entries naming a task definition", async () => {
    const result = await exceptions(["expire", "--task-definition", "log-agent"], cdkJson);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "Removed from cdk.json: task definition log-agent (owner platform@example.com, expires 2026-12-10).",
    );
    expect(
      contextOf(result.files.get("cdk.json")).exceptions.map(
        (entry: { taskDefinition: string }) => entry.taskDefinition,
      ),
    ).toEqual(["node-exporter", "debug-tools:1"]);
  });

  it("removes every entry already past its last day with --lapsed", async () => {
    const result = await exceptions(["expire", "--lapsed"], cdkJson);
    expect(contextOf(result.files.get("cdk.json")).exceptions).toHaveLength(2);
    expect(result.stdout).toContain("Removed from cdk.json: task definition debug-tools:1");
  });

  it("exits 0 with --lapsed when nothing is past its last day, so a nightly clean-up job passes", async () => {
    const current = structuredClone(CDK_JSON);
    current.context.exceptions = current.context.exceptions.filter((entry) => entry.expires > "2026-12-02");
    const files = { "cdk.json": JSON.stringify(current) };
    const result = await exceptions(["expire", "--lapsed"], files);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("Nothing to remove: no entry in cdk.json is past its last day.\n");
    expect(result.files.get("cdk.json")).toBe(files["cdk.json"]);
  });

  it("removes a daemon task definition entry only with --daemon-task-definition", async () => {
    const both = structuredClone(CDK_JSON) as { context: { exceptions: Record<string, unknown>[] } };
    both.context.exceptions.push({
      ...both.context.exceptions[0],
      taskDefinition: undefined,
      daemonTaskDefinition: "node-exporter",
    });
    const files = { "cdk.json": JSON.stringify(both) };
    const result = await exceptions(["expire", "--daemon-task-definition", "node-exporter"], files);
    expect(result.status).toBe(0);
    const left = contextOf(result.files.get("cdk.json")).exceptions;
    expect(
      left.map((entry: Record<string, unknown>) => entry.daemonTaskDefinition ?? entry.taskDefinition),
    ).toEqual(["node-exporter", "debug-tools:1", "log-agent"]);
    expect(left[0]).toHaveProperty("taskDefinition", "node-exporter");
  });

  it("exits 1 and changes nothing when no entry matches", async () => {
    const result = await exceptions(["expire", "--task-definition", "web"], cdkJson);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: no entry names taskDefinition "web" in cdk.json; nothing was changed\n',
    );
    expect(result.files.get("cdk.json")).toBe(cdkJson["cdk.json"]);
  });

  it("needs exactly one of --task-definition and --lapsed", async () => {
    expect((await exceptions(["expire"], cdkJson)).status).toBe(252);
    expect((await exceptions(["expire", "--lapsed", "--task-definition", "x"], cdkJson)).status).toBe(252);
  });
});
