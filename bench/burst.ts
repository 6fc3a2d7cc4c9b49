import type { SimRevision } from "../sim/account";
import { simulateAws } from "../sim/clients";
import { type GeneratedAccount, seededRandom } from "./accounts";
import { taskDefinitionChangeEvent } from "./events";
import { type BucketCalls, byBucket } from "./floor";
import { container, invoke } from "./runRule";
import { BENCH_START } from "./sweep";
import { VirtualClock } from "./virtualClock";

export const WARM_CONTAINERS = 4;

/**
 * The rule's retry jitter draws from Math.random, and under throttling the outcome of a burst depends on
 * it. Each run seeds it, so that a run can be repeated, and the benchmark shows several.
 */
async function withSeededRandom<T>(seed: number, work: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return await work();
  } finally {
    Math.random = original;
  }
}

export interface BurstFigures {
  readonly events: number;
  readonly handled: number;
  readonly containersUsed: number;
  readonly calls: BucketCalls;
  readonly throttled: number;
  readonly failed: number;
  readonly seconds: number;
  /** Set when the burst was cut short because its calls ran far past the target. */
  readonly stoppedEarly: boolean;
}

/** The latest ACTIVE revision of every family: what Config records and notifies about when the rule is created. */
function latestActiveByFamily(revisions: readonly SimRevision[]): SimRevision[] {
  const latest = new Map<string, SimRevision>();
  for (const revision of revisions) {
    if ((revision.status ?? "ACTIVE") !== "ACTIVE") continue;
    const known = latest.get(revision.family);
    if (!known || known.revision < revision.revision) latest.set(revision.family, revision);
  }
  return [...latest.values()].sort((a, b) => a.family.localeCompare(b.family));
}

/**
 * When the burst's items were captured: `earlier` when Config re-sends what it recorded (a new rule, a
 * re-evaluation), `now` when it records everything afresh (a restarted recorder).
 */
export type BurstItems = "earlier" | "now";

/** How long before the burst `earlier` items were captured. */
const RECORDED_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * One change notification per recorded task definition, drained by `containers` warm containers that each take
 * the next event when they are free (as Lambda hands out asynchronous events), all sharing the account's
 * ECS buckets. `callCap` stops handing out events once the burst has spent that many ECS calls.
 */
export function measureBurst(
  generated: GeneratedAccount,
  containers: number,
  callCap: number,
  seed: number,
  items: BurstItems = "earlier",
): Promise<BurstFigures> {
  return withSeededRandom(seed, () => runBurst(generated, containers, callCap, items));
}

async function runBurst(
  generated: GeneratedAccount,
  containers: number,
  callCap: number,
  items: BurstItems,
): Promise<BurstFigures> {
  const { account } = generated;
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(account, { ecs: { throttleClock: clock } });
  const queue = latestActiveByFamily(account.revisions);
  let next = 0;
  let failed = 0;
  const used = new Set<number>();

  const drain = async (containerIndex: number): Promise<void> => {
    const rule = container(account.accountId, clock, aws.clients);
    while (next < queue.length && aws.ecs.totalCalls < callCap) {
      const latest = queue[next++] as SimRevision;
      used.add(containerIndex);
      const at = clock.now();
      const capturedAt = items === "earlier" ? BENCH_START - RECORDED_BEFORE_MS : at;
      const result = await invoke(rule, taskDefinitionChangeEvent(account, latest, at, capturedAt), clock);
      if (result.failure !== undefined) failed++;
    }
  };
  await Promise.all(Array.from({ length: containers }, (_, index) => drain(index)));

  return {
    events: queue.length,
    handled: next,
    containersUsed: used.size,
    calls: byBucket(aws.ecs.calls),
    throttled: aws.ecs.throttled,
    failed,
    seconds: (clock.now() - BENCH_START) / 1000,
    stoppedEarly: next < queue.length,
  };
}
