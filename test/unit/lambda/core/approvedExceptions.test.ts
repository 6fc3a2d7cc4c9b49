import {
  exceptionLabel,
  exceptionsInForce,
  exceptionTarget,
  expiringSoon,
  isCalendarDate,
  matchException,
  parseExceptionList,
  reviewExceptions,
} from "../../../../lambda/core/approvedExceptions";

const entry = (overrides: Record<string, unknown> = {}) => ({
  taskDefinition: "web",
  owner: "alice@example.com",
  expires: "2026-12-31",
  reason: "node exporter needs host PIDs",
  ...overrides,
});

describe("calendar dates", () => {
  it.each([
    ["2026-02-28", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["2026-04-31", false],
    ["2026-1-01", false],
    ["31-12-2026", false],
    ["2026-12-31T00:00:00Z", false],
  ])("%s is a real calendar date: %s", (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });
});

describe("parsing the exceptions list", () => {
  it("keeps valid entries and ends them the day after their expiry date at midnight UTC", () => {
    const list = parseExceptionList([entry()]);
    expect(list.invalid).toEqual([]);
    expect(list.approved[0]?.endsAt.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(list.approved[0]?.target).toEqual({ family: "web" });
  });

  it.each([
    ["owner", { owner: undefined }, "owner"],
    ["reason", { reason: "  " }, "reason"],
    ["expires", { expires: "2026-02-30" }, "expires"],
    ["taskDefinition", { taskDefinition: "not a task definition!" }, "taskDefinition"],
    ["accountIds", { accountIds: ["12345"] }, "accountIds.0"],
  ])("an entry with a bad %s exempts nothing and names the field", (_field, overrides, path) => {
    const list = parseExceptionList([entry(overrides), entry({ taskDefinition: "other" })]);
    expect(list.approved.map((exception) => exception.reference)).toEqual(["other"]);
    expect(list.invalid).toHaveLength(1);
    expect(list.invalid[0]?.index).toBe(0);
    expect(list.invalid[0]?.problems.join(" ")).toContain(path);
  });

  it("rejects a document that is not an array", () => {
    expect(() => parseExceptionList({ web: "yes" })).toThrow(/JSON array/);
  });

  it("accepts family:revision and revision ARNs of both kinds as targets", () => {
    const list = parseExceptionList([
      entry({ taskDefinition: "web:3" }),
      entry({ taskDefinition: "arn:aws:ecs:us-east-1:111111111111:task-definition/api:12" }),
      entry({
        taskDefinition: undefined,
        daemonTaskDefinition: "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/node-agent:2",
      }),
    ]);
    expect(list.approved.map((exception) => exception.target)).toEqual([
      { family: "web", revision: 3 },
      { family: "api", revision: 12, kind: "task" },
      { family: "node-agent", revision: 2, kind: "daemon" },
    ]);
  });
});

describe("matching exceptions", () => {
  const web3 = { family: "web", revision: 3, kind: "task" } as const;
  const at = (iso: string) => new Date(iso);

  it("is valid through the last second of its expiry day and expired from the next day on", () => {
    const { approved } = parseExceptionList([entry({ expires: "2026-11-30" })]);
    expect(matchException(approved, web3, "111111111111", at("2026-11-30T23:59:59.999Z"))?.status).toBe(
      "valid",
    );
    expect(matchException(approved, web3, "111111111111", at("2026-12-01T00:00:00.000Z"))?.status).toBe(
      "expired",
    );
  });

  it("prefers an unexpired exception over an expired one for the same revision", () => {
    const { approved } = parseExceptionList([
      entry({ expires: "2025-01-01", owner: "old" }),
      entry({ taskDefinition: "web:3", expires: "2027-01-01", owner: "new" }),
    ]);
    const match = matchException(approved, web3, "111111111111", at("2026-11-30T12:00:00Z"));
    expect(match?.status).toBe("valid");
    expect(match?.exception.owner).toBe("new");
  });

  it("does not cover another revision of the family when it names one revision", () => {
    const { approved } = parseExceptionList([entry({ taskDefinition: "web:2" })]);
    expect(matchException(approved, web3, "111111111111", at("2026-11-30T00:00:00Z"))).toBeUndefined();
  });

  it("matches a revision ARN only in the account and Region it names", () => {
    const arn = "arn:aws:ecs:eu-west-1:999999999999:task-definition/web:3";
    const { approved } = parseExceptionList([entry({ taskDefinition: arn })]);
    const now = at("2026-11-30T00:00:00Z");
    expect(
      matchException(
        approved,
        { ...web3, arn: "arn:aws:ecs:us-east-1:111111111111:task-definition/web:3" },
        "111111111111",
        now,
      ),
    ).toBeUndefined();
    expect(matchException(approved, { ...web3, arn }, "999999999999", now)?.status).toBe("valid");
  });

  it("applies only to the listed accounts when accountIds is given", () => {
    const { approved } = parseExceptionList([entry({ accountIds: ["222222222222"] })]);
    const now = at("2026-11-30T00:00:00Z");
    expect(matchException(approved, web3, "111111111111", now)).toBeUndefined();
    expect(matchException(approved, web3, "222222222222", now)?.status).toBe("valid");
  });

  it("lists unexpired exceptions that end within 14 days as expiring soon", () => {
    const { approved } = parseExceptionList([
      entry({ taskDefinition: "soon", expires: "2026-12-13" }),
      entry({ taskDefinition: "later", expires: "2026-12-15" }),
      entry({ taskDefinition: "gone", expires: "2026-11-29" }),
    ]);
    const names = expiringSoon(approved, at("2026-11-30T00:00:00Z")).map((exception) => exception.reference);
    expect(names).toEqual(["soon"]);
  });
});

describe("the two namespaces: task definitions and daemon task definitions", () => {
  const now = new Date("2026-11-30T00:00:00Z");
  const taskArn = "arn:aws:ecs:us-east-1:111111111111:task-definition/node-agent:2";
  const daemonArn = "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/node-agent:2";
  const { approved } = parseExceptionList([
    entry({ taskDefinition: "node-agent", owner: "tasks-team" }),
    entry({ taskDefinition: undefined, daemonTaskDefinition: "node-agent", owner: "daemons-team" }),
  ]);

  it("covers a task definition revision only with a taskDefinition entry", () => {
    const match = matchException(approved, { family: "node-agent", revision: 2, arn: taskArn }, "1", now);
    expect(match?.exception.owner).toBe("tasks-team");
  });

  it("covers a daemon task definition revision only with a daemonTaskDefinition entry", () => {
    const match = matchException(approved, { family: "node-agent", revision: 2, arn: daemonArn }, "1", now);
    expect(match?.exception.owner).toBe("daemons-team");
  });

  it("never lets a family-level task definition entry exempt a daemon of the same family name", () => {
    const tasksOnly = approved.filter((exception) => exception.kind === "task");
    expect(
      matchException(tasksOnly, { family: "node-agent", revision: 2, arn: daemonArn }, "1", now),
    ).toBeUndefined();
  });

  it("matches nothing for a revision whose ARN names neither kind, or whose kind is not given", () => {
    const odd = "arn:aws:ecs:us-east-1:111111111111:daemon-revision/prod/node-agent/abc";
    expect(
      matchException(approved, { family: "node-agent", revision: 2, arn: odd }, "1", now),
    ).toBeUndefined();
    expect(matchException(approved, { family: "node-agent", revision: 2 }, "1", now)).toBeUndefined();
    expect(
      matchException(approved, { family: "node-agent", revision: 2, arn: taskArn, kind: "daemon" }, "1", now),
    ).toBeUndefined();
  });

  it("refuses an ARN of the other kind in either field, and an entry naming both or neither", () => {
    const list = parseExceptionList([
      entry({ taskDefinition: daemonArn }),
      entry({ taskDefinition: undefined, daemonTaskDefinition: taskArn }),
      entry({ daemonTaskDefinition: "node-agent" }),
      entry({ taskDefinition: undefined }),
    ]);
    expect(list.approved).toEqual([]);
    expect(list.invalid.map((invalid) => invalid.problems.join("; "))).toEqual([
      "taskDefinition: is a daemon task definition ARN: name it in daemonTaskDefinition",
      "daemonTaskDefinition: is a task definition ARN: name it in taskDefinition",
      "daemonTaskDefinition: an entry names either a task definition or a daemon task definition, not both",
      "taskDefinition: is required (or daemonTaskDefinition for a daemon task definition)",
    ]);
  });

  it("names each kind in messages and labels", () => {
    expect(approved.map(exceptionTarget)).toEqual([
      "task definition node-agent",
      "daemon task definition node-agent",
    ]);
    expect(exceptionLabel(4, { daemonTaskDefinition: "node-agent" })).toBe(
      'exceptions[4] (daemon "node-agent")',
    );
  });
});

describe("fields that widen or document an exception", () => {
  const now = new Date("2026-11-30T00:00:00Z");

  it("refuses a field it does not know, such as a misspelt accountId that would widen the entry", () => {
    const list = parseExceptionList([entry({ accountId: "222222222222" })]);
    expect(list.invalid[0]?.problems).toEqual(["accountId: is not a field of an exception"]);
  });

  it("refuses an empty accountIds list, allAccounts other than true, and both together", () => {
    const list = parseExceptionList([
      entry({ accountIds: [] }),
      entry({ allAccounts: "yes" }),
      entry({ accountIds: ["222222222222"], allAccounts: true }),
    ]);
    expect(list.invalid.map((invalid) => invalid.problems[0])).toEqual([
      "accountIds: must be a non-empty list of 12-digit account ids",
      "allAccounts: must be true when present (it is written on purpose)",
      "accountIds: an entry has accountIds or allAccounts, not both",
    ]);
  });

  it("in organization mode requires the accounts and the approval trail, naming each missing field", () => {
    const review = reviewExceptions(
      [entry(), entry({ allAccounts: true, approvedBy: "ciso", ticket: "SEC-1" })],
      {
        now,
        maxDurationDays: 365,
        organization: true,
      },
    );
    expect(review.invalid).toEqual([
      {
        index: 0,
        problems: [
          "accountIds: is required in organization mode: list the accounts, or write allAccounts: true to cover every account",
          "approvedBy: is required in organization mode (the approval trail)",
          "ticket: is required in organization mode (the approval trail)",
        ],
      },
    ]);
    expect(review.approved.map((exception) => exception.index)).toEqual([1]);
  });

  it("keeps approvedBy and ticket short enough for the annotation", () => {
    const list = parseExceptionList([entry({ approvedBy: "x".repeat(65) }), entry({ ticket: "SEC-1" })]);
    expect(list.invalid[0]?.problems).toEqual(["approvedBy: must be at most 64 characters"]);
    expect(list.approved[0]?.ticket).toBe("SEC-1");
  });
});

describe("the exceptions an invocation may apply", () => {
  const options = { now: new Date("2026-11-30T00:00:00Z"), maxDurationDays: 365 };

  it("applies none and gives no reason when no list is deployed", () => {
    expect(exceptionsInForce({ status: "none" }, options)).toEqual({
      review: { approved: [], invalid: [], expired: [], expiringSoon: [] },
    });
  });

  it("applies none of a list that cannot be verified, carrying the reason", () => {
    const found = exceptionsInForce(
      { status: "unverifiable", problem: "tampered", detail: "digest differs" },
      options,
    );
    expect(found.review.approved).toEqual([]);
    expect(found.unverifiable).toEqual({ problem: "tampered", detail: "digest differs" });
  });

  it.each([
    ["not JSON", "web until friday", /^not JSON/],
    ["not an array", '{"web": true}', /^not a JSON array/],
  ])("reads a list that is %s as unreadable", (_case, text, detail) => {
    const found = exceptionsInForce({ status: "read", text }, options);
    expect(found.unverifiable?.problem).toBe("unreadable");
    expect(found.unverifiable?.detail).toMatch(detail);
  });

  it("applies the same maximum duration as synth: an entry beyond it exempts nothing, the others stand", () => {
    const text = JSON.stringify([entry({ expires: "9999-12-31" }), entry({ taskDefinition: "api" })]);
    const found = exceptionsInForce({ status: "read", text }, options);
    expect(found.unverifiable).toBeUndefined();
    expect(found.review.approved.map((exception) => exception.reference)).toEqual(["api"]);
    expect(found.review.invalid[0]?.problems[0]).toMatch(/more than maxExceptionDays \(365\)/);
  });
});
