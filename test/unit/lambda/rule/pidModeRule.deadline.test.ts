// Every wait of a sweep (a token, a backoff) keeps the invocation's deadline: on an account too big for
// the time given, the invocation returns, with what is certain written, before Lambda's timeout.
import { type GeneratedAccount, generateAccount, PROFILES } from "../../../../bench/accounts";
import { scheduledEvent } from "../../../../bench/events";
import { container } from "../../../../bench/runRule";
import { BENCH_START } from "../../../../bench/sweep";
import { remainingTime, VirtualClock } from "../../../../bench/virtualClock";
import { IncompleteEvaluationError } from "../../../../lambda/errors";
import { parseRuleEvent } from "../../../../lambda/event";
import { DEFAULT_RESERVE_MS, FINAL_MARGIN_MS } from "../../../../lambda/rule/pidModeRule";
import { failureOf } from "../../../../lambda/rule/writeAndReport";
import { simulateAws } from "../../../../sim/clients";

jest.setTimeout(60_000);

let medium: GeneratedAccount;
beforeAll(() => {
  medium = generateAccount(
    PROFILES.find((profile) => profile.name === "medium") as (typeof PROFILES)[number],
  );
});

async function sweepWithin(budgetMs: number, throttleEvery?: number) {
  const clock = new VirtualClock(BENCH_START);
  let describeServices = 0;
  const aws = simulateAws(medium.account, {
    ecs: {
      throttleClock: clock,
      ...(throttleEvery === undefined
        ? {}
        : {
            intercept: (action: string) => {
              if (action === "DescribeServices" && ++describeServices % throttleEvery === 0) {
                const error = new Error("Rate exceeded");
                error.name = "ThrottlingException";
                throw error;
              }
            },
          }),
    },
  });
  const rule = container(medium.account.accountId, clock, aws.clients);
  const started = clock.now();
  const report = await rule.handle(
    parseRuleEvent(scheduledEvent(medium.account, started)),
    remainingTime(clock, budgetMs),
  );
  return {
    report,
    outcome: failureOf(report),
    elapsedMs: clock.now() - started,
    written: aws.config.written.length,
  };
}

describe("a sweep given less time than the account needs", () => {
  it.each([{ readingSeconds: 20 }, { readingSeconds: 50 }, { readingSeconds: 80 }])(
    "stops reading where the reserve begins ($readingSeconds s in) and fails loudly long before Lambda's timeout",
    async ({ readingSeconds }) => {
      const budgetMs = DEFAULT_RESERVE_MS + readingSeconds * 1000;
      const { outcome, elapsedMs } = await sweepWithin(budgetMs);
      expect(outcome).toBeInstanceOf(IncompleteEvaluationError);
      expect(elapsedMs).toBeLessThanOrEqual(budgetMs - DEFAULT_RESERVE_MS + 1_000);
    },
  );

  it("keeps the deadline while ECS throttles the services it describes", async () => {
    const budgetMs = DEFAULT_RESERVE_MS + 80_000;
    const { outcome, elapsedMs } = await sweepWithin(budgetMs, 3);
    expect(outcome).toBeInstanceOf(IncompleteEvaluationError);
    expect(elapsedMs).toBeLessThan(budgetMs - FINAL_MARGIN_MS);
  });

  it("writes every certain verdict before it fails", async () => {
    const { outcome, report, written } = await sweepWithin(DEFAULT_RESERVE_MS + 80_000);
    expect(outcome).toBeInstanceOf(IncompleteEvaluationError);
    expect(written).toBe(report.evaluationsWritten);
    expect(report.unreadParts.some((part) => /time limit/.test(part))).toBe(true);
  });

  it("completes with time to spare when the budget is enough", async () => {
    const { outcome } = await sweepWithin(15 * 60_000);
    expect(outcome).toBeUndefined();
  });
});
