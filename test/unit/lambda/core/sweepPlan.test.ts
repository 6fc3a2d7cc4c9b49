import { parseExceptionList } from "../../../../lambda/core/approvedExceptions";
import type { InUseRevision, InUseView, RevisionFacts } from "../../../../lambda/core/inUseView";
import { type ServiceState, serviceState } from "../../../../lambda/core/services";
import {
  planSweep,
  type SweepInput,
  servicesOfCluster,
  servicesToDescribe,
} from "../../../../lambda/core/sweepPlan";
import type { CurrentVerdict } from "../../../../lambda/core/writes";

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

interface Overrides {
  readonly state?: SweepInput["state"];
  readonly recordedTaskDefinitionIds?: string[];
  readonly recordedClusterSample?: string[];
  readonly currentVerdicts?: Map<string, CurrentVerdict>;
  readonly services?: ServiceState[];
  readonly view?: Partial<InUseView>;
  /** Config could not be read. */
  readonly noConfig?: boolean;
  readonly idForm?: string;
  readonly scope?: SweepInput["scope"];
}

const apiArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`;
const api = serviceState(apiArn, {
  serviceArn: apiArn,
  serviceName: "api",
  clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
  status: "ACTIVE",
  desiredCount: 1,
  taskDefinition: arn("web:3"),
  deployments: [{ status: "PRIMARY", taskDefinition: arn("web:3") }],
});

function input(overrides: Overrides = {}, unreadParts: string[] = []): SweepInput {
  const view: InUseView = {
    scope: { kind: "account" },
    revisions: [
      revision("web:3", [{ cluster: "prod", service: "api" }]),
      revision("gone:1", [{ cluster: "dev" }]),
    ],
    daemonRevisions: [],
    unrecognisedArns: [],
    clusterArns: [
      `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
      `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/dev`,
    ],
    unreadParts,
    ...overrides.view,
  };
  return {
    state: overrides.state ?? {
      accountId: ACCOUNT,
      view,
      facts: new Map([facts("web:3", "host"), facts("gone:1")]),
      exceptions: parseExceptionList([]).approved,
      now: new Date("2026-11-30T00:00:00Z"),
    },
    config: overrides.noConfig
      ? undefined
      : {
          recordedTaskDefinitionIds: overrides.recordedTaskDefinitionIds ?? ["web", "idle"],
          recordedClusterSample: overrides.recordedClusterSample ?? ["prod", "dev"],
          currentVerdicts: overrides.currentVerdicts ?? new Map(),
        },
    services: overrides.services ?? [],
    undescribedServiceIds: [],
    orderingTimestamp: new Date("2026-11-30T06:00:00Z"),
    scope: overrides.scope ?? { services: true, daemons: true },
  };
}

const DAEMON_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:daemon-task-definition/node-agent:2`;

/** `base` with node-agent:2 run by daemon tasks at `placements`, described with `pidMode` (left out: not described). */
function withDaemon(base: SweepInput, placements: InUseRevision["placements"], pidMode?: string): SweepInput {
  const daemon = { arn: DAEMON_ARN, family: "node-agent", revision: 2 };
  return {
    ...base,
    state: {
      ...base.state,
      view: { ...base.state.view, daemonRevisions: [{ ...daemon, placements }] },
      facts:
        pidMode === undefined
          ? base.state.facts
          : new Map([...base.state.facts, [DAEMON_ARN, { ...daemon, pidMode }]]),
    },
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

  it("judges every service it described, from its RUNNING tasks and what it rolls out", () => {
    const plan = planSweep(input({ services: [api] }));
    expect(summary(plan)).toContain(`${SERVICE} ${apiArn} NON_COMPLIANT`);
  });

  it("clears the verdict of a service that was deleted or scaled to zero", () => {
    const idleArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/idle`;
    const goneArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/gone`;
    const idle = serviceState(idleArn, {
      serviceArn: idleArn,
      status: "ACTIVE",
      desiredCount: 0,
      taskDefinition: arn("web:3"),
    });
    const gone = serviceState(goneArn, { serviceArn: goneArn, status: "INACTIVE", desiredCount: 0 });
    const plan = planSweep(input({ services: [idle, gone] }));
    expect(
      plan.toWrite
        .filter((evaluation) => evaluation.resourceType === SERVICE)
        .map((e) => [e.resourceId, e.complianceType, e.annotation]),
    ).toEqual([
      [goneArn, "NOT_APPLICABLE", "The service was deleted."],
      [idleArn, "NOT_APPLICABLE", "The service neither runs nor wants tasks."],
    ]);
  });

  it("asks to describe every service with a verdict and every service whose tasks ran, and names old-format ids", () => {
    const idle = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/dev/idle`;
    const oldFormat = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/api`;
    const { services, unjudgedServiceIds } = servicesToDescribe(
      input().state.view,
      new Map([
        current(SERVICE, idle, "NON_COMPLIANT", "x"),
        current(SERVICE, oldFormat, "NON_COMPLIANT", "x"),
      ]),
    );
    expect(services.map((service) => service.resourceId)).toEqual([idle, apiArn]);
    expect(unjudgedServiceIds).toEqual([oldFormat]);
    expect(
      planSweep(input({ currentVerdicts: new Map([current(SERVICE, oldFormat, "NON_COMPLIANT", "x")]) }))
        .unjudgedServiceIds,
    ).toEqual([oldFormat]);
  });

  it("settles, for one cluster once read, its services with a verdict and those it runs, under the same ids as the whole account's list", () => {
    const prod = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`;
    const idleInProd = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/idle`;
    const idleInDev = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/dev/idle`;
    const recordedApi = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api`;
    const verdicts = new Map([
      current(SERVICE, idleInProd, "NON_COMPLIANT", "x"),
      current(SERVICE, idleInDev, "NON_COMPLIANT", "x"),
      current(SERVICE, recordedApi, "COMPLIANT", "x"),
      current(TD, "web", "COMPLIANT", "x"),
    ]);
    const ofProd = servicesOfCluster(prod, ["api", "worker"], verdicts);
    expect(ofProd.map((service) => service.resourceId)).toEqual([
      recordedApi,
      idleInProd,
      `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/worker`,
    ]);
    const whole = servicesToDescribe(
      {
        ...input().state.view,
        clusterArns: [prod],
        revisions: [
          revision("web:1", [
            { cluster: "prod", service: "api" },
            { cluster: "prod", service: "worker" },
          ]),
        ],
      },
      verdicts,
    ).services;
    for (const service of ofProd) expect(whole).toContainEqual(service);
  });

  it("writes only the certain NON_COMPLIANT verdicts when Config could not be read", () => {
    const plan = planSweep(input({ noConfig: true, services: [api] }));
    expect(summary(plan)).toEqual([`${TD} web NON_COMPLIANT`, `${SERVICE} ${apiArn} NON_COMPLIANT`]);
  });

  it("judges a cluster on the daemon task definitions its RUNNING daemon tasks use", () => {
    const placements = [{ cluster: "prod", daemon: "node-agent" }];
    const plan = planSweep(withDaemon(input(), placements));
    const shared = planSweep(withDaemon(input(), placements, "shared"));
    expect(plan.withheld).toContain("AWS::ECS::Cluster|prod");
    const cluster = shared.toWrite.find((evaluation) => evaluation.resourceType === "AWS::ECS::Cluster");
    expect(cluster?.complianceType).toBe("NON_COMPLIANT");
    expect(cluster?.annotation).toContain("node-agent:2 in prod (daemon node-agent)");
    expect(cluster?.annotation).toContain('pidMode "shared"');
  });

  it("names clusters by ARN when Config's recorded cluster ids are ARNs", () => {
    const base = input({ recordedClusterSample: [`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`] });
    const plan = planSweep(withDaemon(base, [{ cluster: "prod" }], "none"));
    expect(summary(plan)).toContain(
      `AWS::ECS::Cluster arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod COMPLIANT`,
    );
  });

  it("clears the verdict of a cluster that no longer runs a daemon", () => {
    const plan = planSweep(
      input({ currentVerdicts: new Map([current("AWS::ECS::Cluster", "prod", "NON_COMPLIANT", "x")]) }),
    );
    expect(summary(plan)).toContain("AWS::ECS::Cluster prod NOT_APPLICABLE");
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
    const plan = planSweep(input({ recordedTaskDefinitionIds: [arn("web:3"), arn("web:2")] }));
    expect(summary(plan)).toEqual([
      `${TD} ${arn("gone:1")} COMPLIANT`,
      `${TD} ${arn("web:2")} NOT_APPLICABLE`,
      `${TD} ${arn("web:3")} NON_COMPLIANT`,
    ]);
  });

  it("uses family:revision ids when that is Config's form", () => {
    const plan = planSweep(input({ recordedTaskDefinitionIds: ["web:3"] }));
    expect(summary(plan)).toEqual([`${TD} gone:1 COMPLIANT`, `${TD} web:3 NON_COMPLIANT`]);
  });

  it("writes no service or cluster verdict when the rule's parameters leave those types out of its scope", () => {
    const daemonArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:daemon-task-definition/agent:1`;
    const plan = planSweep(
      input({
        services: [api],
        scope: { services: false, daemons: false },
        currentVerdicts: new Map([current(SERVICE, apiArn, "COMPLIANT", "old")]),
        view: {
          daemonRevisions: [
            {
              arn: daemonArn,
              family: "agent",
              revision: 1,
              placements: [{ cluster: "prod", daemon: "agent" }],
            },
          ],
        },
      }),
    );
    expect(summary(plan).filter((line) => !line.startsWith(TD))).toEqual([]);
    expect(summary(plan)).toContain(`${TD} web NON_COMPLIANT`);
  });

  it("stamps every evaluation with the notification time", () => {
    const plan = planSweep(input());
    expect(new Set(plan.toWrite.map((evaluation) => evaluation.orderingTimestamp.toISOString()))).toEqual(
      new Set(["2026-11-30T06:00:00.000Z"]),
    );
  });
});
