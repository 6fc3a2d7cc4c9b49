import type { EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { runRemediate } from "../../../../cli/remediate/runRemediate";
import { MemoryJournalStore } from "../../../../lambda/remediation/adapters/memoryJournal";

const ACCOUNT = "111122223333";
const WEB = `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:1`;
const ecs = mockClient(ECSClient);

async function remediate(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runRemediate(argv, {
    clientsFor: () => ({
      ecs: () => new ECSClient({ region: "eu-west-1" }),
      elb: () =>
        ({
          send: async () => ({ TargetGroups: [], LoadBalancers: [], $metadata: {} }),
        }) as unknown as ElasticLoadBalancingV2Client,
      ec2: () =>
        ({
          send: async () => ({ NetworkInterfaces: [], Reservations: [], $metadata: {} }),
        }) as unknown as EC2Client,
      sts: () => ({ send: async () => ({ Account: ACCOUNT, $metadata: {} }) }),
      defaultRegion: async () => "eu-west-1",
    }),
    knownProfiles: async () => new Set(["ops"]),
    envProfile: undefined,
    readTextFile: async () => "[]",
    writeTextFile: async () => {},
    journalAt: () => new MemoryJournalStore(),
    confirm: async () => false,
    clock: { now: () => Date.UTC(2026, 11, 1), sleep: async () => undefined },
    stdout: (text) => stdout.push(text),
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

beforeEach(() => {
  ecs.reset();
  ecs.on(ListClustersCommand).resolves({ clusterArns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/prod`] });
  ecs.on(ListTasksCommand).resolves({ taskArns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:task/prod/t1`] });
  ecs.on(DescribeTasksCommand).resolves({
    tasks: [
      {
        taskArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/prod/t1`,
        taskDefinitionArn: WEB,
        group: "service:web",
        lastStatus: "RUNNING",
      },
    ],
    failures: [],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: WEB,
      family: "web",
      revision: 1,
      pidMode: "host",
      containerDefinitions: [{ name: "web" }],
    },
    tags: [],
  });
  ecs
    .on(DescribeClustersCommand)
    .resolves({ clusters: [{ clusterName: "prod", tags: [{ key: "environment", value: "prod" }] }] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: "web", status: "ACTIVE", taskDefinition: WEB, deployments: [] }],
    failures: [],
  });
});

describe("npm run remediate", () => {
  it("prints a dry run whose every command carries the Region and the profile", async () => {
    const result = await remediate(["--wave", "2", "--profile", "ops"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Wave 2: other production");
    expect(result.stdout).toContain(
      "NEW_WEB_1=$(aws ecs register-task-definition --region eu-west-1 --profile ops --cli-input-json file://register-web-1.json",
    );
    expect(result.stdout).toContain(
      'aws ecs update-service --region eu-west-1 --profile ops --cluster prod --service web --task-definition "$NEW_WEB_1"',
    );
    expect(result.stdout).toContain("Dry run: nothing was changed.");
  });

  it("says so when the wave is empty", async () => {
    const result = await remediate(["--wave", "1"]);
    expect(result.stdout).toContain("Wave 1: nothing to do.");
    expect(result.stdout).toContain("Other waves: wave 2 (1).");
  });

  it("fails with one line naming the missing permission", async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejects(
        Object.assign(
          new Error(
            `User: arn:aws:iam::${ACCOUNT}:user/ops is not authorized to perform: ecs:DescribeServices on resource: *`,
          ),
          { name: "AccessDeniedException" },
        ),
      );
    const result = await remediate(["--wave", "2"]);
    expect(result.status).toBe(254);
    expect(result.stderr.trim().split("\n")).toEqual([
      "exceptions: cdk.json (a JSON array), 0 entries, at most 365 days",
      "eu-west-1: reading what RUNNING tasks use ...",
      expect.stringMatching(/^error: missing permission ecs:DescribeServices/),
    ]);
    expect(result.stderr).toMatch(
      /^error: missing permission ecs:DescribeServices \(the remediation needs ecs:RegisterTaskDefinition, /m,
    );
  });

  it("refuses an unknown profile before calling AWS", async () => {
    const result = await remediate(["--wave", "1", "--profile", "nobody"]);
    expect(result.status).toBe(253);
    expect(result.stderr).toContain("unknown profile nobody");
    expect(ecs.calls()).toHaveLength(0);
  });
});
