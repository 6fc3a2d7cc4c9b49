import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { ECS_READ_BUCKETS } from "../../../lambda/adapters/ecsReadBuckets";
import { simulateAws } from "../../../sim/clients";
import { ECS_PUBLISHED_BUCKETS, type EcsBucket } from "../../../sim/ecsThrottling";
import { ACCOUNT, REGION } from "../../support/ecsIds";
import { FakeClock } from "../../support/fakeClock";
import { sampleAccount } from "../../support/sampleAccount";

/** One cheap read of each bucket, against the sample account. */
const READS: Record<EcsBucket, (client: Pick<ECSClient, "send">) => Promise<unknown>> = {
  clusterRead: (client) => client.send(new ListClustersCommand({})),
  clusterResourceRead: (client) => client.send(new ListTasksCommand({ cluster: "prod" })),
  taskDefinitionRead: (client) => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web:3" })),
  serviceRead: (client) => client.send(new DescribeServicesCommand({ cluster: "prod", services: ["api"] })),
};

function throttledSimulator() {
  const clock = new FakeClock();
  const aws = simulateAws(
    { accountId: ACCOUNT, region: REGION, ...sampleAccount },
    { ecs: { throttleClock: clock } },
  );
  return { clock, aws, client: aws.clients.ecs() };
}

async function outcome(send: () => Promise<unknown>): Promise<string> {
  try {
    await send();
    return "ok";
  } catch (error) {
    return (error as Error).name;
  }
}

describe("the simulated ECS's throttling", () => {
  it.each(Object.keys(ECS_PUBLISHED_BUCKETS) as EcsBucket[])(
    "answers ThrottlingException to the call after the %s bucket's published burst, on a stopped clock",
    async (bucket) => {
      const { aws, client } = throttledSimulator();
      const { burst } = ECS_PUBLISHED_BUCKETS[bucket];
      const results: string[] = [];
      for (let call = 0; call <= burst; call++) results.push(await outcome(() => READS[bucket](client)));
      expect(results.slice(0, burst)).toEqual(Array(burst).fill("ok"));
      expect(results[burst]).toBe("ThrottlingException");
      expect(aws.ecs.throttled).toBe(1);
    },
  );

  it("refills a bucket at its published rate: one second after emptying it, that many calls pass and no more", async () => {
    const { clock, client } = throttledSimulator();
    const { burst, refillPerSecond } = ECS_PUBLISHED_BUCKETS.taskDefinitionRead;
    for (let call = 0; call < burst; call++) await READS.taskDefinitionRead(client);
    clock.advance(1_000);
    const results: string[] = [];
    for (let call = 0; call <= refillPerSecond; call++)
      results.push(await outcome(() => READS.taskDefinitionRead(client)));
    expect(results.filter((result) => result === "ok")).toHaveLength(refillPerSecond);
    expect(results[refillPerSecond]).toBe("ThrottlingException");
  });

  it("draws every action of a bucket from the same tokens: a burst of ListTasks leaves no DescribeTasks", async () => {
    const { client } = throttledSimulator();
    for (let call = 0; call < ECS_PUBLISHED_BUCKETS.clusterResourceRead.burst; call++)
      await READS.clusterResourceRead(client);
    expect(await outcome(() => client.send(new DescribeTasksCommand({ cluster: "prod", tasks: [] })))).toBe(
      "ThrottlingException",
    );
    // Other buckets are untouched.
    expect(await outcome(() => READS.clusterRead(client))).toBe("ok");
  });
});

describe("the rule's client-side bucket table against the simulator's", () => {
  it("names the same buckets and never asks for more burst or refill than ECS publishes", () => {
    expect(Object.keys(ECS_READ_BUCKETS).sort()).toEqual(Object.keys(ECS_PUBLISHED_BUCKETS).sort());
    for (const bucket of Object.keys(ECS_PUBLISHED_BUCKETS) as EcsBucket[]) {
      expect(ECS_READ_BUCKETS[bucket].burst).toBeLessThanOrEqual(ECS_PUBLISHED_BUCKETS[bucket].burst);
      expect(ECS_READ_BUCKETS[bucket].refillPerSecond).toBeLessThanOrEqual(
        ECS_PUBLISHED_BUCKETS[bucket].refillPerSecond,
      );
    }
  });
});
