import { TokenBucket } from "../../../../lambda/util/tokenBucket";
import { FakeClock } from "../../../support/fakeClock";

describe("the client-side token bucket", () => {
  it("lets a burst through at once, then paces calls at the refill rate", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 2, refillPerSecond: 4 }, clock);
    for (let call = 0; call < 4; call++) await bucket.take();
    expect(clock.sleeps).toEqual([250, 250]);
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

  it("wins its rate back step by step as calls succeed, and never goes past it", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ burst: 1, refillPerSecond: 4 }, clock);
    await bucket.take();
    bucket.slowDown(); // 2 per second
    for (let success = 0; success < 5; success++) bucket.speedUp(); // + 5 × 0.2
    const [recovered] = await pacing(bucket, clock, 1);
    expect(recovered).toBeCloseTo(1_000 / 3, 6);
    for (let success = 0; success < 100; success++) bucket.speedUp();
    const [full] = await pacing(bucket, clock, 1);
    expect(full).toBeCloseTo(250, 3);
  });
});
