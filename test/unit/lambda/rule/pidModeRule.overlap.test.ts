// A sweep describes each cluster's services (and the revisions they want) as soon as that cluster is read,
// while other clusters' tasks are still being read: the phases overlap instead of running one after another.
import { generateAccount, PROFILES } from "../../../../bench/accounts";
import { scheduledEvent } from "../../../../bench/events";
import { container, invoke } from "../../../../bench/runRule";
import { BENCH_START } from "../../../../bench/sweep";
import { VirtualClock } from "../../../../bench/virtualClock";
import { simulateAws } from "../../../../sim/clients";

jest.setTimeout(60_000);

it("describes services while other clusters' tasks are still being read, each service once", async () => {
  const generated = generateAccount(
    PROFILES.find((profile) => profile.name === "small") as (typeof PROFILES)[number],
  );
  const clock = new VirtualClock(BENCH_START);
  const order: string[] = [];
  const aws = simulateAws(generated.account, {
    ecs: { throttleClock: clock, intercept: (action: string) => void order.push(action) },
  });
  const result = await invoke(
    container(generated.account.accountId, clock, aws.clients),
    scheduledEvent(generated.account, clock.now()),
    clock,
  );

  expect(result.failure).toBeUndefined();
  expect(order.indexOf("DescribeServices")).toBeGreaterThan(-1);
  expect(order.indexOf("DescribeServices")).toBeLessThan(order.lastIndexOf("DescribeTasks"));
  const services = new Set(
    generated.account.clusters.flatMap((cluster) =>
      cluster.tasks.flatMap((task) => (task.service ? [`${cluster.name}/${task.service}`] : [])),
    ),
  );
  const perCluster = new Map<string, number>();
  for (const service of services) {
    const cluster = service.split("/")[0] as string;
    perCluster.set(cluster, (perCluster.get(cluster) ?? 0) + 1);
  }
  const fewest = [...perCluster.values()].reduce((sum, count) => sum + Math.ceil(count / 10), 0);
  expect(order.filter((action) => action === "DescribeServices")).toHaveLength(fewest);
});
