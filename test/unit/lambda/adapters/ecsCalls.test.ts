import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { EcsCaller } from "../../../../lambda/adapters/ecsCalls";
import { ecsLimiters } from "../../../../lambda/adapters/ecsReadBuckets";
import { throttling } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

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
