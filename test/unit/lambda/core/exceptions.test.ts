import {
  expiringSoon,
  isCalendarDate,
  matchException,
  parseExceptionList,
} from "../../../../lambda/core/exceptions";

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
    expect(list.approved.map((exception) => exception.taskDefinition)).toEqual(["other"]);
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
      entry({ taskDefinition: "arn:aws:ecs:us-east-1:111111111111:daemon-task-definition/node-agent:2" }),
    ]);
    expect(list.approved.map((exception) => exception.target)).toEqual([
      { family: "web", revision: 3 },
      { family: "api", revision: 12, kind: "task" },
      { family: "node-agent", revision: 2, kind: "daemon" },
    ]);
  });
});

describe("matching exceptions", () => {
  const web3 = { family: "web", revision: 3 };
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
    const names = expiringSoon(approved, at("2026-11-30T00:00:00Z")).map(
      (exception) => exception.taskDefinition,
    );
    expect(names).toEqual(["soon"]);
  });
});
