import { ResumableServiceSource } from "../../../../lambda/adapters/resumableServiceSource";
import type { ServiceState, ServiceToDescribe } from "../../../../lambda/core/services";
import type { ServiceSource } from "../../../../lambda/rule/ports";
import { FakeClock } from "../../../support/fakeClock";

const service = (name: string): ServiceToDescribe => ({
  cluster: "prod",
  name,
  resourceId: `arn:aws:ecs:us-east-1:111111111111:service/prod/${name}`,
});

/** Describes every service but those named in `unreadable`; records what it was asked. */
function recordingSource(unreadable: readonly string[] = []) {
  const asked: string[][] = [];
  const source: ServiceSource = {
    describe: async (services) => {
      asked.push(services.map((one) => one.name));
      const states = new Map<string, ServiceState>();
      const unread = new Map<string, string>();
      for (const one of services) {
        if (unreadable.includes(one.name)) unread.set(one.resourceId, `service prod/${one.name}: denied`);
        else states.set(one.resourceId, { exists: true, name: one.name } as unknown as ServiceState);
      }
      return { states, unread };
    },
  };
  return { source, asked };
}

describe("the services a sweep described, kept for its retries", () => {
  it("answers a retry of the same sweep from what it described and describes only the rest", async () => {
    const clock = new FakeClock();
    const { source, asked } = recordingSource(["db"]);
    const resumable = new ResumableServiceSource(source, clock, 35 * 60_000);
    await resumable.describe([service("api"), service("db")], { resumeKey: "sweep 1" });
    await clock.sleep(60_000);
    const retry = await resumable.describe([service("api"), service("db"), service("web")], {
      resumeKey: "sweep 1",
    });
    expect(asked).toEqual([
      ["api", "db"],
      ["db", "web"],
    ]);
    expect([...retry.states.keys()]).toEqual([service("api").resourceId, service("web").resourceId]);
    expect([...retry.unread.keys()]).toEqual([service("db").resourceId]);
  });

  it("describes afresh for another sweep, for a read without a key, and once what it kept is too old", async () => {
    const clock = new FakeClock();
    const { source, asked } = recordingSource();
    const resumable = new ResumableServiceSource(source, clock, 35 * 60_000);
    await resumable.describe([service("api")], { resumeKey: "sweep 1" });
    await resumable.describe([service("api")]);
    await resumable.describe([service("api")], { resumeKey: "sweep 2" });
    await clock.sleep(35 * 60_000 + 1);
    await resumable.describe([service("api")], { resumeKey: "sweep 2" });
    expect(asked).toEqual([["api"], ["api"], ["api"], ["api"]]);
  });
});
