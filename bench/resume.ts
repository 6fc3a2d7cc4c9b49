import { createRule, parseRuleEvent, ruleSettings } from "../lambda/index";
import { simulateAws } from "../sim/clients";
import type { AccountProfile, GeneratedAccount } from "./accounts";
import { scheduledEvent } from "./events";
import { count, seconds, type TargetCheck, table } from "./format";
import { failureText } from "./runRule";
import { BENCH_START } from "./sweep";
import { remainingTime, VirtualClock } from "./virtualClock";

/** Three times the large account: the size a sweep must cover within an invocation and its two retries. */
export const RETRIED_SWEEP_PROFILE: AccountProfile = {
  name: "150,000 tasks",
  clusters: 3_000,
  runningTasks: 150_000,
  revisions: 300_000,
  inUseRevisions: 15_000,
  families: 15_000,
};

/** Lambda retries a failed asynchronous invocation twice, after about 1 and 2 minutes. */
const RETRY_DELAYS_MS = [60_000, 120_000] as const;
const LAMBDA_LIMIT_MS = 15 * 60_000;

export interface RetriedSweepFigures {
  readonly name: string;
  readonly tasks: number;
  /** Each attempt: virtual seconds, ListTasks calls, and how it ended. */
  readonly attempts: readonly { seconds: number; listTasks: number; outcome: string }[];
  readonly completed: boolean;
}

/** One warm container sweeping the account, and Lambda's retries of the event while it fails. */
export async function measureRetriedSweep(
  generated: GeneratedAccount,
  name: string,
): Promise<RetriedSweepFigures> {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(generated.account, { ecs: { throttleClock: clock } });
  const rule = createRule(ruleSettings({ ownAccountId: generated.account.accountId, clock }), aws.clients);
  const event = parseRuleEvent(scheduledEvent(generated.account, clock.now()));
  const attempts = [];
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
    const started = clock.now();
    const listTasksBefore = aws.ecs.calls.get("ListTasks") ?? 0;
    const outcome =
      (await failureText(rule.handle(event, remainingTime(clock, LAMBDA_LIMIT_MS)))) ?? "completed";
    attempts.push({
      seconds: (clock.now() - started) / 1000,
      listTasks: (aws.ecs.calls.get("ListTasks") ?? 0) - listTasksBefore,
      outcome,
    });
    if (outcome === "completed") break;
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay !== undefined) await clock.sleep(delay);
  }
  const tasks = generated.account.clusters.reduce((sum, cluster) => sum + cluster.tasks.length, 0);
  return { name, tasks, attempts, completed: attempts.at(-1)?.outcome === "completed" };
}

export function retriedSweepSection(figures: RetriedSweepFigures): { text: string; checks: TargetCheck[] } {
  const rows = figures.attempts.map((attempt, index) => [
    index === 0 ? "the invocation" : `retry ${index}`,
    seconds(attempt.seconds),
    count(attempt.listTasks),
    attempt.outcome.slice(0, 120),
  ]);
  return {
    text: table(["attempt", "time (virtual)", "ListTasks calls", "outcome"], rows),
    checks: [
      {
        target: `${figures.name}: a sweep completes within the invocation and its two retries at the default share`,
        measured: `${figures.attempts.length} invocation(s), ${figures.completed ? "completed" : "not completed"}`,
        met: figures.completed,
      },
    ],
  };
}
