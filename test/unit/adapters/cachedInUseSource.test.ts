import { CachedInUseSource } from "../../../lambda/adapters/cachedInUseSource";
import type { InUseSource } from "../../../lambda/adapters/inUseReader";
import type { InUseView } from "../../../lambda/core/types";
import { FakeClock } from "../../support/fakeClock";

const COMPLETE: InUseView = {
  revisions: [
    {
      arn: "arn:aws:ecs:us-east-1:111111111111:task-definition/web:7",
      family: "web",
      revision: 7,
      placements: [{ cluster: "prod", service: "web" }],
    },
  ],
  unreadParts: [],
};

/** A source whose every read takes `readMs` on the clock, as a throttled read of a large account does. */
function slowSource(clock: FakeClock, readMs: number, view: InUseView = COMPLETE) {
  let reads = 0;
  const source: InUseSource = {
    read: async () => {
      reads++;
      await clock.sleep(readMs);
      return view;
    },
  };
  return { source, reads: () => reads };
}

describe("the cached account-wide view", () => {
  it("reuses a view that took longer to read than its time to live for the next events", async () => {
    const clock = new FakeClock();
    const { source, reads } = slowSource(clock, 200_000);
    const cached = new CachedInUseSource(source, clock, 60_000);
    await cached.read();
    clock.advance(59_000);
    await cached.read();
    expect(reads()).toBe(1);
  });

  it("reads again once the time to live has passed since the read finished", async () => {
    const clock = new FakeClock();
    const { source, reads } = slowSource(clock, 200_000);
    const cached = new CachedInUseSource(source, clock, 60_000);
    await cached.read();
    clock.advance(60_000);
    await cached.read();
    expect(reads()).toBe(2);
  });

  it("does not keep a view with unread parts", async () => {
    const clock = new FakeClock();
    const { source, reads } = slowSource(clock, 1_000, {
      revisions: [],
      unreadParts: ["cluster prod: denied"],
    });
    const cached = new CachedInUseSource(source, clock, 60_000);
    await cached.read();
    await cached.read();
    expect(reads()).toBe(2);
  });

  it("reads afresh when asked for a fresh view, even within the time to live", async () => {
    const clock = new FakeClock();
    const { source, reads } = slowSource(clock, 1_000);
    const cached = new CachedInUseSource(source, clock, 60_000);
    await cached.read();
    await cached.read({ fresh: true });
    expect(reads()).toBe(2);
  });

  it("announces every cached revision to a caller that describes revisions early", async () => {
    const clock = new FakeClock();
    const { source } = slowSource(clock, 1_000);
    const cached = new CachedInUseSource(source, clock, 60_000);
    await cached.read();
    const announced: string[] = [];
    await cached.read({ onRevision: (arn) => announced.push(arn) });
    expect(announced).toEqual(["arn:aws:ecs:us-east-1:111111111111:task-definition/web:7"]);
  });
});
