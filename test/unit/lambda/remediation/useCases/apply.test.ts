import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { MissingPermissionError, RefusedReplacementError } from "../../../../../lambda/errors";
import { MemoryJournalStore } from "../../../../../lambda/remediation/adapters/memoryJournal";
import { EMPTY_JOURNAL, type Journal } from "../../../../../lambda/remediation/core/journal";
import { REPLACES_TAG, replacementFor } from "../../../../../lambda/remediation/core/replacement";
import type { ServiceRollout } from "../../../../../lambda/remediation/core/rollout";
import type { WorkItem } from "../../../../../lambda/remediation/core/waves";
import type { RemediationEcs } from "../../../../../lambda/remediation/ports";
import { applyBatch } from "../../../../../lambda/remediation/useCases/apply";
import { FakeClock } from "../../../../support/fakeClock";

const ACCOUNT = "111122223333";
const arn = (label: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${label}`;
const SCOPE = { accountId: ACCOUNT, region: "us-east-1" };
const SETTINGS = { scope: SCOPE, rolloutTimeoutMs: 60_000, pollIntervalMs: 10_000 };

function service(name: string, revision = "web:1"): WorkItem {
  return {
    revision,
    revisionArn: arn(revision),
    target: { kind: "service", cluster: "prod", service: name },
    runningTasks: 2,
    exposure: { status: "not-exposed" },
    production: { status: "production", evidence: "cluster" },
  };
}

type Described = Awaited<ReturnType<RemediationEcs["describeRevision"]>>;

/** The host-PID revision the services run, as DescribeTaskDefinition answers for it. */
function original(label: string): Described {
  const [family, revision] = label.split(":");
  return {
    taskDefinition: {
      taskDefinitionArn: arn(label),
      family,
      revision: Number(revision),
      status: "ACTIVE",
      pidMode: "host",
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${family}-task`,
      containerDefinitions: [{ name: "app", image: `example/${family}:1`, essential: true, cpu: 0 }],
      compatibilities: ["EC2"],
    },
    tags: [{ key: "team", value: "web" }],
    $metadata: {},
  };
}

/** What ECS answers for a revision registered from `input`, with the defaults it fills in. */
function registeredFrom(input: RegisterTaskDefinitionCommandInput, label: string): Described {
  const { tags, ...definition } = input;
  const [, revision] = label.split(":");
  return {
    taskDefinition: {
      ...definition,
      taskDefinitionArn: arn(label),
      revision: Number(revision),
      status: "ACTIVE",
      registeredAt: new Date(0),
      containerDefinitions: (definition.containerDefinitions ?? []).map((container) => ({
        essential: true,
        cpu: 0,
        ...container,
      })),
    },
    tags,
    $metadata: {},
  };
}

/** ECS as the apply sees it: services that finish (or fail) a deployment after `pollsToFinish` reads. */
class FakeEcs implements RemediationEcs {
  readonly registered: RegisterTaskDefinitionCommandInput[] = [];
  readonly updates: string[] = [];
  readonly services = new Map<string, { taskDefinition: string; reads: number }>();
  readonly revisions = new Map<string, Described>();
  failing = new Set<string>();
  neverFinishing = new Set<string>();
  readonly controllers = new Map<string, string>();
  /** Set to make UpdateService throw after ECS accepted it (the process killed right after the call). */
  dieAfterUpdate = false;
  /** Set to make RegisterTaskDefinition fail as ECS does when a role may not be passed. */
  denyPassRole = false;
  private nextRevision = 2;

  constructor(services: Record<string, string>) {
    for (const [name, revision] of Object.entries(services)) {
      this.services.set(name, { taskDefinition: arn(revision), reads: 0 });
      this.revisions.set(arn(revision), original(revision));
    }
    this.revisions.set(arn("web:1"), original("web:1"));
  }

  /** Registers `input` as ECS would, without counting it as the apply's registration. */
  plant(input: RegisterTaskDefinitionCommandInput): string {
    const label = `${input.family}:${this.nextRevision++}`;
    this.revisions.set(arn(label), registeredFrom(input, label));
    return arn(label);
  }

  async describeRevision(revisionArn: string): Promise<Described> {
    const found = this.revisions.get(revisionArn);
    if (found === undefined)
      throw Object.assign(new Error("Unable to describe task definition."), { name: "ClientException" });
    return structuredClone(found);
  }

  async taggedCandidates(family: string, replaces: string, newerThan: number) {
    return [...this.revisions.entries()]
      .filter(
        ([, described]) =>
          described.taskDefinition?.family === family &&
          (described.taskDefinition.revision ?? 0) > newerThan &&
          described.tags?.some((tag) => tag.key === REPLACES_TAG && tag.value === replaces),
      )
      .reverse()
      .map(([candidate, described]) => ({ arn: candidate, described: structuredClone(described) }));
  }

  async register(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    if (this.denyPassRole)
      throw new MissingPermissionError(
        "iam:PassRole",
        `not authorized to perform: iam:PassRole on ${input.taskRoleArn}`,
      );
    this.registered.push(input);
    return this.plant(input);
  }

  async describeService(_cluster: string, name: string): Promise<ServiceRollout | undefined> {
    const state = this.services.get(name);
    if (state === undefined) return undefined;
    state.reads++;
    const rolloutState = this.failing.has(name)
      ? "FAILED"
      : this.neverFinishing.has(name) || state.reads < 3
        ? "IN_PROGRESS"
        : "COMPLETED";
    return {
      taskDefinition: state.taskDefinition,
      deploymentController: this.controllers.get(name),
      deployments: [
        {
          status: "PRIMARY",
          taskDefinition: state.taskDefinition,
          rolloutState,
          rolloutStateReason: this.failing.has(name) ? "tasks failed to start" : undefined,
        },
      ],
    };
  }

  async updateService(_cluster: string, name: string, taskDefinitionArn: string): Promise<void> {
    this.updates.push(`${name}->${taskDefinitionArn}`);
    const state = this.services.get(name);
    if (state) {
      state.taskDefinition = taskDefinitionArn;
      state.reads = 0;
    }
    if (this.dieAfterUpdate) throw new Error("killed");
  }
}

const clock = () => new FakeClock(0);

describe("applying a batch", () => {
  it("registers one replacement for a revision two services run, and moves both to its exact ARN", async () => {
    const ecs = new FakeEcs({ api: "web:1", worker: "web:1" });
    const result = await applyBatch(
      [service("api"), service("worker")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(1);
    expect(ecs.registered[0]).not.toHaveProperty("pidMode");
    expect(ecs.updates).toEqual([`api->${arn("web:2")}`, `worker->${arn("web:2")}`]);
    expect(result.services.map((entry) => entry.outcome)).toEqual([
      { kind: "moved", to: arn("web:2") },
      { kind: "moved", to: arn("web:2") },
    ]);
    expect(result.stoppedAt).toBeUndefined();
  });

  it("changes nothing on a second run with the same journal", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const journal = new MemoryJournalStore();
    const deps = { ecs, journal, clock: clock(), report: () => {} };
    await applyBatch([service("api")], deps, SETTINGS);
    const second = await applyBatch([service("api")], deps, SETTINGS);
    expect(ecs.registered).toHaveLength(1);
    expect(ecs.updates).toHaveLength(1);
    expect(second.services[0]?.outcome).toEqual({ kind: "already moved", to: arn("web:2") });
  });

  it("reuses a replacement the journal names instead of registering again", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const earlier = ecs.plant(replacementFor(original("web:1")).input);
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      registered: { [`${ACCOUNT}/us-east-1/${arn("web:1")}`]: earlier },
    };
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(0);
    expect(result.registrations).toEqual([
      { revision: "web:1", replacementArn: earlier, how: "reused from the journal" },
    ]);
    expect(ecs.updates).toEqual([`api->${earlier}`]);
  });

  it("reuses a tagged replacement when the journal was lost", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const earlier = ecs.plant(replacementFor(original("web:1")).input);
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(0);
    expect(result.registrations[0]).toEqual({
      revision: "web:1",
      replacementArn: earlier,
      how: "reused (tagged replacement)",
    });
  });

  it("never deploys a look-alike tagged as the replacement: it registers the true one and names what differs", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const genuine = replacementFor(original("web:1")).input;
    const lookAlike = ecs.plant({
      ...genuine,
      containerDefinitions: [{ name: "app", image: "attacker/miner:latest", privileged: true }],
    });
    const lines: string[] = [];
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: (line) => lines.push(line) },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(1);
    expect(ecs.updates).toEqual([`api->${result.registrations[0]?.replacementArn}`]);
    expect(result.registrations[0]?.replacementArn).not.toBe(lookAlike);
    expect(lines).toContain(
      `web:1: ignores ${lookAlike}, tagged as the replacement but differing in containerDefinitions[0].image, containerDefinitions[0].privileged`,
    );
  });

  it("refuses a journal entry that names a look-alike, naming the family, the ARN and what differs, and moves nothing", async () => {
    const ecs = new FakeEcs({ api: "web:1", worker: "web:1" });
    const lookAlike = ecs.plant({
      ...replacementFor(original("web:1")).input,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`,
    });
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      registered: { [`${ACCOUNT}/us-east-1/${arn("web:1")}`]: lookAlike },
    };
    const run = applyBatch(
      [service("api"), service("worker")],
      { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
      SETTINGS,
    );
    await expect(run).rejects.toThrow(RefusedReplacementError);
    await expect(run).rejects.toThrow(
      `the journal names ${lookAlike} as the replacement of web:1 (family web), but it differs in taskRoleArn`,
    );
    expect(ecs.updates).toEqual([]);
    expect(ecs.registered).toEqual([]);
  });

  it("refuses a journal entry that names another family's revision", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const other = ecs.plant({ family: "admin", containerDefinitions: [{ name: "app", image: "x" }] });
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      registered: { [`${ACCOUNT}/us-east-1/${arn("web:1")}`]: other },
    };
    await expect(
      applyBatch(
        [service("api")],
        { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
        SETTINGS,
      ),
    ).rejects.toThrow("it belongs to family admin");
    expect(ecs.updates).toEqual([]);
  });

  it("does not apply a journal of another Region", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      registered: { [`${ACCOUNT}/eu-west-1/${arn("web:1")}`]: arn("web:7") },
    };
    await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(1);
  });

  it("stops at the first failed deployment, says why, and touches nothing after it", async () => {
    const ecs = new FakeEcs({ api: "web:1", worker: "web:1" });
    ecs.failing.add("api");
    const journal = new MemoryJournalStore();
    const result = await applyBatch(
      [service("api"), service("worker")],
      { ecs, journal, clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(result.stoppedAt?.why).toBe("the deployment failed: tasks failed to start");
    expect(result.stoppedAt?.item.target).toEqual({ kind: "service", cluster: "prod", service: "api" });
    expect(ecs.updates).toEqual([`api->${arn("web:2")}`]);
    expect((await journal.load()).moved[`${ACCOUNT}/us-east-1/prod/api`]?.state).toBe("updated");
  });

  it("reports a deployment still running when the wait ends as in progress, not failed, and touches nothing after it", async () => {
    const ecs = new FakeEcs({ api: "web:1", worker: "web:1" });
    ecs.neverFinishing.add("api");
    const lines: string[] = [];
    const result = await applyBatch(
      [service("api"), service("worker")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: (line) => lines.push(line) },
      SETTINGS,
    );
    expect(result.stoppedAt).toBeUndefined();
    expect(result.inProgressAt?.detail).toMatch(/^the deployment was still running after 60 s/);
    expect(result.services[0]?.outcome.kind).toBe("in progress");
    expect(ecs.updates).toEqual([`api->${arn("web:2")}`]);
    // One line for each read of the deployment (every 10 s over 60 s), so a person sees it wait.
    expect(lines.filter((line) => line.startsWith("prod/api: waiting for the deployment of"))).toHaveLength(
      6,
    );
  });

  it("resumes a service that was already updated by waiting for it, without a second UpdateService", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    ecs.neverFinishing.add("api");
    const journal = new MemoryJournalStore();
    await applyBatch([service("api")], { ecs, journal, clock: clock(), report: () => {} }, SETTINGS);
    ecs.neverFinishing.clear();
    const resumed = await applyBatch(
      [service("api")],
      { ecs, journal, clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.updates).toHaveLength(1);
    expect(ecs.registered).toHaveLength(1);
    expect(resumed.services[0]?.outcome).toEqual({ kind: "already moved", to: arn("web:2") });
  });

  it("leaves a service alone that deploys another revision now, and one that is gone", async () => {
    const ecs = new FakeEcs({ api: "web:3" });
    const result = await applyBatch(
      [service("api"), service("gone")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.updates).toEqual([]);
    expect(result.services.map((entry) => entry.outcome.kind)).toEqual(["not touched", "not touched"]);
  });

  it("registers the replacement of standalone tasks and leaves starting it to people, never touching the tasks", async () => {
    const ecs = new FakeEcs({});
    const standalone: WorkItem = {
      ...service("x"),
      target: { kind: "standalone", cluster: "batch" },
      startedBy: ["events-rule/nightly"],
    };
    const result = await applyBatch(
      [standalone],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(1);
    expect(ecs.updates).toEqual([]);
    expect(result.manualSteps).toEqual([
      { kind: "run-task", item: standalone, replacementArn: arn("web:2") },
    ]);
  });

  it.each([
    ["CODE_DEPLOY", "codedeploy-deployment"],
    ["EXTERNAL", "task-set"],
  ])(
    "sends no UpdateService to a %s service: it registers the replacement, names the next step and moves the rest",
    async (controller, kind) => {
      const ecs = new FakeEcs({ blue: "web:1", api: "web:1" });
      ecs.controllers.set("blue", controller);
      const result = await applyBatch(
        [service("blue"), service("api")],
        { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
        SETTINGS,
      );
      expect(ecs.updates).toEqual([`api->${arn("web:2")}`]);
      expect(result.manualSteps).toEqual([
        expect.objectContaining({ kind, replacementArn: arn("web:2"), item: service("blue") }),
      ]);
      expect(result.services.map((entry) => entry.outcome.kind)).toEqual(["manual step", "moved"]);
    },
  );

  it("records the intent before UpdateService, so a run killed right after it leaves the move in the journal", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    ecs.dieAfterUpdate = true;
    const journal = new MemoryJournalStore();
    await expect(
      applyBatch([service("api")], { ecs, journal, clock: clock(), report: () => {} }, SETTINGS),
    ).rejects.toThrow("killed");
    expect((await journal.load()).moved[`${ACCOUNT}/us-east-1/prod/api`]).toEqual(
      expect.objectContaining({ from: arn("web:1"), to: arn("web:2"), state: "intended" }),
    );
  });

  it("finishes a move a killed run began, though the service no longer runs the old revision, and records it completed", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    ecs.dieAfterUpdate = true;
    const journal = new MemoryJournalStore();
    await applyBatch([service("api")], { ecs, journal, clock: clock(), report: () => {} }, SETTINGS).catch(
      () => {},
    );
    ecs.dieAfterUpdate = false;
    const next = await applyBatch([], { ecs, journal, clock: clock(), report: () => {} }, SETTINGS);
    expect(next.reconciled).toEqual([expect.objectContaining({ service: "prod/api", state: "completed" })]);
    expect(ecs.updates).toHaveLength(1);
    expect((await journal.load()).moved[`${ACCOUNT}/us-east-1/prod/api`]?.state).toBe("completed");
  });

  it("refuses a recorded intent whose target is not the replacement of its source, and moves nothing", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const planted = ecs.plant({
      ...replacementFor(original("web:1")).input,
      containerDefinitions: [{ name: "app", image: "evil/miner:1", privileged: true }],
    });
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      moved: {
        [`${ACCOUNT}/us-east-1/prod/other`]: { from: arn("web:1"), to: planted, state: "intended", at: "t" },
      },
    };
    await expect(
      applyBatch(
        [],
        { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
        SETTINGS,
      ),
    ).rejects.toThrow(
      `${planted} is not the replacement of web:1 (family web): it differs in containerDefinitions[0].image`,
    );
    expect(ecs.updates).toEqual([]);
  });

  it("leaves to people a family whose roles the remediation may not pass: nothing registered, nothing moved", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      { ...SETTINGS, passableRoles: new Set(["other-task"]) },
    );
    expect(ecs.registered).toEqual([]);
    expect(ecs.updates).toEqual([]);
    expect(result.manualSteps).toEqual([
      expect.objectContaining({
        kind: "register",
        why: `its replacement passes arn:aws:iam::${ACCOUNT}:role/web-task, which the remediation may not pass to ECS: register it by hand`,
      }),
    ]);
  });

  it("registers when the family's roles are among those it may pass, named by ARN or name alike", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      { ...SETTINGS, passableRoles: new Set(["web-task"]) },
    );
    expect(ecs.registered).toHaveLength(1);
  });

  it("turns a PassRole denial at registration into a manual step instead of a failed run", async () => {
    const ecs = new FakeEcs({ api: "web:1", worker: "web:1" });
    ecs.denyPassRole = true;
    const result = await applyBatch(
      [service("api"), service("worker")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.updates).toEqual([]);
    expect(result.manualSteps.map((step) => step.kind)).toEqual(["register", "register"]);
    expect(result.stoppedAt).toBeUndefined();
  });
});
