import { createHash } from "node:crypto";
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import type { RunningServer } from "../../sim/httpServer";
import { serveOnLoopback } from "../../sim/httpServer";
import { SimulatedConfig, type WrittenEvaluation } from "../../sim/simulatedConfig";
import leftScope from "../fixtures/config/moto-account/left-scope.json";
import scheduled from "../fixtures/config/moto-account/scheduled.json";
import serviceChangeWeb from "../fixtures/config/moto-account/service-change-web.json";
import agentChange from "../fixtures/config/moto-account/task-definition-change-agent.json";
import legacyChange from "../fixtures/config/moto-account/task-definition-change-legacy.json";
import {
  EXCEPTIONS,
  EXCEPTIONS_PARAMETER,
  EXPORTER_EXCEPTION_EXPIRES,
  RECORDED_FAMILIES,
  type SeededAccount,
  seedAccount,
  taskKey,
} from "../support/moto/motoAccount";
import { keepTasksRunning, MOTO_ACCOUNT_ID, type MotoServer, startMoto } from "../support/moto/motoServer";

/**
 * The real Lambda handler, its real SDK clients and real HTTP: ECS and SSM are moto_server, AWS Config
 * is a recording endpoint (moto's Config stores no evaluations), all found through AWS_ENDPOINT_URL_*.
 */

jest.setTimeout(120_000);

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
const TASK_DEFINITION = "AWS::ECS::TaskDefinition";
const FIX = 'Fix: register a revision without pidMode "host" and redeploy.';

let moto: MotoServer | undefined;
let configEndpoint: RunningServer | undefined;
let config: SimulatedConfig;
let ecs: ECSClient;
let seeded: SeededAccount;
const savedEnvironment = { ...process.env };

function recordingConfig(): SimulatedConfig {
  return new SimulatedConfig({
    accountId: MOTO_ACCOUNT_ID,
    region: REGION,
    clusters: [],
    revisions: [],
    recordedTaskDefinitionIds: RECORDED_FAMILIES,
  });
}

beforeAll(async () => {
  moto = await startMoto();
  await keepTasksRunning(moto.url);
  config = recordingConfig();
  configEndpoint = await serveOnLoopback({ config: (action, input) => config.route(action, input) });
  for (const name of ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"])
    delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_ENDPOINT_URL_ECS: moto.url,
    AWS_ENDPOINT_URL_SSM: moto.url,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ENDPOINT_URL_CONFIG_SERVICE: configEndpoint.url,
    EXCEPTIONS_PARAMETER_NAME: EXCEPTIONS_PARAMETER,
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  ecs = new ECSClient({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });
  seeded = await seedAccount(
    ecs,
    new SSMClient({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS }),
  );
});

afterAll(async () => {
  await configEndpoint?.close();
  await moto?.stop();
  process.env = savedEnvironment;
});

beforeEach(() => {
  config = recordingConfig();
});

type Handler = typeof import("../../lambda/handler").handler;

/** A cold start: a fresh module instance of the handler, which builds its rule and clients from the environment. */
async function coldHandler(): Promise<Handler> {
  let loaded: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = (await import("../../lambda/handler")).handler;
  });
  return loaded as Handler;
}

const context = {
  functionName: "ecs-pid-mode-rule",
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT_ID}:function:ecs-pid-mode-rule`,
  awsRequestId: "3f1c2a4e-8d2b-4a57-9f3e-1b2c3d4e5f60",
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

async function invoke(event: unknown): Promise<WrittenEvaluation[]> {
  const handler = await coldHandler();
  await handler(event, context);
  return config.written;
}

/** PutEvaluations carries OrderingTimestamp as epoch seconds on the wire (AWS JSON). */
function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function verdictOf(written: readonly WrittenEvaluation[], resourceType: string, resourceId: string) {
  const matching = written.filter(
    (evaluation) => evaluation.resourceType === resourceType && evaluation.resourceId === resourceId,
  );
  expect(matching).toHaveLength(1);
  return matching[0] as WrittenEvaluation;
}

describe("moto behaves as this suite assumes (so its quirks cannot hide a defect)", () => {
  it("keeps the seeded tasks RUNNING however often they are described", async () => {
    for (const cluster of ["prod", "staging", "batch"]) {
      const listed = await ecs.send(new ListTasksCommand({ cluster, desiredStatus: "RUNNING" }));
      for (let round = 0; round < 3; round++) {
        const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: listed.taskArns }));
        for (const task of described.tasks ?? []) expect(task.lastStatus).toBe("RUNNING");
      }
    }
  });

  it("lists the stopped task's cluster without it and still runs the deregistered revision", async () => {
    const batch = await ecs.send(new ListTasksCommand({ cluster: "batch", desiredStatus: "RUNNING" }));
    expect(batch.taskArns).toEqual([
      seeded.taskArns.get(taskKey({ cluster: "batch", taskDefinition: "legacy:1" })),
    ]);
    const legacy = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "legacy:1" }));
    expect(legacy.taskDefinition).toMatchObject({ status: "INACTIVE", pidMode: "host" });
  });
});

describe("the Lambda handler against moto's ECS and SSM", () => {
  it("sweeps the account on a scheduled notification and writes each recorded family's and service's verdict", async () => {
    const written = await invoke(scheduled);
    const serviceArn = (cluster: string, name: string) =>
      `arn:aws:ecs:${REGION}:${MOTO_ACCOUNT_ID}:service/${cluster}/${name}`;
    expect(
      written
        .filter((evaluation) => evaluation.resourceType === TASK_DEFINITION)
        .map((evaluation) => evaluation.resourceId)
        .sort(),
    ).toEqual(RECORDED_FAMILIES);
    const services = written
      .filter((evaluation) => evaluation.resourceType === "AWS::ECS::Service")
      .map((evaluation) => [evaluation.resourceId, evaluation.complianceType]);
    expect(services).toEqual([
      [serviceArn("prod", "agent"), "NON_COMPLIANT"],
      [serviceArn("prod", "exporter"), "NOT_APPLICABLE"],
      [serviceArn("prod", "web"), "COMPLIANT"],
      [serviceArn("staging", "web"), "COMPLIANT"],
    ]);
    const expectations: [string, string, string[]][] = [
      ["agent", "NON_COMPLIANT", ["agent:1 in prod (service agent); staging (standalone tasks).", FIX]],
      [
        "debug",
        "NON_COMPLIANT",
        ["debug:1 in staging (standalone tasks)", "owner sre-oncall@example.com) expired 2020-06-30"],
      ],
      [
        "exporter",
        "NOT_APPLICABLE",
        [`exporter:1 by exception of observability-team@example.com until ${EXPORTER_EXCEPTION_EXPIRES}`],
      ],
      ["idle", "NOT_APPLICABLE", ["No RUNNING task uses this task definition."]],
      ["legacy", "NON_COMPLIANT", ["legacy:1 in batch (standalone tasks).", FIX]],
      ["stopped", "NOT_APPLICABLE", ["No RUNNING task uses this task definition."]],
      ["web", "COMPLIANT", ["In use without the host PID namespace: web:1, web:2."]],
    ];
    for (const [resourceId, complianceType, fragments] of expectations) {
      const verdict = verdictOf(written, TASK_DEFINITION, resourceId);
      expect({ resourceId, complianceType: verdict.complianceType }).toEqual({ resourceId, complianceType });
      for (const fragment of fragments) expect(verdict.annotation).toContain(fragment);
      expect(verdict.orderingTimestamp).toBe(epochSeconds("2026-11-30T06:00:00.000Z"));
      expect(verdict.testMode).toBe(false);
    }
  });

  it("judges a task definition change by where its revisions run, in every cluster, stamped with the notification's time", async () => {
    const written = await invoke(agentChange);
    expect(written).toHaveLength(1);
    expect(verdictOf(written, TASK_DEFINITION, "agent")).toMatchObject({
      complianceType: "NON_COMPLIANT",
      annotation: `Shares the host PID namespace: agent:1 in prod (service agent); staging (standalone tasks). ${FIX}`,
      // The verdict comes from live reads made after the notification, not from the item captured 4 s earlier.
      orderingTimestamp: epochSeconds("2026-11-30T06:10:04.000Z"),
    });
  });

  it("catches a deregistered host-PID revision that still runs in the sweep, which reads every task", async () => {
    const written = await invoke(scheduled);
    expect(verdictOf(written, TASK_DEFINITION, "legacy")).toMatchObject({
      complianceType: "NON_COMPLIANT",
      annotation: expect.stringContaining("legacy:1 in batch (standalone tasks)"),
    });
  });

  it("judges a change of that family from ListTasks' family filter, which in moto misses the deregistered revision", async () => {
    // ECS documents that a task of an INACTIVE revision still belongs to its family; moto drops it (a moto
    // defect). The unit suite covers the documented behaviour; here the change path trusts the filter.
    const filtered = await ecs.send(new ListTasksCommand({ cluster: "batch", family: "legacy" }));
    expect(filtered.taskArns).toEqual([]);
    const written = await invoke(legacyChange);
    expect(verdictOf(written, TASK_DEFINITION, "legacy").complianceType).toBe("NOT_APPLICABLE");
  });

  it("judges a service change for the service and its task definition family", async () => {
    const written = await invoke(serviceChangeWeb);
    expect(
      verdictOf(written, "AWS::ECS::Service", `arn:aws:ecs:${REGION}:${MOTO_ACCOUNT_ID}:service/prod/web`),
    ).toMatchObject({
      complianceType: "COMPLIANT",
      annotation: "In use without the host PID namespace: web:1.",
    });
    expect(verdictOf(written, TASK_DEFINITION, "web")).toMatchObject({
      complianceType: "COMPLIANT",
      annotation: "In use without the host PID namespace: web:1, web:2.",
    });
  });

  it("answers NOT_APPLICABLE for a resource that left the rule's scope, whatever it runs", async () => {
    const written = await invoke(leftScope);
    expect(written).toHaveLength(1);
    expect(verdictOf(written, TASK_DEFINITION, "exporter")).toMatchObject({
      complianceType: "NOT_APPLICABLE",
      annotation: "The resource left the scope of this rule.",
    });
  });

  it("writes in test mode when Config's result token is TESTMODE", async () => {
    const written = await invoke({ ...agentChange, resultToken: "TESTMODE" });
    expect(written.map((evaluation) => evaluation.testMode)).toEqual([true]);
  });

  it("follows the account: once the standalone task stops, the revision is reported only where it still runs", async () => {
    const standalone = seeded.taskArns.get(taskKey({ cluster: "staging", taskDefinition: "agent:1" }));
    await ecs.send(new StopTaskCommand({ cluster: "staging", task: standalone, reason: "integration test" }));
    const written = await invoke(agentChange);
    expect(verdictOf(written, TASK_DEFINITION, "agent")).toMatchObject({
      complianceType: "NON_COMPLIANT",
      annotation: `Shares the host PID namespace: agent:1 in prod (service agent). ${FIX}`,
    });
  });
});

describe("an exceptions list the function cannot verify, read through the real SSM client from moto", () => {
  const ssm = () => new SSMClient({ region: REGION, endpoint: moto?.url, credentials: CREDENTIALS });
  const deployedValue = JSON.stringify(EXCEPTIONS);
  const digest = createHash("sha256").update(deployedValue, "utf8").digest("hex");
  const exporterChange = {
    ...agentChange,
    invokingEvent: agentChange.invokingEvent
      .replaceAll('"agent"', '"exporter"')
      .replaceAll("agent:1", "exporter:1"),
  };

  async function putList(value: string): Promise<void> {
    await ssm().send(
      new PutParameterCommand({ Name: EXCEPTIONS_PARAMETER, Value: value, Type: "String", Overwrite: true }),
    );
  }

  afterEach(async () => {
    delete process.env.EXCEPTIONS_SHA256;
    await putList(deployedValue);
  });

  it("applies the deployed list when the parameter's digest is the deployed one", async () => {
    process.env.EXCEPTIONS_SHA256 = digest;
    const written = await invoke(exporterChange);
    expect(verdictOf(written, TASK_DEFINITION, "exporter")?.complianceType).toBe("NOT_APPLICABLE");
  });

  it.each([
    [
      "tampered (edited by hand to run until 9999)",
      () => putList(deployedValue.replace(EXPORTER_EXCEPTION_EXPIRES, "9999-12-31")),
      /tampered/,
    ],
    ["corrupt (not JSON)", () => putList("exporter until friday"), /tampered/],
    [
      "unreadable (deleted)",
      () =>
        ssm()
          .send(new DeleteParameterCommand({ Name: EXCEPTIONS_PARAMETER }))
          .then(() => undefined),
      /unreadable.*ParameterNotFound/,
    ],
  ])(
    "when it is %s, writes the exempted family NON_COMPLIANT and fails loudly",
    async (_case, arrange, message) => {
      process.env.EXCEPTIONS_SHA256 = digest;
      await arrange();
      const handler = await coldHandler();
      await expect(handler(exporterChange, context)).rejects.toThrow(message);
      expect(verdictOf(config.written, TASK_DEFINITION, "exporter")?.complianceType).toBe("NON_COMPLIANT");
    },
  );

  it("applies no entry beyond the maximum duration, even in a hand deployment without a digest", async () => {
    await putList(deployedValue.replace(EXPORTER_EXCEPTION_EXPIRES, "2099-12-31"));
    const written = await invoke(exporterChange);
    expect(verdictOf(written, TASK_DEFINITION, "exporter")?.complianceType).toBe("NON_COMPLIANT");
  });
});
