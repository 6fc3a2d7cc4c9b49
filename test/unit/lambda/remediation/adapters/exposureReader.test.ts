import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  DescribeNetworkInterfacesCommand,
  type DescribeNetworkInterfacesCommandOutput,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  type DescribeContainerInstancesCommandOutput,
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTasksCommand,
  type DescribeTasksCommandOutput,
  ECSClient,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeLoadBalancersCommand,
  type DescribeLoadBalancersCommandOutput,
  DescribeTargetGroupsCommand,
  type DescribeTargetGroupsCommandOutput,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import type { InUseRevision } from "../../../../../lambda/core/inUseView";
import { MissingPermissionError } from "../../../../../lambda/errors";
import { ExposureReader } from "../../../../../lambda/remediation/adapters/exposureReader";
import { PacedCalls } from "../../../../../lambda/remediation/adapters/paced";
import { classifyExposure, describeExposure } from "../../../../../lambda/remediation/core/exposure";
import instancesJson from "../../../../fixtures/ec2/describe-instances.json";
import interfacesJson from "../../../../fixtures/ec2/describe-network-interfaces.json";
import containerInstancesJson from "../../../../fixtures/ecs/describe-container-instances.json";
import servicesJson from "../../../../fixtures/ecs/describe-services-api.json";
import tasksJson from "../../../../fixtures/ecs/describe-tasks-public.json";
import loadBalancersJson from "../../../../fixtures/elasticloadbalancingv2/describe-load-balancers.json";
import targetGroupsJson from "../../../../fixtures/elasticloadbalancingv2/describe-target-groups.json";

const containerInstances = containerInstancesJson as unknown as DescribeContainerInstancesCommandOutput;
const instances = instancesJson as unknown as DescribeInstancesCommandOutput;
const loadBalancers = loadBalancersJson as unknown as DescribeLoadBalancersCommandOutput;
const interfaces = interfacesJson as unknown as DescribeNetworkInterfacesCommandOutput;
const services = servicesJson as unknown as DescribeServicesCommandOutput;
const targetGroups = targetGroupsJson as unknown as DescribeTargetGroupsCommandOutput;
const tasks = tasksJson as unknown as Required<Pick<DescribeTasksCommandOutput, "tasks">> &
  DescribeTasksCommandOutput;

const ACCOUNT = "111122223333";
const AGENT = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/agent:3`;
const WEB = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:9`;
const revisions: InUseRevision[] = [
  {
    arn: AGENT,
    family: "agent",
    revision: 3,
    placements: [{ cluster: "prod", service: "api" }, { cluster: "prod" }],
  },
  { arn: WEB, family: "web", revision: 9, placements: [{ cluster: "prod", service: "web" }] },
];

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const ec2 = mockClient(EC2Client);
const clock = { now: () => 0, sleep: async () => undefined };

function reader() {
  return new ExposureReader(
    {
      ecs: new ECSClient({ region: "us-east-1" }),
      elb: new ElasticLoadBalancingV2Client({ region: "us-east-1" }),
      ec2: new EC2Client({ region: "us-east-1" }),
    },
    new PacedCalls(clock),
  );
}

const error = (name: string, message = name) => Object.assign(new Error(message), { name });

beforeEach(() => {
  ecs.reset();
  elb.reset();
  ec2.reset();
  ecs.on(ListTasksCommand).resolves({ taskArns: tasks.tasks.map((task) => task.taskArn as string) });
  ecs.on(DescribeTasksCommand).resolves(tasks);
  ecs.on(DescribeServicesCommand).resolves(services);
  ecs
    .on(DescribeClustersCommand)
    .resolves({ clusters: [{ clusterName: "prod", tags: [{ key: "stage", value: "prod" }] }] });
  ecs.on(DescribeContainerInstancesCommand).resolves(containerInstances);
  elb.on(DescribeTargetGroupsCommand).resolves(targetGroups);
  elb.on(DescribeLoadBalancersCommand).resolves(loadBalancers);
  ec2.on(DescribeNetworkInterfacesCommand).resolves(interfaces);
  ec2.on(DescribeInstancesCommand).resolves(instances);
});

describe("reading what exposes a service or a standalone group", () => {
  it("finds the internet-facing load balancer, the task's public IP and the instance's public IP", async () => {
    const read = await reader().read(revisions);
    const api = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "api",
    );
    expect(api).toMatchObject({
      revisionArn: AGENT,
      runningTasks: 1,
      serviceTags: [{ key: "environment", value: "production" }],
      clusterTags: [{ key: "stage", value: "prod" }],
      exposure: {
        loadBalancers: [{ loadBalancer: "public-alb", targetGroup: "api-tg", scheme: "internet-facing" }],
        assignPublicIp: "DISABLED",
        taskPublicIps: [{ task: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e", publicIp: "203.0.113.10" }],
        instancePublicIps: [
          {
            task: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
            instanceId: "i-0abcdef1234567890",
            publicIp: "198.51.100.20",
          },
        ],
        unread: [],
      },
    });
  });

  it("groups standalone tasks by cluster and says who started them", async () => {
    const read = await reader().read(revisions);
    const standalone = read.targets.find((target) => target.target.kind === "standalone");
    expect(standalone).toMatchObject({
      target: { kind: "standalone", cluster: "prod" },
      startedBy: ["events-rule/nightly-agent"],
      runningTasks: 1,
    });
    expect(standalone?.exposure.instancePublicIps).toHaveLength(1);
  });

  it("notes a service DescribeServices reports MISSING, which leaves that service's exposure unknown", async () => {
    const read = await reader().read(revisions);
    expect(read.unreadParts).toContain("service prod/web: MISSING");
    const web = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "web",
    );
    expect(web?.exposure.unread).toEqual(["service prod/web"]);
  });

  it("asks DescribeServices for at most 10 services a call", async () => {
    const many: InUseRevision[] = [{ arn: AGENT, family: "agent", revision: 3, placements: [] }];
    const manyTasks = Array.from({ length: 23 }, (_, index) => ({
      ...tasks.tasks[2],
      taskArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/prod/t${index}`,
      group: `service:s${String(index).padStart(2, "0")}`,
      taskDefinitionArn: AGENT,
    }));
    many[0] = { ...many[0], placements: [{ cluster: "prod" }] } as InUseRevision;
    ecs.on(DescribeTasksCommand).resolves({ tasks: manyTasks, failures: [] });
    ecs.on(ListTasksCommand).resolves({ taskArns: manyTasks.map((task) => task.taskArn as string) });
    await reader().read(many);
    const calls = ecs
      .commandCalls(DescribeServicesCommand)
      .map((call) => call.args[0].input.services?.length);
    expect(calls).toEqual([10, 10, 3]);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input.include).toEqual(["TAGS"]);
  });

  it("follows ListTasks pages and describes at most 100 tasks a call", async () => {
    const arns = Array.from(
      { length: 150 },
      (_, index) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task/prod/p${index}`,
    );
    ecs
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: arns.slice(0, 100), nextToken: "page-2" })
      .resolves({ taskArns: arns.slice(100) });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [] });
    await reader().read(revisions);
    expect(ecs.commandCalls(ListTasksCommand).map((call) => call.args[0].input.nextToken)).toEqual([
      undefined,
      "page-2",
    ]);
    expect(ecs.commandCalls(DescribeTasksCommand).map((call) => call.args[0].input.tasks?.length)).toEqual([
      100, 50,
    ]);
  });

  it("asks for target groups one by one when a batch fails because one was deleted, and ignores the deleted one", async () => {
    const gone = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/gone-tg/0000000000000000";
    const withTwo = structuredClone(services);
    withTwo.services?.[0]?.loadBalancers?.push({
      targetGroupArn: gone,
      containerName: "api",
      containerPort: 80,
    });
    ecs.on(DescribeServicesCommand).resolves(withTwo);
    elb
      .on(DescribeTargetGroupsCommand)
      .rejects(error("TargetGroupNotFoundException", "One or more target groups not found"))
      .on(DescribeTargetGroupsCommand, {
        TargetGroupArns: [targetGroups.TargetGroups?.[0]?.TargetGroupArn as string],
      })
      .resolves(targetGroups);
    const read = await reader().read(revisions);
    expect(elb.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(3);
    const api = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "api",
    );
    expect(api?.exposure.loadBalancers).toEqual([
      { loadBalancer: "public-alb", targetGroup: "api-tg", scheme: "internet-facing" },
    ]);
    expect(api?.exposure.unread).toEqual([]);
  });

  it("leaves a service's exposure unknown when a target group cannot be read", async () => {
    elb.on(DescribeTargetGroupsCommand).rejects(error("InternalFailure", "Internal failure"));
    const read = await reader().read(revisions);
    const api = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "api",
    );
    expect(api?.exposure.unread).toEqual(["target group api-tg"]);
  });

  it("keeps a load balancer it could not read with an unknown scheme", async () => {
    elb.on(DescribeLoadBalancersCommand).rejects(error("InternalFailure", "Internal failure"));
    const read = await reader().read(revisions);
    const api = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "api",
    );
    expect(api?.exposure.loadBalancers).toEqual([
      { loadBalancer: "public-alb", targetGroup: "api-tg", scheme: undefined },
    ]);
  });

  it("stops with the missing permission named when Elastic Load Balancing denies access", async () => {
    elb
      .on(DescribeTargetGroupsCommand)
      .rejects(
        error(
          "AccessDenied",
          "User: arn:aws:iam::111122223333:user/ops is not authorized to perform: elasticloadbalancing:DescribeTargetGroups",
        ),
      );
    await expect(reader().read(revisions)).rejects.toEqual(
      expect.objectContaining({ permission: "elasticloadbalancing:DescribeTargetGroups" }),
    );
    await expect(reader().read(revisions)).rejects.toBeInstanceOf(MissingPermissionError);
  });

  it("treats an interface that is gone as no public IP, and one it cannot read as unknown", async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(error("InvalidNetworkInterfaceID.NotFound"));
    let read = await reader().read(revisions);
    let api = read.targets.find(
      (target) => target.target.kind === "service" && target.target.service === "api",
    );
    expect(api?.exposure.taskPublicIps).toEqual([]);
    expect(api?.exposure.unread).toEqual([]);
    ec2.on(DescribeNetworkInterfacesCommand).rejects(error("InternalError"));
    read = await reader().read(revisions);
    api = read.targets.find((target) => target.target.kind === "service" && target.target.service === "api");
    expect(api?.exposure.unread).toEqual(["network interface eni-0fa1b2c3d4e5f6789"]);
  });
});

describe("tasks on ECS Anywhere (external) instances", () => {
  it("never sends an SSM managed-instance id to EC2, and reads the exposure as external instance, unknown", async () => {
    const external = structuredClone(containerInstances);
    const [instance] = external.containerInstances ?? [];
    if (instance === undefined) throw new Error("fixture has no container instance");
    instance.ec2InstanceId = "mi-0123456789abcdef0";
    ecs.on(DescribeContainerInstancesCommand).resolves(external);
    const read = await reader().read(revisions);
    expect(
      ec2.commandCalls(DescribeInstancesCommand).flatMap((call) => call.args[0].input.InstanceIds ?? []),
    ).toEqual([]);
    const standalone = read.targets.find((target) => target.target.kind === "standalone");
    expect(standalone?.exposure.externalInstances).toEqual([
      { task: expect.any(String), instanceId: "mi-0123456789abcdef0" },
    ]);
    expect(standalone?.exposure.instancePublicIps).toEqual([]);
    expect(read.unreadParts.filter((part) => part.includes("instance"))).toEqual([]);
    const exposure = classifyExposure(
      standalone?.exposure ?? { loadBalancers: [], taskPublicIps: [], instancePublicIps: [], unread: [] },
    );
    expect(describeExposure(exposure)).toContain("external instance mi-0123456789abcdef0");
  });

  it("still asks EC2 for the EC2 instances of the same read", async () => {
    const mixed = structuredClone(containerInstances);
    const [instance] = mixed.containerInstances ?? [];
    if (instance === undefined) throw new Error("fixture has no container instance");
    mixed.containerInstances = [
      instance,
      {
        ...instance,
        containerInstanceArn: `${instance.containerInstanceArn}-external`,
        ec2InstanceId: "mi-0123456789abcdef0",
      },
    ];
    ecs.on(DescribeContainerInstancesCommand).resolves(mixed);
    await reader().read(revisions);
    expect(
      ec2.commandCalls(DescribeInstancesCommand).flatMap((call) => call.args[0].input.InstanceIds ?? []),
    ).toEqual(["i-0abcdef1234567890"]);
  });
});
