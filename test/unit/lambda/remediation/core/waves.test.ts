import type { Exposure } from "../../../../../lambda/remediation/core/exposure";
import type { Production } from "../../../../../lambda/remediation/core/production";
import { planWaves, type WorkItem, waveOf } from "../../../../../lambda/remediation/core/waves";

const exposed: Exposure = { status: "exposed", evidence: [{ kind: "service-assigns-public-ip" }] };
const hidden: Exposure = { status: "not-exposed" };
const unreadExposure: Exposure = { status: "unknown", unread: ["target group tg"] };
const production: Production = { status: "production", evidence: "cluster name prod" };
const other: Production = { status: "not-production", evidence: "service tag env=dev" };
const unknown: Production = { status: "unknown", why: "no tag" };

function item(service: string, exposure: Exposure, prod: Production, runningTasks = 1): WorkItem {
  return {
    revision: "web:1",
    revisionArn: "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1",
    target: { kind: "service", cluster: "c", service },
    runningTasks,
    exposure,
    production: prod,
  };
}

describe("waves", () => {
  it.each<[Exposure, Production, number]>([
    [exposed, production, 1],
    [unreadExposure, production, 1],
    [hidden, production, 2],
    [exposed, other, 3],
    [exposed, unknown, 3],
    [hidden, other, 4],
    [hidden, unknown, 4],
  ])("puts exposure %j with production %j in wave %d", (exposure, prod, wave) => {
    expect(waveOf({ exposure, production: prod })).toBe(wave);
  });

  it("orders each wave by RUNNING tasks, then by name, and leaves out empty waves", () => {
    const waves = planWaves(
      [
        item("b", hidden, other, 2),
        item("a", hidden, other, 2),
        item("big", hidden, other, 9),
        item("p", exposed, production),
      ],
      10,
    );
    expect(waves.map((wave) => wave.number)).toEqual([1, 4]);
    expect(
      waves[1]?.items.map((entry) => (entry.target.kind === "service" ? entry.target.service : "")),
    ).toEqual(["big", "a", "b"]);
  });

  it("splits a wave's services into batches of the batch size and keeps standalone groups out of them", () => {
    const standalone: WorkItem = {
      ...item("x", hidden, other, 50),
      target: { kind: "standalone", cluster: "c" },
    };
    const [wave] = planWaves(
      [item("s1", hidden, other, 5), item("s2", hidden, other, 4), item("s3", hidden, other, 3), standalone],
      2,
    );
    expect(wave?.batches.map((batch) => batch.services.length)).toEqual([2, 1]);
    expect(wave?.batches.map((batch) => batch.number)).toEqual([1, 2]);
    expect(wave?.standalone).toEqual([standalone]);
    expect(wave?.items[0]).toBe(standalone);
  });

  it.each([[0], [-3], [1.5]])("refuses a batch size of %d", (size) => {
    expect(() => planWaves([], size)).toThrow("batch size must be a whole number of at least 1");
  });
});
