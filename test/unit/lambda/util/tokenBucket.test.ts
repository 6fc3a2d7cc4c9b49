import { TimeLimitError } from "../../../../lambda/errors";
import { TokenBucket } from "../../../../lambda/util/tokenBucket";
import { FakeClock } from "../../../support/fakeClock";

describe("the client-side token bucket", () => {
  it("lets a burst through at once, then paces calls at the refill rate", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 2, refillPerSecond: 4 }, clock);
    for (let call = 0; call < 4; call++) await bucket.take();
    expect(clock.sleeps).toEqual([250, 250]);
  });

  it("counts a sleep it asked for as time passed, so a clock that stands still cannot hold its queue forever", async () => {
    const stillClock = FakeClock.standingStill();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, stillClock);
    await Promise.all(Array.from({ length: 3 }, () => bucket.take()));
    expect(stillClock.sleeps).toEqual([250, 250]);
  });
});

/** Sleeps the bucket asks for on `calls` takes after its burst of 1 is spent. */
async function pacing(bucket: TokenBucket, clock: FakeClock, calls: number): Promise<number[]> {
  const before = clock.sleeps.length;
  for (let call = 0; call < calls; call++) await bucket.take();
  return clock.sleeps.slice(before);
}

describe("the token bucket when ECS throttles anyway", () => {
  it("halves its rate after a throttle", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, clock);
    await bucket.take();
    bucket.slowDown();
    expect(await pacing(bucket, clock, 2)).toEqual([500, 500]);
  });

  it("never slows below a sixteenth of its configured rate", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, clock);
    await bucket.take();
    for (let throttle = 0; throttle < 10; throttle++) bucket.slowDown();
    expect(await pacing(bucket, clock, 1)).toEqual([4_000]);
  });

  it("wins its rate back a step a second as calls succeed, and never goes past it", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, clock);
    await bucket.take();
    bucket.slowDown(); // 2 per second
    for (let second = 0; second < 5; second++) {
      await clock.sleep(1_000);
      bucket.speedUp(); // + 0.2
    }
    await bucket.take();
    expect(await pacing(bucket, clock, 1)).toEqual([Math.ceil(1_000 / 3)]);
    for (let second = 0; second < 100; second++) {
      await clock.sleep(1_000);
      bucket.speedUp();
    }
    await bucket.take();
    expect(await pacing(bucket, clock, 1)).toEqual([250]);
  });

  it("wins back no more than one step in a second however many calls succeed, so a queue is not throttled again at once", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, clock);
    await bucket.take();
    bucket.slowDown();
    await clock.sleep(1_000);
    for (let success = 0; success < 100; success++) bucket.speedUp();
    await bucket.take();
    expect(await pacing(bucket, clock, 1)).toEqual([Math.ceil(1_000 / 2.2)]);
  });
});

describe("the token bucket against a time budget", () => {
  it("refuses at once a caller whose turn would come after its budget ends, and keeps the token for the rest", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 1 }, clock);
    await bucket.take();
    await expect(bucket.take({ msLeft: () => 500 })).rejects.toThrow(TimeLimitError);
    expect(clock.sleeps).toEqual([]);
    await bucket.take({ msLeft: () => 5_000 });
    expect(clock.sleeps).toEqual([1_000]);
  });

  it("refuses the callers still waiting when ECS's throttling slows the queue past their budget", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 10 }, clock);
    const startedAt = clock.now();
    const budget = { msLeft: () => startedAt + 10_000 - clock.now() };
    await bucket.take(budget);
    const queued = Array.from({ length: 60 }, () => bucket.take(budget));
    bucket.slowDown();
    bucket.slowDown(); // 2.5 a second: 25 more fit in the 10 s
    const outcomes = await Promise.allSettled(queued);
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    expect(admitted).toBeGreaterThanOrEqual(20);
    expect(admitted).toBeLessThanOrEqual(26);
    expect(clock.now() - startedAt).toBeLessThan(10_000);
  });

  it("serves a queue in order at the rate of the moment, so a recovered rate speeds up every caller still waiting", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 10 }, clock);
    await bucket.take();
    bucket.slowDown();
    const order: number[] = [];
    const queued = Array.from({ length: 60 }, (_, index) =>
      bucket.take().then(() => {
        order.push(index);
        bucket.speedUp();
      }),
    );
    await Promise.all(queued);
    expect(order).toEqual(Array.from({ length: 60 }, (_, index) => index));
    // At the halved rate throughout, 59 more tokens take 11.8 s; winning a step back each second, well under.
    expect(clock.sleeps.reduce((total, sleep) => total + sleep, 0)).toBeLessThan(10_000);
  });

  it("refuses every caller queued past the budget, so a queue of thousands reserved at once ends at the deadline", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 10, refillPerSecond: 10 }, clock);
    const startedAt = clock.now();
    const budget = { msLeft: () => startedAt + 30_000 - clock.now() };
    const outcomes = await Promise.allSettled(Array.from({ length: 5_000 }, () => bucket.take(budget)));
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    expect(admitted).toBeGreaterThanOrEqual(300);
    expect(admitted).toBeLessThanOrEqual(310);
    expect(Math.max(...clock.sleeps)).toBeLessThan(30_000);
  });
});
