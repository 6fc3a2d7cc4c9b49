import { remainingTime, VirtualClock } from "../../../bench/virtualClock";

const START = Date.parse("2026-01-05T06:00:00Z");

describe("the benchmark's virtual clock", () => {
  it("wakes sleepers in the order their timers fall due, jumping time forward", async () => {
    const clock = new VirtualClock(START);
    const woken: string[] = [];
    await Promise.all([
      clock.sleep(100).then(() => woken.push(`slow at ${clock.now() - START}`)),
      clock.sleep(50).then(() => woken.push(`fast at ${clock.now() - START}`)),
    ]);
    expect(woken).toEqual(["fast at 50", "slow at 100"]);
  });

  it("does not advance while other work can still run without waiting", async () => {
    const clock = new VirtualClock(START);
    const seen: number[] = [];
    const busy = async () => {
      for (let step = 0; step < 1_000; step++) {
        await Promise.resolve();
        seen.push(clock.now());
      }
    };
    await Promise.all([clock.sleep(1_000), busy()]);
    expect(new Set(seen)).toEqual(new Set([START]));
    expect(clock.now()).toBe(START + 1_000);
  });

  it("holds time still while tracked real I/O is in flight", async () => {
    const clock = new VirtualClock(START);
    let timeWhenIoEnded = 0;
    const io = clock.track(new Promise<void>((resolve) => setTimeout(resolve, 20))).then(() => {
      timeWhenIoEnded = clock.now();
    });
    await Promise.all([clock.sleep(5_000), io]);
    expect(timeWhenIoEnded).toBe(START);
  });

  it("fails the sleepers instead of running forever past its limit", async () => {
    const clock = new VirtualClock(START, { maxElapsedMs: 10_000 });
    const forever = async () => {
      for (;;) await clock.sleep(1_000);
    };
    await expect(forever()).rejects.toThrow(/nothing left to run before 10000 ms/);
    expect(clock.now()).toBe(START + 10_000);
  });

  it("counts a Lambda's remaining time down on virtual time", async () => {
    const clock = new VirtualClock(START);
    const remaining = remainingTime(clock, 900_000);
    await clock.sleep(60_000);
    expect(remaining()).toBe(840_000);
  });
});
