// A sweep that runs out of time keeps the clusters it read to the end, with their age, so that Lambda's
// retries of the same event (1 and 2 minutes later, usually in the same warm container) continue it.
import { type GeneratedAccount, generateAccount, PROFILES } from "../../../../bench/accounts";
import { scheduledEvent } from "../../../../bench/events";
import { container } from "../../../../bench/runRule";
import { BENCH_START } from "../../../../bench/sweep";
import { remainingTime, VirtualClock } from "../../../../bench/virtualClock";
import { IncompleteEvaluationError } from "../../../../lambda/errors";
import { parseRuleEvent } from "../../../../lambda/event";
import { DEFAULT_RESERVE_MS } from "../../../../lambda/rule/pidModeRule";
import { failureOf } from "../../../../lambda/rule/writeAndReport";
import { simulateAws } from "../../../../sim/clients";

jest.setTimeout(120_000);

let medium: GeneratedAccount;
beforeAll(() => {
  medium = generateAccount(
    PROFILES.find((profile) => profile.name === "medium") as (typeof PROFILES)[number],
  );
});

/** One container, one scheduled event, and Lambda's retries of it `retryDelaysMs` after each failure. */
async function sweepWithRetries(budgetMs: number, retryDelaysMs: readonly number[]) {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(medium.account, { ecs: { throttleClock: clock } });
  const rule = container(medium.account.accountId, clock, aws.clients);
  const event = parseRuleEvent(scheduledEvent(medium.account, clock.now()));
  const listTasksPerAttempt: number[] = [];
  for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
    const before = aws.ecs.calls.get("ListTasks") ?? 0;
    const outcome = failureOf(await rule.handle(event, remainingTime(clock, budgetMs)));
    listTasksPerAttempt.push((aws.ecs.calls.get("ListTasks") ?? 0) - before);
    if (outcome === undefined) return { attempts: attempt + 1, listTasksPerAttempt, aws };
    expect(outcome).toBeInstanceOf(IncompleteEvaluationError);
    const delay = retryDelaysMs[attempt];
    if (delay !== undefined) await clock.sleep(delay);
  }
  return { attempts: undefined, listTasksPerAttempt, aws };
}

async function oneFullSweep() {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(medium.account, { ecs: { throttleClock: clock } });
  const rule = container(medium.account.accountId, clock, aws.clients);
  await rule.handle(parseRuleEvent(scheduledEvent(medium.account, clock.now())), remainingTime(clock));
  return aws.config.currentVerdicts();
}

describe("a sweep too big for one invocation", () => {
  it("reads in a retry only the clusters no earlier attempt read to the end", async () => {
    const listTasksPages = medium.account.clusters.reduce(
      (sum, cluster) => sum + Math.max(1, Math.ceil(cluster.tasks.length / 100)),
      0,
    );
    const { listTasksPerAttempt } = await sweepWithRetries(DEFAULT_RESERVE_MS + 50_000, [60_000, 120_000]);
    const [first = 0, second = 0, third = 0] = listTasksPerAttempt;
    expect(first).toBeLessThan(listTasksPages);
    expect(first + second).toBeGreaterThanOrEqual(listTasksPages);
    // A cluster cut off midway is read again from its first page: a few pages more than the floor.
    expect(first + second).toBeLessThan(listTasksPages + 20);
    expect(third).toBe(0);
  });

  it("completes in a retry with the verdicts one long sweep reaches", async () => {
    const { attempts, aws } = await sweepWithRetries(DEFAULT_RESERVE_MS + 70_000, [60_000, 120_000]);
    expect(attempts).toBe(2);
    expect(aws.config.currentVerdicts()).toEqual(await oneFullSweep());
  });

  it("completes within the invocation and its two retries though describing its services outlasts one attempt", async () => {
    const { attempts, aws } = await sweepWithRetries(DEFAULT_RESERVE_MS + 50_000, [60_000, 120_000]);
    expect(attempts).toBeLessThanOrEqual(3);
    expect(aws.config.currentVerdicts()).toEqual(await oneFullSweep());
  });

  it("reads again the clusters an attempt read longer ago than an attempt and its two retries can span", async () => {
    const { listTasksPerAttempt } = await sweepWithRetries(DEFAULT_RESERVE_MS + 50_000, [36 * 60_000]);
    const [first = 0, second = 0] = listTasksPerAttempt;
    expect(second).toBeGreaterThanOrEqual(first - 20);
  });
});
