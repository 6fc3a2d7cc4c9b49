import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { EcsCaller } from "../../../lambda/adapters/ecsCalls";
import { ecsLimiters } from "../../../lambda/adapters/ecsReadBuckets";
import { TokenBucket } from "../../../lambda/util/tokenBucket";
import { throttling } from "../../support/awsErrors";
import { FakeClock } from "../../support/fakeClock";

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

describe("ECS calls through the caller", () => {
  it("slow the bucket down when ECS throttles, and still return the answer after a retry", async () => {
    const clock = new FakeClock();
    const limiters = ecsLimiters(1, clock);
    const slowDown = jest.spyOn(limiters.clusterRead, "slowDown");
    const speedUp = jest.spyOn(limiters.clusterRead, "speedUp");
    let attempts = 0;
    const client = {
      send: async () => {
        if (++attempts === 1) throw throttling();
        return { clusterArns: ["arn:aws:ecs:us-east-1:111111111111:cluster/prod"] };
      },
    };
    const caller = new EcsCaller(client as never, limiters, clock);
    const page = await caller.call("clusterRead", (ecs) => ecs.send(new ListClustersCommand({})));
    expect(page.clusterArns).toEqual(["arn:aws:ecs:us-east-1:111111111111:cluster/prod"]);
    expect(slowDown).toHaveBeenCalledTimes(1);
    expect(speedUp).toHaveBeenCalledTimes(1);
  });

  it("leave the bucket's rate alone when ECS answers with an error that is not throttling", async () => {
    const clock = new FakeClock();
    const limiters = ecsLimiters(1, clock);
    const slowDown = jest.spyOn(limiters.clusterRead, "slowDown");
    const notFound = Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" });
    const client = {
      send: async () => {
        throw notFound;
      },
    };
    const caller = new EcsCaller(client as never, limiters, clock);
    await expect(caller.call("clusterRead", (ecs) => ecs.send(new ListClustersCommand({})))).rejects.toBe(
      notFound,
    );
    expect(slowDown).not.toHaveBeenCalled();
  });
});
