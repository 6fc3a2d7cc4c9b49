import { parseExceptionList } from "../../../lambda/core/exceptions";
import { type CurrentVerdict, planSweep, type SweepInput } from "../../../lambda/core/sweepPlan";
import type { InUseRevision, RevisionFacts } from "../../../lambda/core/types";

const ACCOUNT = "111111111111";
const TD = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";
const arn = (label: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${label}`;

function revision(label: string, placements: InUseRevision["placements"]): InUseRevision {
  const [family, number] = label.split(":") as [string, string];
  return { arn: arn(label), family, revision: Number(number), placements };
}

function facts(label: string, pidMode?: string): [string, RevisionFacts] {
  const [family, number] = label.split(":") as [string, string];
  return [arn(label), { arn: arn(label), family, revision: Number(number), pidMode }];
}

function current(
  resourceType: string,
  resourceId: string,
  complianceType: CurrentVerdict["complianceType"],
  annotation: string,
): [string, CurrentVerdict] {
  return [`${resourceType}|${resourceId}`, { resourceType, resourceId, complianceType, annotation }];
}

function input(overrides: Partial<SweepInput> = {}, unreadParts: string[] = []): SweepInput {
  return {
    state: {
      accountId: ACCOUNT,
      view: {
        revisions: [
          revision("web:3", [{ cluster: "prod", service: "api" }]),
          revision("gone:1", [{ cluster: "dev" }]),
        ],
        unreadParts,
      },
      facts: new Map([facts("web:3", "host"), facts("gone:1")]),
      exceptions: parseExceptionList([]).approved,
      now: new Date("2026-11-30T00:00:00Z"),
    },
    recordedTaskDefinitionIds: ["web", "idle"],
    currentVerdicts: new Map(),
    idForm: "family",
    orderingTimestamp: new Date("2026-11-30T06:00:00Z"),
    ...overrides,
  };
}

const summary = (plan: ReturnType<typeof planSweep>) =>
  plan.toWrite.map(
    (evaluation) => `${evaluation.resourceType} ${evaluation.resourceId} ${evaluation.complianceType}`,
  );

describe("planning a sweep", () => {
  it("judges recorded task definitions and in-use families Config does not record", () => {
    expect(summary(planSweep(input()))).toEqual([
      `${TD} gone COMPLIANT`,
      `${TD} idle NOT_APPLICABLE`,
      `${TD} web NON_COMPLIANT`,
    ]);
  });

  it("writes nothing when every verdict equals what Config holds", () => {
    const first = planSweep(input());
    const currentVerdicts = new Map(
      first.toWrite.map((evaluation) =>
        current(
          evaluation.resourceType,
          evaluation.resourceId,
          evaluation.complianceType,
          evaluation.annotation,
        ),
      ),
    );
    const second = planSweep(input({ currentVerdicts }));
    expect(second.toWrite).toEqual([]);
    expect(second.unchanged).toBe(3);
  });

  it("rewrites a verdict whose annotation changed even if its compliance type did not", () => {
    const plan = planSweep(
      input({ currentVerdicts: new Map([current(TD, "web", "NON_COMPLIANT", "old text")]) }),
    );
    expect(summary(plan)).toContain(`${TD} web NON_COMPLIANT`);
  });

  it("turns earlier verdicts of task definitions no longer in use into NOT_APPLICABLE", () => {
    const plan = planSweep(
      input({
        recordedTaskDefinitionIds: [],
        currentVerdicts: new Map([current(TD, "retired", "NON_COMPLIANT", "x")]),
      }),
    );
    expect(summary(plan)).toContain(`${TD} retired NOT_APPLICABLE`);
  });

  it("re-judges a service with a verdict from the RUNNING tasks the sweep saw", () => {
    const serviceArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`;
    const plan = planSweep(
      input({ currentVerdicts: new Map([current(SERVICE, serviceArn, "COMPLIANT", "x")]) }),
    );
    expect(summary(plan)).toContain(`${SERVICE} ${serviceArn} NON_COMPLIANT`);
  });

  it("leaves a service whose tasks the sweep did not see, or whose ARN names no cluster, as Config has it", () => {
    const idle = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/idle`;
    const oldFormat = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/api`;
    const plan = planSweep(
      input({
        currentVerdicts: new Map([
          current(SERVICE, idle, "NON_COMPLIANT", "x"),
          current(SERVICE, oldFormat, "NON_COMPLIANT", "x"),
        ]),
      }),
    );
    expect(plan.toWrite.filter((evaluation) => evaluation.resourceType === SERVICE)).toEqual([]);
  });

  it("withholds every verdict an unread part could change, but still writes an observed host-PID revision", () => {
    const plan = planSweep(input({}, ["cluster big: AccessDeniedException"]));
    expect(summary(plan)).toEqual([`${TD} web NON_COMPLIANT`]);
    expect(plan.withheld).toEqual([`${TD}|gone`, `${TD}|idle`]);
  });

  it("withholds the family of a revision that could not be described", () => {
    const state = input().state;
    const plan = planSweep(input({ state: { ...state, facts: new Map([facts("web:3", "host")]) } }));
    expect(plan.withheld).toEqual([`${TD}|gone`]);
  });

  it("reports recorded ids that name no task definition instead of judging them", () => {
    const plan = planSweep(input({ recordedTaskDefinitionIds: ["web", "bad id!"] }));
    expect(plan.unrecognised).toEqual(["bad id!"]);
  });

  it("judges each in-use revision on its own when Config names task definitions by revision ARN", () => {
    const plan = planSweep(input({ recordedTaskDefinitionIds: [arn("web:3"), arn("web:2")], idForm: "arn" }));
    expect(summary(plan)).toEqual([
      `${TD} ${arn("gone:1")} COMPLIANT`,
      `${TD} ${arn("web:2")} NOT_APPLICABLE`,
      `${TD} ${arn("web:3")} NON_COMPLIANT`,
    ]);
  });

  it("uses family:revision ids when that is Config's form", () => {
    const plan = planSweep(input({ recordedTaskDefinitionIds: ["web:3"], idForm: "familyRevision" }));
    expect(summary(plan)).toEqual([`${TD} gone:1 COMPLIANT`, `${TD} web:3 NON_COMPLIANT`]);
  });

  it("stamps every evaluation with the notification time", () => {
    const plan = planSweep(input());
    expect(new Set(plan.toWrite.map((evaluation) => evaluation.orderingTimestamp.toISOString()))).toEqual(
      new Set(["2026-11-30T06:00:00.000Z"]),
    );
  });
});
