import { CreateSubnetCommand, CreateVpcCommand, type EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type DescribeServicesCommandOutput,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";

/**
 * An account to remediate: an internet-facing ALB in front of prod/web (production, host PID), a private
 * production service prod/api, a non-production dev/worker and an exempted prod/exporter, all host PID.
 */

/** Valid for half a year from today: within the 365 days the commands, like synth, allow an exception. */
export const REMEDIATION_EXCEPTIONS = [
  {
    taskDefinition: "exporter",
    owner: "observability-team@example.com",
    expires: new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10),
    reason: "Host process metrics need the host PID namespace.",
  },
];

interface SeededService {
  readonly cluster: string;
  readonly name: string;
  readonly family: string;
  readonly environment: string;
  readonly behindPublicLoadBalancer: boolean;
  readonly deploymentController?: "ECS" | "CODE_DEPLOY";
}

export const SERVICES: readonly SeededService[] = [
  { cluster: "prod", name: "web", family: "web", environment: "production", behindPublicLoadBalancer: true },
  { cluster: "prod", name: "api", family: "api", environment: "production", behindPublicLoadBalancer: false },
  {
    cluster: "dev",
    name: "worker",
    family: "worker",
    environment: "development",
    behindPublicLoadBalancer: false,
  },
  {
    cluster: "prod",
    name: "exporter",
    family: "exporter",
    environment: "production",
    behindPublicLoadBalancer: false,
  },
  // Wave 4 beside dev/worker: a blue/green service CodeDeploy deploys, and one ECS deploys.
  {
    cluster: "dev",
    name: "blue",
    family: "blue",
    environment: "development",
    behindPublicLoadBalancer: false,
    deploymentController: "CODE_DEPLOY",
  },
  {
    cluster: "dev",
    name: "green",
    family: "green",
    environment: "development",
    behindPublicLoadBalancer: false,
  },
];

/** A standalone task (a nightly job) of the host-PID family `batch` in the dev cluster. */
export const STANDALONE = { cluster: "dev", family: "batch", startedBy: "events-rule/nightly" } as const;

async function runServiceTask(
  ecs: ECSClient,
  cluster: string,
  service: string,
  taskDefinition: string,
): Promise<void> {
  // moto runs tasks without container instances only as FARGATE; CreateService itself starts none.
  const response = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition,
      launchType: "FARGATE",
      count: 1,
      group: `service:${service}`,
    }),
  );
  if (!response.tasks?.[0]?.taskArn) throw new Error(`moto ran no task for ${cluster}/${service}`);
}

/** An internet-facing ALB in a new VPC, with a listener forwarding to the target group returned. */
async function publicTargetGroup(elb: ElasticLoadBalancingV2Client, ec2: EC2Client): Promise<string> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));
  const vpcId = vpc.Vpc?.VpcId as string;
  const subnets: string[] = [];
  for (const [index, zone] of ["us-east-1a", "us-east-1b"].entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.20.${index}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(subnet.Subnet?.SubnetId as string);
  }
  const alb = await elb.send(
    new CreateLoadBalancerCommand({ Name: "public-alb", Subnets: subnets, Scheme: "internet-facing" }),
  );
  const targetGroup = await elb.send(
    new CreateTargetGroupCommand({
      Name: "web-tg",
      Protocol: "HTTP",
      Port: 8080,
      VpcId: vpcId,
      TargetType: "ip",
    }),
  );
  const targetGroupArn = targetGroup.TargetGroups?.[0]?.TargetGroupArn as string;
  // A target group belongs to a load balancer once a listener forwards to it.
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
    }),
  );
  return targetGroupArn;
}

export async function seedRemediationAccount(clients: {
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
}): Promise<void> {
  const { ecs, elb, ec2 } = clients;
  const targetGroupArn = await publicTargetGroup(elb, ec2);
  for (const clusterName of ["prod", "dev"]) await ecs.send(new CreateClusterCommand({ clusterName }));
  for (const service of [...SERVICES, { family: STANDALONE.family }]) {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: service.family,
        pidMode: "host",
        containerDefinitions: [
          {
            name: "main",
            image: "public.ecr.aws/docker/library/busybox:1.36",
            memory: 128,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
          },
        ],
        tags: [{ key: "team", value: service.family }],
      }),
    );
    if (!("cluster" in service)) continue;
    await ecs.send(
      new CreateServiceCommand({
        cluster: service.cluster,
        serviceName: service.name,
        taskDefinition: `${service.family}:1`,
        desiredCount: 1,
        ...(service.behindPublicLoadBalancer
          ? { loadBalancers: [{ targetGroupArn, containerName: "main", containerPort: 8080 }] }
          : {}),
        tags: [{ key: "environment", value: service.environment }],
        ...(service.deploymentController === undefined
          ? {}
          : { deploymentController: { type: service.deploymentController } }),
      }),
    );
    await runServiceTask(ecs, service.cluster, service.name, `${service.family}:1`);
  }
  await ecs.send(
    new RunTaskCommand({
      cluster: STANDALONE.cluster,
      taskDefinition: `${STANDALONE.family}:1`,
      launchType: "FARGATE",
      count: 1,
      startedBy: STANDALONE.startedBy,
    }),
  );
}

/**
 * moto does not model ECS's scheduler: UpdateService changes the service's task definition but starts no
 * deployment, replaces no task, and every deployment stays IN_PROGRESS. This middleware plays that part on the
 * client the remediation uses: after an UpdateService it stops the service's tasks and starts one from the new
 * revision, and DescribeServices reports the one deployment a finished rollout leaves (PRIMARY, COMPLETED).
 */
export function playEcsScheduler(client: ECSClient, scheduler: ECSClient): ECSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === "UpdateServiceCommand") {
        const input = args.input as UpdateServiceCommandInput;
        const cluster = input.cluster as string;
        const listed = await scheduler.send(new ListTasksCommand({ cluster, desiredStatus: "RUNNING" }));
        const described = listed.taskArns?.length
          ? await scheduler.send(new DescribeTasksCommand({ cluster, tasks: listed.taskArns }))
          : { tasks: [] };
        for (const task of described.tasks ?? []) {
          if (task.group === `service:${input.service}` && task.lastStatus !== "STOPPED")
            await scheduler.send(
              new StopTaskCommand({ cluster, task: task.taskArn, reason: "replaced by a deployment" }),
            );
        }
        await runServiceTask(scheduler, cluster, input.service as string, input.taskDefinition as string);
      }
      if (context.commandName === "DescribeServicesCommand") {
        const output = result.output as DescribeServicesCommandOutput;
        for (const service of output.services ?? []) {
          service.deployments = [
            {
              id: "ecs-svc/0000000000000000001",
              status: "PRIMARY",
              taskDefinition: service.taskDefinition,
              desiredCount: service.desiredCount,
              runningCount: service.desiredCount,
              rolloutState: "COMPLETED",
              rolloutStateReason: "played by the test: moto does not model deployments",
            },
          ];
        }
      }
      return result;
    },
    { step: "initialize", name: "playEcsScheduler" },
  );
  return client;
}
