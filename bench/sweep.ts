import { simulateAws } from "../sim/clients";
import type { GeneratedAccount } from "./accounts";
import { scheduledEvent } from "./events";
import { type BucketCalls, byBucket } from "./floor";
import { container, invoke } from "./runRule";
import { VirtualClock } from "./virtualClock";

export const BENCH_START = Date.parse("2026-01-05T06:00:00Z");

export interface SweepFigures {
  readonly calls: BucketCalls;
  readonly callsByAction: ReadonlyMap<string, number>;
  readonly throttled: number;
  readonly seconds: number;
  readonly written: number;
  readonly failure: string | undefined;
}

function delta(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [action, count] of after) result.set(action, count - (before.get(action) ?? 0));
  return result;
}

/**
 * Two periodic sweeps of one account, each by a fresh container (as a daily sweep usually lands on a
 * cold one), against a simulated ECS that enforces AWS's buckets on the same virtual clock.
 */
export async function measureSweeps(generated: GeneratedAccount): Promise<[SweepFigures, SweepFigures]> {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(generated.account, { ecs: { throttleClock: clock } });
  const sweep = async (): Promise<SweepFigures> => {
    const callsBefore = new Map(aws.ecs.calls);
    const throttledBefore = aws.ecs.throttled;
    const writtenBefore = aws.config.written.length;
    const rule = container(generated.account.accountId, clock, aws.clients);
    const result = await invoke(rule, scheduledEvent(generated.account, clock.now()), clock);
    const callsByAction = delta(aws.ecs.calls, callsBefore);
    return {
      calls: byBucket(callsByAction),
      callsByAction,
      throttled: aws.ecs.throttled - throttledBefore,
      seconds: result.elapsedMs / 1000,
      written: aws.config.written.length - writtenBefore,
      failure: result.failure,
    };
  };
  const first = await sweep();
  // A day later, nothing changed: the buckets are full again and Config holds the first sweep's verdicts.
  await clock.sleep(24 * 3600_000 - 1);
  const second = await sweep();
  return [first, second];
}
