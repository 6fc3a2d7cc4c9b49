import { sharedRate } from "../lambda/index";
import { ECS_PUBLISHED_BUCKETS } from "../sim/ecsThrottling";
import type { GeneratedAccount } from "./accounts";
import type { BurstFigures } from "./burst";
import type { StrategyFigures } from "./describeEvery";
import { type BucketCalls, bucketBoundSeconds, totalOf } from "./floor";
import { count, megabytes, ratio, seconds, type TargetCheck, table } from "./format";
import type { MemoryFigures } from "./memory";
import { RATE_SHARE } from "./runRule";
import type { SweepFigures } from "./sweep";

export interface AccountResults {
  readonly generated: GeneratedAccount;
  readonly activeRevisions: number;
  readonly floor: BucketCalls;
  readonly sweep: SweepFigures;
  /** The same burst with differently seeded retry jitter. */
  readonly bursts: readonly BurstFigures[];
  readonly singleContainerBurst: BurstFigures;
  /** The same burst with items captured just now (a restarted recorder), which give no sign of a burst. */
  readonly freshItemsBurst: BurstFigures;
  readonly describeEvery: { readonly computed: BucketCalls; readonly measured: StrategyFigures | undefined };
  readonly memory: MemoryFigures;
}

const LAMBDA_LIMIT_S = 900;

/** A burst's virtual time, or where it was cut short (its time then means nothing). */
function burstTime(burst: BurstFigures): string {
  return burst.stoppedEarly
    ? `**stopped after ${count(burst.handled)} of ${count(burst.events)} events** (calls past the cap)`
    : seconds(burst.seconds);
}

/** The per-account table: each time against its floor, memory, and the describe-every-revision strategy. */
export function accountTable(results: AccountResults): string {
  const { floor, sweep, bursts, singleContainerBurst, freshItemsBurst, describeEvery, memory } = results;
  const bound = bucketBoundSeconds(floor, RATE_SHARE);
  const rate = sharedRate(ECS_PUBLISHED_BUCKETS[bound.bucket], RATE_SHARE);
  const strategyCalls = totalOf(describeEvery.computed);
  const strategySeconds = bucketBoundSeconds(describeEvery.computed, RATE_SHARE).seconds;
  const measured = describeEvery.measured;
  const strategySource = measured
    ? `measured against the simulator: ${count(totalOf(measured.calls))} calls, ${seconds(measured.seconds)}, ${count(measured.throttled)} throttled; the formula gives ${count(strategyCalls)} calls, ${seconds(strategySeconds)}`
    : "computed from the formula (ListTaskDefinitions pages + one DescribeTaskDefinition per ACTIVE revision), not run";
  const burst = bursts[0] as BurstFigures;
  return table(
    ["figure", "rule", "floor / reference", "ratio"],
    [
      [
        "sweep time (virtual)",
        seconds(sweep.seconds),
        `${seconds(bound.seconds)}: ${bound.bucket} bucket at share ${RATE_SHARE} (burst ${rate.burst}, ${rate.refillPerSecond}/s)`,
        ratio(sweep.seconds / bound.seconds),
      ],
      [
        `burst of ${count(burst.events)} change notifications, ${burst.containersUsed} warm containers (${bursts.length} runs, jitter seeds differ): virtual time`,
        bursts.map((run, index) => `run ${index + 1}: ${burstTime(run)}`).join("<br>"),
        "",
        "",
      ],
      [
        `same burst, items captured just now (a restarted recorder: no sign of a burst), ${freshItemsBurst.containersUsed} containers: virtual time`,
        burstTime(freshItemsBurst),
        "",
        "",
      ],
      ["same burst, 1 warm container (for contrast): virtual time", burstTime(singleContainerBurst), "", ""],
      [
        "peak memory of the rule in a full sweep (own process)",
        `${megabytes(memory.peakRssMb)} resident (${megabytes(memory.baselineRssMb)} after loading), heap peak ${megabytes(memory.peakHeapUsedMb)}`,
        "512 MB",
        "",
      ],
      [
        "describe-every-revision strategy (Prowler, Steampipe): ECS calls",
        count(strategyCalls),
        `rule: ${count(totalOf(sweep.calls))}`,
        ratio(strategyCalls / totalOf(sweep.calls)),
      ],
      [
        "describe-every-revision strategy: bucket-bound time at the same share",
        seconds(strategySeconds),
        `rule: ${seconds(sweep.seconds)}`,
        ratio(strategySeconds / sweep.seconds),
      ],
      ["describe-every-revision: how it was obtained", strategySource, "", ""],
    ],
  );
}

/** The issue's targets for one account that depend on time or memory (call counts are unit tests). */
export function accountTargets(results: AccountResults): TargetCheck[] {
  const { generated, floor, sweep } = results;
  const name = generated.profile.name;
  const bound = bucketBoundSeconds(floor, RATE_SHARE).seconds;
  const checks: TargetCheck[] = [
    {
      target: `${name}: sweep time ≤ 1.2 × bucket-bound floor where that floor ≥ 10 s (${seconds(bound)})`,
      measured: `${seconds(sweep.seconds)}${sweep.failure ? ` (sweep failed: ${sweep.failure})` : ""}`,
      met: bound < 10 ? undefined : sweep.seconds <= 1.2 * bound && sweep.failure === undefined,
    },
  ];
  if (name === "large") {
    checks.push(
      {
        target: `large: sweep within Lambda's 15-minute limit at share ${RATE_SHARE}`,
        measured: `${seconds(sweep.seconds)} of ${LAMBDA_LIMIT_S} s`,
        met: sweep.seconds <= LAMBDA_LIMIT_S && sweep.failure === undefined,
      },
      {
        target: "large: peak memory of the rule ≤ 512 MB",
        measured: `${megabytes(results.memory.peakRssMb)} resident`,
        met: results.memory.peakRssMb <= 512 && results.memory.failure === null,
      },
    );
  }
  return checks;
}
