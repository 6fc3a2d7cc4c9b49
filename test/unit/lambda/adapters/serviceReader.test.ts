import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  ECSClient,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { EcsCaller } from "../../../../lambda/adapters/ecsCalls";
import { ecsLimiters } from "../../../../lambda/adapters/ecsReadBuckets";
import { EcsServiceReader } from "../../../../lambda/adapters/serviceReader";
import described from "../../../fixtures/ecs/describe-services.json";
import { accessDenied } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

const ecs = mockClient(ECSClient);
const serviceArn = (cluster: string, name: string) =>
  `arn:aws:ecs:us-east-1:111111111111:service/${cluster}/${name}`;
const toRead = (cluster: string, name: string) => ({ cluster, name, resourceId: serviceArn(cluster, name) });

function reader() {
  const clock = new FakeClock();
  return new EcsServiceReader(
    new EcsCaller(new ECSClient({ region: "us-east-1" }), ecsLimiters(1, clock), clock),
  );
}

beforeEach(() => ecs.reset());

describe("describing services", () => {
  it("asks for at most 10 services of one cluster a call", async () => {
    ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).map((arn) => ({ serviceArn: arn, status: "ACTIVE", desiredCount: 0 })),
      failures: [],
    }));
    const services = [
      ...Array.from({ length: 23 }, (_, index) => toRead("prod", `s${index}`)),
      toRead("dev", "one"),
    ];
    const read = await reader().describe(services);
    const calls = ecs.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => [input.cluster, input.services?.length])).toEqual([
      ["prod", 10],
      ["prod", 10],
      ["prod", 3],
      ["dev", 1],
    ]);
    expect(read.states.size).toBe(24);
    expect(read.unread.size).toBe(0);
  });

  it("reads what the verdict depends on from a recorded DescribeServices answer", async () => {
    ecs.on(DescribeServicesCommand).resolves(described as never);
    const read = await reader().describe([toRead("prod", "api"), toRead("prod", "gone")]);
    expect(read.states.get(serviceArn("prod", "api"))).toEqual({
      arn: serviceArn("prod", "api"),
      cluster: "prod",
      name: "api",
      exists: true,
      wantsTasks: true,
      wanted: "arn:aws:ecs:us-east-1:111111111111:task-definition/api:8",
      referenced: [
        "arn:aws:ecs:us-east-1:111111111111:task-definition/api:7",
        "arn:aws:ecs:us-east-1:111111111111:task-definition/api:8",
      ],
      taskSets: [],
    });
    expect(read.states.get(serviceArn("prod", "gone"))).toMatchObject({ exists: false });
  });

  it("takes every service of a deleted cluster as deleted", async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejects(new ClusterNotFoundException({ message: "Cluster not found.", $metadata: {} }));
    const read = await reader().describe([toRead("old", "api")]);
    expect(read.states.get(serviceArn("old", "api"))).toMatchObject({ exists: false, wantsTasks: false });
  });

  it("leaves services it may not describe unread, naming them, and a failure other than MISSING too", async () => {
    ecs
      .on(DescribeServicesCommand, { cluster: "prod" })
      .rejects(accessDenied("ecs:DescribeServices"))
      .on(DescribeServicesCommand, { cluster: "dev" })
      .resolves({ services: [], failures: [{ arn: serviceArn("dev", "x"), reason: "INTERNAL_ERROR" }] });
    const read = await reader().describe([toRead("prod", "api"), toRead("dev", "x")]);
    expect([...read.unread.values()]).toEqual([
      expect.stringMatching(/^service prod\/api: AccessDeniedException/),
      "service dev/x: INTERNAL_ERROR",
    ]);
    expect(read.states.size).toBe(0);
  });
});
