import { MAX_ANNOTATION_LENGTH } from "../../../../lambda/core/annotation";
import { parseExceptionList } from "../../../../lambda/core/approvedExceptions";
import type { Placement } from "../../../../lambda/core/inUseView";
import { judge, type UsedRevision } from "../../../../lambda/core/judgeRevisions";

const NOW = new Date("2026-11-30T12:00:00Z");
const ACCOUNT = "111111111111";

function used(
  label: string,
  pidMode: string | undefined | "unknown",
  placements: Placement[] = [{ cluster: "prod" }],
): UsedRevision {
  const [family, revision] = label.split(":") as [string, string];
  const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${label}`;
  return {
    revision: { arn, family, revision: Number(revision), placements },
    facts: pidMode === "unknown" ? undefined : { arn, family, revision: Number(revision), pidMode },
  };
}

const exceptions = parseExceptionList([
  { taskDefinition: "agent", owner: "platform-team", expires: "2027-03-31", reason: "node agent" },
  { taskDefinition: "legacy", owner: "bob", expires: "2026-06-30", reason: "migration" },
]).approved;

/** `judge` for a task definition using `usedRevisions`, with this file's exceptions, account and time and the whole account read, unless `overrides` say otherwise. */
function judgeUsed(usedRevisions: UsedRevision[], overrides: Partial<Parameters<typeof judge>[0]> = {}) {
  return judge({
    subject: "taskDefinition",
    usedRevisions,
    exceptions,
    accountId: ACCOUNT,
    now: NOW,
    viewComplete: true,
    ...overrides,
  });
}

describe("the verdict for what a subject uses", () => {
  it.each<[string, UsedRevision[], boolean, string, boolean]>([
    ["nothing in use", [], true, "NOT_APPLICABLE", true],
    ["only revisions without pidMode", [used("web:4", undefined)], true, "COMPLIANT", true],
    ["pidMode task", [used("web:4", "task")], true, "COMPLIANT", true],
    [
      "one host revision among clean ones",
      [used("web:4", undefined), used("web:3", "host")],
      true,
      "NON_COMPLIANT",
      true,
    ],
    ["a host revision covered by a valid exception", [used("agent:2", "host")], true, "NOT_APPLICABLE", true],
    ["a host revision whose exception expired", [used("legacy:9", "host")], true, "NON_COMPLIANT", true],
    [
      "an undescribed revision beside a clean one",
      [used("web:4", undefined), used("web:5", "unknown")],
      true,
      "COMPLIANT",
      false,
    ],
    [
      "an observed host revision beside an undescribed one",
      [used("web:3", "host"), used("web:5", "unknown")],
      true,
      "NON_COMPLIANT",
      true,
    ],
    [
      "clean revisions while part of the account is unread",
      [used("web:4", undefined)],
      false,
      "COMPLIANT",
      false,
    ],
    ["nothing in use while part of the account is unread", [], false, "NOT_APPLICABLE", false],
    [
      "an exempt host revision while part of the account is unread",
      [used("agent:2", "host")],
      false,
      "NOT_APPLICABLE",
      false,
    ],
    [
      "a host revision while part of the account is unread",
      [used("web:3", "host")],
      false,
      "NON_COMPLIANT",
      true,
    ],
  ])("%s gives %s", (_case, usedRevisions, viewComplete, complianceType, certain) => {
    const judgement = judgeUsed(usedRevisions, { viewComplete });
    expect(judgement.complianceType).toBe(complianceType);
    expect(judgement.certain).toBe(certain);
    expect(judgement.annotation.length).toBeGreaterThan(0);
    expect(judgement.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });

  it("names the offending revision, its clusters and services, and how to fix it", () => {
    const judgement = judgeUsed([
      used("web:3", "host", [
        { cluster: "prod", service: "api" },
        { cluster: "dev" },
        { cluster: "prod", service: "admin" },
      ]),
    ]);
    expect(judgement.annotation).toBe(
      'Shares the host PID namespace: web:3 in dev (standalone tasks); prod (service admin, service api). Fix: register a revision without pidMode "host" and redeploy.',
    );
  });

  it("says that an exception expired, whose it was and when", () => {
    const judgement = judgeUsed([used("legacy:9", "host")]);
    expect(judgement.annotation).toContain("Exception legacy (owner bob) expired 2026-06-30.");
  });

  it("names the exception owner and expiry date of an exempt revision", () => {
    const judgement = judgeUsed([used("agent:2", "host")]);
    expect(judgement.annotation).toBe(
      "Exempt: pidMode host allowed for agent:2 by exception of platform-team until 2027-03-31.",
    );
  });

  it("does not exempt a revision when the exception is for other accounts", () => {
    const scoped = parseExceptionList([
      {
        taskDefinition: "agent",
        owner: "o",
        expires: "2027-01-01",
        reason: "r",
        accountIds: ["222222222222"],
      },
    ]).approved;
    const judgement = judgeUsed([used("agent:2", "host")], { exceptions: scoped });
    expect(judgement.complianceType).toBe("NON_COMPLIANT");
  });

  it("keeps a long annotation within 256 characters and the same whatever the input order", () => {
    const many = Array.from({ length: 40 }, (_, index) =>
      used(`family-with-a-long-name-${index}:${index + 1}`, "host", [
        { cluster: `cluster-${index}`, service: `service-${index}` },
      ]),
    );
    const forward = judgeUsed(many);
    const backward = judgeUsed([...many].reverse());
    expect(forward.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(forward.annotation).toMatch(/\+\d+ more/);
    expect(forward.annotation).toBe(backward.annotation);
  });

  it("still names the revision when its clusters do not fit", () => {
    const everywhere = Array.from({ length: 12 }, (_, index) => ({
      cluster: `production-cluster-${index}`,
      service: "node-exporter",
    }));
    const judgement = judgeUsed([used("agent:2", "host", everywhere)], { exceptions: [] });
    expect(judgement.annotation).toBe(
      'Shares the host PID namespace: agent:2. Fix: register a revision without pidMode "host" and redeploy.',
    );
  });

  it("keeps which exception lapsed and when, even with a long owner", () => {
    const lapsed = parseExceptionList([
      {
        taskDefinition: "node-exporter-daemon",
        owner: `${"platform-observability-team".repeat(4)}@example.com`,
        expires: "2026-01-31",
        reason: "r",
      },
    ]).approved;
    const judgement = judgeUsed(
      [
        used("node-exporter-daemon:14", "host", [
          { cluster: "production-eu-west-1", service: "node-exporter-daemon" },
        ]),
      ],
      { exceptions: lapsed },
    );
    expect(judgement.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(judgement.annotation).toContain("node-exporter-daemon:14");
    expect(judgement.annotation).toContain("node-exporter-daemon expired 2026-01-31");
  });

  it("names the first revision even when a single name is longer than the limit", () => {
    const judgement = judgeUsed([used(`${"f".repeat(255)}:1`, "host")], { exceptions: [] });
    expect(judgement.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(judgement.annotation).toMatch(/^Shares the host PID namespace: f{20,}/);
  });

  it("lists revisions without their clusters for a service", () => {
    const judgement = judgeUsed([used("web:3", "host", [{ cluster: "prod", service: "api" }])], {
      subject: "service",
    });
    expect(judgement.annotation).toMatch(/^Shares the host PID namespace: web:3\. Fix/);
  });
});

describe("the annotation of an exempted revision", () => {
  const now = new Date("2026-11-30T00:00:00Z");
  const arn = "arn:aws:ecs:us-east-1:111111111111:task-definition/agent:3";
  const used: UsedRevision = {
    revision: { arn, family: "agent", revision: 3, placements: [] },
    facts: { arn, family: "agent", revision: 3, pidMode: "host" },
  };
  const withTrail = parseExceptionList([
    {
      taskDefinition: "agent",
      owner: "platform",
      expires: "2027-01-31",
      reason: "node agent",
      approvedBy: "ciso@example.com",
      ticket: "SEC-42",
    },
  ]).approved;

  it("shows who approved the exception and the ticket, within 256 characters", () => {
    const judgement = judgeUsed([used], { exceptions: withTrail, now });
    expect(judgement.complianceType).toBe("NOT_APPLICABLE");
    expect(judgement.annotation).toBe(
      "Exempt: pidMode host allowed for agent:3 by exception of platform (approved by ciso@example.com, SEC-42) until 2027-01-31.",
    );
  });
});
