import { createRule, DEFAULT_RESERVE_MS, parseRuleEvent, ruleSettings } from "../lambda/index";
import { simulateAws } from "../sim/clients";
import type { GeneratedAccount } from "./accounts";
import { scheduledEvent } from "./events";
import { bucketBoundSeconds, sweepFloor } from "./floor";
import { ratio, seconds, type TargetCheck, table } from "./format";
import { failureText } from "./runRule";
import { BENCH_START } from "./sweep";
import { remainingTime, VirtualClock } from "./virtualClock";

const SHARES = [0.5, 1] as const;
const LAMBDA_LIMIT_MS = 15 * 60_000;

export interface ShareFigures {
  readonly name: string;
  /** Real seconds the two sweeps took on this machine, rule and simulator together: a bound on the rule's CPU. */
  readonly realSeconds: number;
  readonly byShare: readonly {
    share: number;
    seconds: number;
    floorSeconds: number;
    bucket: string;
    throttled: number;
    failure: string | undefined;
  }[];
  /** An invocation given half the reading time the sweep needs: when it returned against its budget. */
  readonly shortBudget: {
    budgetSeconds: number;
    returnedSeconds: number;
    written: number;
    failure: string | undefined;
  };
}

/** One fresh container's sweep on the simulated account, at `share` of each ECS bucket, within `limitMs`. */
async function sweepAt(generated: GeneratedAccount, share: number, limitMs = LAMBDA_LIMIT_MS) {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(generated.account, { ecs: { throttleClock: clock } });
  const rule = createRule(
    ruleSettings({ ownAccountId: generated.account.accountId, clock }, { ecsRateShare: share }),
    aws.clients,
  );
  const started = clock.now();
  const result = await failureText(
    rule.handle(parseRuleEvent(scheduledEvent(generated.account, started)), remainingTime(clock, limitMs)),
  );
  return {
    seconds: (clock.now() - started) / 1000,
    throttled: aws.ecs.throttled,
    written: aws.config.written.length,
    failure: result,
  };
}

/** Sweep time against the busiest bucket's floor at half and all of each bucket, and a short invocation. */
export async function measureShares(generated: GeneratedAccount, name: string): Promise<ShareFigures> {
  const floor = sweepFloor(generated.account, generated.inUse.length);
  const byShare = [];
  const realStart = performance.now();
  for (const share of SHARES) {
    const sweep = await sweepAt(generated, share);
    const bound = bucketBoundSeconds(floor, share);
    byShare.push({
      share,
      seconds: sweep.seconds,
      floorSeconds: bound.seconds,
      bucket: bound.bucket,
      throttled: sweep.throttled,
      failure: sweep.failure,
    });
  }
  const realSeconds = (performance.now() - realStart) / 1000;
  const needed = (byShare[0]?.seconds ?? 0) * 1000;
  const budgetMs = DEFAULT_RESERVE_MS + Math.max(10_000, needed / 2);
  const short = await sweepAt(generated, SHARES[0], budgetMs);
  return {
    name,
    realSeconds,
    byShare,
    shortBudget: {
      budgetSeconds: budgetMs / 1000,
      returnedSeconds: short.seconds,
      written: short.written,
      failure: short.failure,
    },
  };
}

export function sharesSection(figures: readonly ShareFigures[]): { text: string; checks: TargetCheck[] } {
  const rows = figures.flatMap((account) =>
    account.byShare.map((run) => [
      account.name,
      String(run.share),
      `${seconds(run.seconds)}${run.failure ? ` (failed: ${run.failure.slice(0, 80)})` : ""}`,
      `${seconds(run.floorSeconds)} (${run.bucket})`,
      ratio(run.seconds / run.floorSeconds),
      String(run.throttled),
      run.share === SHARES[0] ? seconds(account.realSeconds) : "",
    ]),
  );
  const budgetRows = figures.map(({ name, shortBudget }) => [
    name,
    seconds(shortBudget.budgetSeconds),
    seconds(shortBudget.returnedSeconds),
    seconds(shortBudget.budgetSeconds - shortBudget.returnedSeconds),
    String(shortBudget.written),
  ]);
  const checks: TargetCheck[] = figures.flatMap(({ name, byShare, shortBudget }) => {
    const [half, whole] = byShare;
    if (half === undefined || whole === undefined) return [];
    const worst = Math.max(half.seconds / half.floorSeconds, whole.seconds / whole.floorSeconds);
    return [
      {
        target: `${name}: sweep ≤ 1.2 × the busiest bucket's floor at share 0.5 and 1 where that floor ≥ 10 s`,
        measured: `${ratio(half.seconds / half.floorSeconds)} and ${ratio(whole.seconds / whole.floorSeconds)}`,
        met: half.floorSeconds < 10 ? undefined : worst <= 1.2 && !half.failure && !whole.failure,
      },
      {
        target: `${name}: a sweep given the whole bucket is not slower than one given half`,
        measured: `${seconds(whole.seconds)} vs ${seconds(half.seconds)}`,
        met: whole.seconds <= half.seconds,
      },
      {
        target: `${name}: an invocation given half the time it needs returns before the reserve (${DEFAULT_RESERVE_MS / 1000} s) ends`,
        measured: `returned at ${seconds(shortBudget.returnedSeconds)} of ${seconds(shortBudget.budgetSeconds)}`,
        met: shortBudget.returnedSeconds <= shortBudget.budgetSeconds - DEFAULT_RESERVE_MS / 1000 + 1,
      },
    ];
  });
  const text = [
    table(
      [
        "account",
        "share",
        "sweep (virtual)",
        "busiest bucket's floor",
        "ratio",
        "throttled",
        "real time of both sweeps (rule and simulator)",
      ],
      rows,
    ),
    "",
    "An invocation given the reserve plus half the reading time the sweep needs (share 0.5): it stops reading where the reserve begins, writes what is certain and fails loudly, long before Lambda's timeout.",
    "",
    table(
      ["account", "budget", "returned at", "left before Lambda's timeout", "evaluations written"],
      budgetRows,
    ),
  ].join("\n");
  return { text, checks };
}
