import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

export const EXCEPTIONS_PARAMETER = "/ecs-pid-mode-rule/exceptions";

/** Half a year from today: within the 365 days the function, like synth, allows an exception to run. */
export const EXPORTER_EXCEPTION_EXPIRES = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);

export const EXCEPTIONS = [
  {
    taskDefinition: "exporter",
    owner: "observability-team@example.com",
    expires: EXPORTER_EXCEPTION_EXPIRES,
    reason: "Host process metrics need the host PID namespace.",
  },
  {
    taskDefinition: "debug:1",
    owner: "sre-oncall@example.com",
    expires: "2020-06-30",
    reason: "Incident debugging.",
  },
];

/** Families Config would have recorded (each has an ACTIVE revision). */
export const RECORDED_FAMILIES = ["agent", "debug", "exporter", "idle", "legacy", "stopped", "web"];

interface Revision {
  readonly family: string;
  readonly pidMode?: "host" | "task";
}

/** Registered in this order, so each family's revisions are numbered 1, 2, ... */
const REVISIONS: readonly Revision[] = [
  { family: "web" },
  { family: "web", pidMode: "task" },
  { family: "agent", pidMode: "host" },
  { family: "legacy", pidMode: "host" },
  { family: "legacy" },
  { family: "exporter", pidMode: "host" },
  { family: "debug", pidMode: "host" },
  { family: "idle", pidMode: "host" },
  { family: "stopped", pidMode: "host" },
];

/** Tasks to run: `service:NAME` groups are how ECS marks a service's tasks. */
const TASKS: readonly { cluster: string; taskDefinition: string; group?: string }[] = [
  { cluster: "prod", taskDefinition: "web:1", group: "service:web" },
  { cluster: "staging", taskDefinition: "web:2", group: "service:web" },
  { cluster: "prod", taskDefinition: "agent:1", group: "service:agent" },
  { cluster: "staging", taskDefinition: "agent:1" },
  { cluster: "batch", taskDefinition: "legacy:1" },
  { cluster: "prod", taskDefinition: "exporter:1", group: "service:exporter" },
  { cluster: "staging", taskDefinition: "debug:1" },
];

/** The services whose tasks the suite runs by hand (moto starts no task for a service). */
export const SERVICES: readonly { cluster: string; name: string; taskDefinition: string }[] = [
  { cluster: "prod", name: "web", taskDefinition: "web:1" },
  { cluster: "staging", name: "web", taskDefinition: "web:2" },
  { cluster: "prod", name: "agent", taskDefinition: "agent:1" },
  { cluster: "prod", name: "exporter", taskDefinition: "exporter:1" },
];

export interface SeededAccount {
  /** Task ARNs by `cluster|taskDefinition|group`. */
  readonly taskArns: Map<string, string>;
}

export function taskKey(task: { cluster: string; taskDefinition: string; group?: string }): string {
  return `${task.cluster}|${task.taskDefinition}|${task.group ?? ""}`;
}

async function runTask(
  ecs: ECSClient,
  task: { cluster: string; taskDefinition: string; group?: string },
): Promise<string> {
  // moto runs tasks without container instances only with launchType FARGATE.
  const response = await ecs.send(
    new RunTaskCommand({
      cluster: task.cluster,
      taskDefinition: task.taskDefinition,
      launchType: "FARGATE",
      count: 1,
      ...(task.group ? { group: task.group } : {}),
    }),
  );
  const arn = response.tasks?.[0]?.taskArn;
  if (!arn) throw new Error(`moto ran no task for ${taskKey(task)}: ${JSON.stringify(response.failures)}`);
  return arn;
}

/**
 * The account the suite judges: clusters prod, staging, batch; pidMode host, task and unset; a revision
 * running in two clusters; a deregistered host-PID revision that still runs; an idle one; a stopped one.
 */
export async function seedAccount(ecs: ECSClient, ssm: SSMClient): Promise<SeededAccount> {
  for (const clusterName of ["prod", "staging", "batch"])
    await ecs.send(new CreateClusterCommand({ clusterName }));
  for (const revision of REVISIONS) {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: revision.family,
        ...(revision.pidMode ? { pidMode: revision.pidMode } : {}),
        containerDefinitions: [
          { name: "main", image: "public.ecr.aws/docker/library/busybox:1.36", memory: 128, essential: true },
        ],
        tags: [{ key: "team", value: revision.family }],
      }),
    );
  }
  for (const service of SERVICES) {
    await ecs.send(
      new CreateServiceCommand({
        cluster: service.cluster,
        serviceName: service.name,
        taskDefinition: service.taskDefinition,
        desiredCount: 1,
        launchType: "FARGATE",
      }),
    );
  }
  const taskArns = new Map<string, string>();
  for (const task of TASKS) taskArns.set(taskKey(task), await runTask(ecs, task));
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "legacy:1" }));
  const stoppedTask = await runTask(ecs, { cluster: "batch", taskDefinition: "stopped:1" });
  await ecs.send(new StopTaskCommand({ cluster: "batch", task: stoppedTask, reason: "finished" }));
  await ssm.send(
    new PutParameterCommand({
      Name: EXCEPTIONS_PARAMETER,
      Type: "String",
      Value: JSON.stringify(EXCEPTIONS),
    }),
  );
  return { taskArns };
}
