import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { everyPage, forEachConcurrently, inUseReaders } from "../lambda/index";
import type { SimAccount } from "../sim/account";
import { simulateAws } from "../sim/clients";
import { type BucketCalls, byBucket } from "./floor";
import { RATE_SHARE } from "./runRule";
import { BENCH_START } from "./sweep";
import { VirtualClock } from "./virtualClock";

export interface StrategyFigures {
  readonly calls: BucketCalls;
  readonly throttled: number;
  readonly seconds: number;
  readonly hostRevisions: number;
}

/**
 * What Prowler and Steampipe do: list every ACTIVE revision, describe each one. Given the same ECS
 * plumbing as the rule (share of each bucket, retries, 8 describes in flight), so only the strategy differs.
 */
export async function describeEveryRevision(account: SimAccount): Promise<StrategyFigures> {
  const clock = new VirtualClock(BENCH_START);
  const aws = simulateAws(account, { ecs: { throttleClock: clock } });
  const { ecs } = inUseReaders(aws.clients.ecs(), { clock, share: RATE_SHARE });

  const arns: string[] = [];
  const pages = everyPage(
    (nextToken) =>
      ecs.call("taskDefinitionRead", (client) =>
        client.send(new ListTaskDefinitionsCommand({ status: "ACTIVE", maxResults: 100, nextToken })),
      ),
    (page) => page.nextToken,
  );
  for await (const page of pages) arns.push(...(page.taskDefinitionArns ?? []));

  let hostRevisions = 0;
  await forEachConcurrently(arns, 8, async (arn) => {
    const response = await ecs.call("taskDefinitionRead", (client) =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
    );
    if (response.taskDefinition?.pidMode === "host") hostRevisions++;
  });

  return {
    calls: byBucket(aws.ecs.calls),
    throttled: aws.ecs.throttled,
    seconds: (clock.now() - BENCH_START) / 1000,
    hostRevisions,
  };
}
