import { simulateAws } from "../sim/clients";
import type { GeneratedAccount } from "./accounts";
import { scheduledEvent } from "./events";
import { type BucketCalls, byBucket } from "./floor";
import { container, invoke } from "./runRule";
import { VirtualClock } from "./virtualClock";

export const BENCH_START = Date.parse("2026-01-05T06:00:00Z");

export interface SweepFigures {
  /** The sweep's ECS calls: the reference the describe-every-revision strategy is compared with. */
  readonly calls: BucketCalls;
  readonly seconds: number;
  readonly failure: string | undefined;
}

/**
 * One periodic sweep of an account by a fresh container (as a daily sweep usually lands on a cold one),
 * against a simulated ECS that enforces AWS's buckets on the same virtual clock.
 */
export async function measureSweep(generated: GeneratedAccount): Promise<SweepFigures> {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(generated.account, { ecs: { throttleClock: clock } });
  const rule = container(generated.account.accountId, clock, aws.clients);
  const result = await invoke(rule, scheduledEvent(generated.account, clock.now()), clock);
  return { calls: byBucket(aws.ecs.calls), seconds: result.elapsedMs / 1000, failure: result.failure };
}
