import { ecsLimiters } from "../../../../lambda/adapters/ecsReadBuckets";
import { FakeClock } from "../../../support/fakeClock";

describe("the client-side token bucket", () => {
  it("takes only its share of each ECS bucket", async () => {
    const clock = new FakeClock();
    const limiters = ecsLimiters(0.5, clock);
    for (let call = 0; call < 26; call++) await limiters.taskDefinitionRead.take();
    // 25 of a 50 burst free, then 10 per second.
    expect(clock.sleeps).toEqual([100]);
  });

  it("refuses a share outside (0, 1]", () => {
    expect(() => ecsLimiters(0, new FakeClock())).toThrow(/share/);
    expect(() => ecsLimiters(1.5, new FakeClock())).toThrow(/share/);
  });
});
