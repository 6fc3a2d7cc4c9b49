import { CachedInUseSource } from "../../../../lambda/adapters/cachedInUseSource";
import type { InUseSource } from "../../../../lambda/adapters/inUseReader";
import type { InUseView } from "../../../../lambda/core/inUseView";
import type { ReadCost } from "../../../../lambda/rule/ports";
import { FakeClock } from "../../../support/fakeClock";

const WEB = {
  arn: "arn:aws:ecs:us-east-1:111111111111:task-definition/web:7",
  family: "web",
  revision: 7,
  placements: [{ cluster: "prod", service: "web" }],
};

function view(overrides: Partial<InUseView> = {}): InUseView {
  return {
    scope: { kind: "account" },
    revisions: [WEB],
    daemonRevisions: [],
    unrecognisedArns: [],
    clusterArns: [],
    unreadParts: [],
    ...overrides,
  };
}

/**
 * A source whose reads take `readMs` on the clock, as a throttled read of a large account does, and cost
 * what a real read of `clusters` clusters would: one ListTasks per cluster (and family), one ListClusters
 * page, and for an account read a DescribeTasks per cluster too.
 */
function fakeSource(
  clock: FakeClock,
  options: { readMs?: number; clusters?: number; result?: InUseView } = {},
) {
  const reads: (readonly string[] | "account")[] = [];
  const clusters = options.clusters ?? 10;
  const source: InUseSource = {
    read: async (readOptions = {}) => {
      const families = readOptions.families;
      reads.push(families ?? "account");
      await clock.sleep(options.readMs ?? 0);
      const cost: ReadCost = {
        calls: 1 + (families === undefined ? 2 * clusters : clusters * families.length),
        clusters,
      };
      readOptions.onFinished?.(cost);
      return families === undefined
        ? (options.result ?? view())
        : view({
            scope: { kind: "families", families },
            ...(options.result ? { unreadParts: options.result.unreadParts } : {}),
          });
    },
  };
  return { source, reads };
}

/** A cache with a 60-second time to live over a `fakeSource` on a fresh FakeClock. */
function cachedOver(options: Parameters<typeof fakeSource>[1] = {}) {
  const clock = new FakeClock();
  const { source, reads } = fakeSource(clock, options);
  return { clock, reads, cached: new CachedInUseSource(source, clock, 60_000) };
}

describe("the account-wide view of a warm container", () => {
  it("is reused for change notifications while it is fresh, even when its read outlasted the time to live", async () => {
    const { clock, reads, cached } = cachedOver({ readMs: 200_000 });
    await cached.readAccount();
    clock.advance(59_000);
    const answer = await cached.readFamilies(["web"]);
    expect(reads).toEqual(["account"]);
    expect(answer.scope).toEqual({ kind: "account" });
  });

  it("is not reused once the time to live has passed since the read finished", async () => {
    const { clock, reads, cached } = cachedOver({ readMs: 200_000 });
    await cached.readAccount();
    clock.advance(60_000);
    await cached.readFamilies(["web"]);
    expect(reads).toEqual(["account", ["web"]]);
  });

  it("is not kept when part of it was unread", async () => {
    const { reads, cached } = cachedOver({ result: view({ unreadParts: ["cluster big: denied"] }) });
    await cached.readAccount();
    await cached.readFamilies(["web"]);
    expect(reads).toEqual(["account", ["web"]]);
  });

  it("is read afresh by every sweep, even within the time to live", async () => {
    const { reads, cached } = cachedOver();
    await cached.readAccount();
    await cached.readAccount();
    expect(reads).toEqual(["account", "account"]);
  });

  it("announces the cached revisions of the asked families to a caller that describes revisions early", async () => {
    const { cached } = cachedOver();
    await cached.readAccount();
    const announced: string[] = [];
    await cached.readFamilies(["web"], { onRevision: (arn) => announced.push(arn) });
    await cached.readFamilies(["other"], { onRevision: (arn) => announced.push(arn) });
    expect(announced).toEqual([WEB.arn]);
  });
});

describe("choosing the read for a change notification", () => {
  it("reads only the changed family for a lone change", async () => {
    const { reads, cached } = cachedOver({ clusters: 1000 });
    const answer = await cached.readFamilies(["web"]);
    expect(reads).toEqual([["web"]]);
    expect(answer.scope).toEqual({ kind: "families", families: ["web"] });
  });

  it("switches to one account-wide read once the family reads of a burst would cost more, and answers the rest from it", async () => {
    const { clock, reads, cached } = cachedOver({ clusters: 1000 });
    for (const family of ["a", "b", "c", "d", "e"]) {
      await cached.readFamilies([family]);
      clock.advance(1_000);
    }
    // 1 family read (1,001 calls) learns the cluster count; the second would make 2,002 ≥ 2,001.
    expect(reads).toEqual([["a"], "account"]);
  });

  it("goes back to family reads once the burst is over", async () => {
    const { clock, reads, cached } = cachedOver({ clusters: 1000 });
    await cached.readFamilies(["a"]);
    await cached.readFamilies(["b"]);
    clock.advance(120_000);
    await cached.readFamilies(["c"]);
    expect(reads).toEqual([["a"], "account", ["c"]]);
  });

  it("reads the account when it costs no more than one family read, as on an account of one cluster", async () => {
    const { clock, reads, cached } = cachedOver({ clusters: 1 });
    await cached.readAccount();
    clock.advance(120_000);
    await cached.readFamilies(["a", "b", "c"]);
    expect(reads).toEqual(["account", "account"]);
  });

  it("reads the account at once for a notification that says many more will follow, and answers them from it", async () => {
    const { reads, cached } = cachedOver({ clusters: 10 });
    await cached.readFamilies(["a"], { manyMayFollow: true });
    await cached.readFamilies(["b"], { manyMayFollow: true });
    await cached.readFamilies(["c"]);
    expect(reads).toEqual(["account"]);
  });

  it("still reads only the family for a lone change after a burst that read the account has ended", async () => {
    const { clock, reads, cached } = cachedOver({ clusters: 10 });
    await cached.readFamilies(["a"], { manyMayFollow: true });
    clock.advance(120_000);
    await cached.readFamilies(["b"]);
    expect(reads).toEqual(["account", ["b"]]);
  });

  it("counts a streak even when each family read takes longer than the time to live, as on a large account", async () => {
    const { reads, cached } = cachedOver({ clusters: 1000, readMs: 100_000 });
    await cached.readFamilies(["a"]);
    await cached.readFamilies(["b"]);
    expect(reads).toEqual([["a"], "account"]);
  });

  it("keeps reading the account for the rest of a streak once its view expires, without family reads in between", async () => {
    const { clock, reads, cached } = cachedOver({ clusters: 1000 });
    await cached.readFamilies(["a"]);
    for (let event = 0; event < 5; event++) {
      await cached.readFamilies([`f${event}`]);
      clock.advance(30_000);
    }
    expect(reads).toEqual([["a"], "account", "account", "account"]);
  });
});

describe("the clusters a sweep read, kept for its retry", () => {
  const prod = "arn:aws:ecs:us-east-1:111111111111:cluster/prod";
  const read = { clusterArn: prod, tasks: [{ taskDefinitionArn: WEB.arn, placement: { cluster: "prod" } }] };

  function recordingSource(complete = true) {
    const earlier: (readonly string[])[] = [];
    const source: InUseSource = {
      read: async (options = {}) => {
        earlier.push([...(options.earlierReads?.keys() ?? [])]);
        options.onClusterRead?.({ ...read, complete });
        return view({ unreadParts: ["cluster dev: not read before the time limit"] });
      },
    };
    return { source, earlier };
  }

  /** A cache that keeps cluster reads for 35 minutes, over a `recordingSource(complete)` on `clock`. */
  function resumingOver(complete = true, clock = new FakeClock()) {
    const { source, earlier } = recordingSource(complete);
    return { clock, earlier, cached: new CachedInUseSource(source, clock, 60_000, 35 * 60_000) };
  }

  it("are handed to a retry of the same sweep, and to nothing else", async () => {
    const { clock, earlier, cached } = resumingOver();
    await cached.readAccount({ resumeKey: "rule 2026-01-05T06:00:00.000Z" });
    await clock.sleep(60_000);
    await cached.readAccount({ resumeKey: "rule 2026-01-05T06:00:00.000Z" });
    await cached.readAccount({ resumeKey: "rule 2026-01-05T07:00:00.000Z" });
    await cached.readAccount({});
    await cached.readFamilies(["web"]);
    expect(earlier).toEqual([[], [prod], [], [], []]);
  });

  it("are read again once older than an attempt and its retries can span, or when part of the cluster was unread", async () => {
    const { clock, earlier, cached } = resumingOver();
    await cached.readAccount({ resumeKey: "sweep" });
    await clock.sleep(35 * 60_000 + 1);
    await cached.readAccount({ resumeKey: "sweep" });
    const partial = resumingOver(false, clock);
    await partial.cached.readAccount({ resumeKey: "sweep" });
    await partial.cached.readAccount({ resumeKey: "sweep" });
    expect(earlier).toEqual([[], []]);
    expect(partial.earlier).toEqual([[], []]);
  });

  it("are not kept for a sweep that reads with daemons after one that read without them", async () => {
    const { earlier, cached } = resumingOver();
    await cached.readAccount({ resumeKey: "sweep", includeDaemons: false });
    await cached.readAccount({ resumeKey: "sweep", includeDaemons: true });
    expect(earlier).toEqual([[], []]);
  });
});
