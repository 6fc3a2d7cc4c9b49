import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { applyBatch, type RemediationEcs } from "../../../../lambda/remediation/apply";
import { EMPTY_JOURNAL, type Journal, MemoryJournalStore } from "../../../../lambda/remediation/journal";
import { REPLACES_TAG } from "../../../../lambda/remediation/replacement";
import type { ServiceState } from "../../../../lambda/remediation/rollout";
import type { WorkItem } from "../../../../lambda/remediation/waves";

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

/** ECS as the apply sees it: services that finish (or fail) a deployment after `pollsToFinish` reads. */
class FakeEcs implements RemediationEcs {
  readonly registered: RegisterTaskDefinitionCommandInput[] = [];
  readonly updates: string[] = [];
  readonly services = new Map<string, { taskDefinition: string; reads: number }>();
  readonly tagged = new Map<string, string>();
  failing = new Set<string>();
  neverFinishing = new Set<string>();
  private nextRevision = 2;

  constructor(services: Record<string, string>) {
    for (const [name, revision] of Object.entries(services))
      this.services.set(name, { taskDefinition: arn(revision), reads: 0 });
  }

  async describeRevision(revisionArn: string): Promise<DescribeTaskDefinitionCommandOutput> {
    const [family, revision] = revisionArn.split("/")[1]?.split(":") ?? [];
    return {
      taskDefinition: {
        family,
        revision: Number(revision),
        pidMode: "host",
        containerDefinitions: [{ name: "app" }],
      },
      tags: [{ key: "team", value: "web" }],
      $metadata: {},
    };
  }

  async findReplacement(family: string, replaces: string): Promise<string | undefined> {
    return this.tagged.get(`${family}|${replaces}`);
  }

  async register(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    this.registered.push(input);
    const registered = arn(`${input.family}:${this.nextRevision++}`);
    const replaces = input.tags?.find((tag) => tag.key === REPLACES_TAG)?.value ?? "";
    this.tagged.set(`${input.family}|${replaces}`, registered);
    return registered;
  }

  async describeService(_cluster: string, name: string): Promise<ServiceState | undefined> {
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
  }
}

const clock = () => {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
};

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
    const journal: Journal = {
      ...EMPTY_JOURNAL,
      registered: { [`${ACCOUNT}/us-east-1/${arn("web:1")}`]: arn("web:7") },
    };
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(journal), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(0);
    expect(result.registrations).toEqual([
      { revision: "web:1", replacementArn: arn("web:7"), how: "reused from the journal" },
    ]);
    expect(ecs.updates).toEqual([`api->${arn("web:7")}`]);
  });

  it("reuses a tagged replacement when the journal was lost", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    ecs.tagged.set("web|web:1", arn("web:5"));
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(ecs.registered).toHaveLength(0);
    expect(result.registrations[0]?.how).toBe("reused (tagged replacement)");
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

  it("stops when a deployment does not finish within the time limit", async () => {
    const ecs = new FakeEcs({ api: "web:1" });
    ecs.neverFinishing.add("api");
    const result = await applyBatch(
      [service("api")],
      { ecs, journal: new MemoryJournalStore(), clock: clock(), report: () => {} },
      SETTINGS,
    );
    expect(result.stoppedAt?.why).toMatch(/^the deployment did not finish within 60 s/);
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
    expect(resumed.services[0]?.outcome).toEqual({ kind: "moved", to: arn("web:2") });
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

  it("never touches standalone tasks, and returns them for whoever starts them", async () => {
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
    expect(ecs.registered).toEqual([]);
    expect(ecs.updates).toEqual([]);
    expect(result.standalone).toEqual([standalone]);
  });
});
