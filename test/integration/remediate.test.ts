import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { JournalFile } from "../../cli/remediate/journalFile";
import { runRemediate } from "../../cli/remediate/runRemediate";
import { userFiles } from "../../cli/shared/userFiles";
import { REPLACES_TAG, replacementFor } from "../../lambda/remediation/core/replacement";
import { remediateFamily } from "../../lambda/remediation/remediateFamily";
import { systemClock } from "../../lambda/util/clock";
import { capturedOutput } from "../support/capturedOutput";
import { MOTO_ACCOUNT_ID } from "../support/moto/motoServer";
import { REMEDIATION_EXCEPTIONS } from "../support/moto/remediationAccount";
import {
  REMEDIATION_REGION,
  type RemediationMoto,
  startRemediationMoto,
} from "../support/moto/remediationMoto";

/**
 * `npm run remediate` with real SDK clients over HTTP against moto_server (ECS, Elastic Load Balancing v2, EC2,
 * STS). moto models no deployments: `playEcsScheduler` plays ECS's part after UpdateService (see there); the
 * rollout states themselves are covered with aws-sdk-client-mock in test/unit/lambda/remediation/adapters/ecsGateway.test.ts.
 */

jest.setTimeout(120_000);

const REGION = REMEDIATION_REGION;
let moto: RemediationMoto;
let directory: string;
let ecs: ECSClient;

/** Every UpdateService the remediation sent, as `cluster/service -> task definition`. */
const updateServiceCalls: string[] = [];

function recordUpdates(client: ECSClient): ECSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "UpdateServiceCommand") {
        const input = args.input as { cluster?: string; service?: string; taskDefinition?: string };
        updateServiceCalls.push(`${input.cluster}/${input.service} -> ${input.taskDefinition}`);
      }
      return next(args);
    },
    { step: "initialize", name: "recordUpdates", priority: "low" },
  );
  return client;
}

/** The process dies right after ECS accepted an UpdateService (before anything after it ran). */
function dieAfterUpdateService(client: ECSClient): ECSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === "UpdateServiceCommand") throw new Error("killed after UpdateService");
      return result;
    },
    { step: "initialize", name: "dieAfterUpdateService", priority: "high" },
  );
  return client;
}

async function remediate(argv: string[], wrapEcs: (client: ECSClient) => ECSClient = (client) => client) {
  const io = capturedOutput();
  const confirmations: string[] = [];
  const status = await runRemediate(argv, {
    clientsFor: moto.commandClients((client) => wrapEcs(recordUpdates(client))),
    knownProfiles: async () => new Set(),
    envProfile: undefined,
    ...userFiles(process.cwd()),
    journalAt: (path) => new JournalFile(path),
    confirm: async (question) => {
      confirmations.push(question);
      return false;
    },
    clock: systemClock,
    stdout: io.stdout,
    stderr: io.stderr,
  });
  return { status, ...io.text(), confirmations };
}

async function serviceRevision(cluster: string, service: string): Promise<string | undefined> {
  const response = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return response.services?.[0]?.taskDefinition;
}

async function revisionsOf(family: string): Promise<string[]> {
  return (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
}

/** The arguments naming the exceptions file beforeAll writes. */
const exceptionsFile = () => ["--exceptions", join(directory, "exceptions.json")];

const arn = (label: string) => `arn:aws:ecs:${REGION}:${MOTO_ACCOUNT_ID}:task-definition/${label}`;

beforeAll(async () => {
  moto = await startRemediationMoto();
  ecs = moto.ecs;
  directory = await mkdtemp(join(tmpdir(), "remediate-"));
  await writeFile(join(directory, "exceptions.json"), JSON.stringify(REMEDIATION_EXCEPTIONS));
});

afterAll(async () => {
  // Unset when moto did not start.
  await moto?.stop();
});

describe("npm run remediate against moto", () => {
  it("puts the exposed production service in wave 1, the private one in 2, the non-production one in 4, and lists the exempted one apart", async () => {
    const out = join(directory, "plan");
    const result = await remediate(["--wave", "1", ...exceptionsFile(), "--out", out]);
    expect(result.stderr).not.toContain("error");
    expect(result.status).toBe(0);
    const plan = JSON.parse(await readFile(join(out, "plan.json"), "utf8")) as {
      waves: {
        number: number;
        items: { target: { cluster: string; service?: string }; exposure: { status: string } }[];
      }[];
      exempted: { revision: string; owner: string }[];
    };
    expect(
      plan.waves.map((wave) => [
        wave.number,
        wave.items.map((item) => `${item.target.cluster}/${item.target.service ?? "(standalone)"}`),
      ]),
    ).toEqual([
      [1, ["prod/web"]],
      [2, ["prod/api"]],
      [4, ["dev/(standalone)", "dev/blue", "dev/green", "dev/worker"]],
    ]);
    expect(plan.exempted).toEqual([
      expect.objectContaining({ revision: "exporter:1", owner: "observability-team@example.com" }),
    ]);
    expect(result.stdout).toContain("internet-facing load balancer public-alb (target group web-tg)");
    expect(result.stdout).toContain("production (service tag environment=production)");
    expect(result.stdout).toContain(
      `aws ecs update-service --region ${REGION} --cluster prod --service web --task-definition "$NEW_WEB_1"`,
    );
    expect(JSON.parse(await readFile(join(out, "register-web-1.json"), "utf8"))).not.toHaveProperty(
      "pidMode",
    );
    expect(result.stdout).toContain("Dry run: nothing was changed.");
    expect(await revisionsOf("web")).toEqual([arn("web:1")]);
  });

  it("asks before applying, and changes nothing without a yes", async () => {
    const result = await remediate(["--wave", "1", "--apply", ...exceptionsFile()]);
    expect(result.status).toBe(1);
    expect(result.confirmations).toHaveLength(1);
    expect(await serviceRevision("prod", "web")).toBe(arn("web:1"));
  });

  it("never deploys a look-alike planted with the replaces tag: the dry run names it, the apply registers the true replacement", async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        containerDefinitions: [
          {
            name: "main",
            image: "attacker.example/miner:latest",
            memory: 128,
            essential: true,
            privileged: true,
            portMappings: [{ containerPort: 8080 }],
          },
        ],
        tags: [
          { key: "team", value: "web" },
          { key: REPLACES_TAG, value: "web:1" },
        ],
      }),
    );
    const exceptions = exceptionsFile();
    const journal = join(directory, "journal.json");
    const dryRun = await remediate(["--wave", "1", "--journal", journal, ...exceptions]);
    expect(dryRun.stdout).toContain(
      `web:1: registers a new revision; ignores ${arn("web:2")}, tagged as the replacement but differing in containerDefinitions[0].image, containerDefinitions[0].privileged`,
    );
    const result = await remediate(["--wave", "1", "--apply", "--yes", "--journal", journal, ...exceptions]);
    expect(result.stderr).not.toContain("error");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`ignores ${arn("web:2")}`);
    expect(await serviceRevision("prod", "web")).toBe(arn("web:3"));
    const registered = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "web:3", include: ["TAGS"] }),
    );
    expect(registered.taskDefinition?.pidMode).toBeUndefined();
    expect(registered.taskDefinition?.containerDefinitions?.[0]?.image).toBe(
      "public.ecr.aws/docker/library/busybox:1.36",
    );
    expect(registered.taskDefinition?.containerDefinitions?.[0]?.privileged).toBeFalsy();
    expect(registered.tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "web" },
        { key: REPLACES_TAG, value: "web:1" },
      ]),
    );
    expect(await serviceRevision("prod", "api")).toBe(arn("api:1"));
    expect(await serviceRevision("dev", "worker")).toBe(arn("worker:1"));
    expect(await serviceRevision("prod", "exporter")).toBe(arn("exporter:1"));
    expect(result.stdout).toMatch(/us-east-1\s+web\s+NON_COMPLIANT\s+COMPLIANT/);
    const saved = JSON.parse(await readFile(journal, "utf8"));
    expect(Object.values(saved.registered)).toEqual([arn("web:3")]);
    expect(Object.values(saved.moved)).toEqual([
      expect.objectContaining({ from: arn("web:1"), to: arn("web:3"), state: "completed" }),
    ]);
  });

  it("refuses a journal edited to name another family's host-PID revision as the replacement, and moves nothing", async () => {
    const tampered = join(directory, "tampered.json");
    await writeFile(
      tampered,
      JSON.stringify({
        version: 1,
        registered: { [`${MOTO_ACCOUNT_ID}/${REGION}/${arn("api:1")}`]: arn("exporter:1") },
        moved: {},
      }),
    );
    const argv = ["--wave", "2", "--journal", tampered, ...exceptionsFile()];
    for (const run of [argv, [...argv, "--apply", "--yes"]]) {
      const result = await remediate(run);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `error: the journal names ${arn("exporter:1")} as the replacement of api:1 (family api), but it belongs to family exporter; nothing was moved`,
      );
    }
    expect(await serviceRevision("prod", "api")).toBe(arn("api:1"));
    expect(await revisionsOf("api")).toEqual([arn("api:1")]);
  });

  it("changes nothing on a second run", async () => {
    const result = await remediate([
      "--wave",
      "1",
      "--apply",
      "--yes",
      "--journal",
      join(directory, "journal.json"),
      ...exceptionsFile(),
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Wave 1: nothing to do.");
    expect(result.stdout).toContain("Nothing to apply");
    expect((await revisionsOf("web")).sort()).toEqual([arn("web:1"), arn("web:2"), arn("web:3")]);
    expect(await serviceRevision("prod", "web")).toBe(arn("web:3"));
  });

  it("the Config remediation's code moves one family's services, and run again changes nothing", async () => {
    const clients = moto.remediationClients();
    const request = {
      accountId: MOTO_ACCOUNT_ID,
      region: REGION,
      family: "api",
      exceptions: [],
      rolloutTimeoutMs: 60_000,
      pollIntervalMs: 1_000,
    };
    const first = await remediateFamily(request, clients, systemClock, () => {});
    expect(first.stoppedAt).toBeUndefined();
    expect(first.moved).toEqual(["prod/api"]);
    expect(first.registered).toEqual([`api:1 -> ${arn("api:2")} (registered)`]);
    expect(await serviceRevision("prod", "api")).toBe(arn("api:2"));
    expect(await serviceRevision("dev", "worker")).toBe(arn("worker:1"));
    const second = await remediateFamily(request, clients, systemClock, () => {});
    expect(second.registered).toEqual([]);
    expect(second.moved).toEqual([]);
    expect(await revisionsOf("api")).toHaveLength(2);
  });

  it("the Config remediation's code reuses a replacement an interrupted run registered, found by its tag, and never a look-alike", async () => {
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "worker:1", include: ["TAGS"] }),
    );
    const genuine = replacementFor(described).input;
    // A look-alike planted first (another image, privileged), then what the interrupted run registered.
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...genuine,
        containerDefinitions: (genuine.containerDefinitions ?? []).map((container) => ({
          ...container,
          image: "attacker.example/miner:latest",
          privileged: true,
        })),
      }),
    );
    await ecs.send(new RegisterTaskDefinitionCommand(genuine));
    const outcome = await remediateFamily(
      {
        accountId: MOTO_ACCOUNT_ID,
        region: REGION,
        family: "worker",
        exceptions: [],
        rolloutTimeoutMs: 60_000,
        pollIntervalMs: 1_000,
      },
      moto.remediationClients(),
      systemClock,
      () => {},
    );
    expect(outcome.registered).toEqual([`worker:1 -> ${arn("worker:3")} (reused (tagged replacement))`]);
    expect(await revisionsOf("worker")).toHaveLength(3);
    expect(await serviceRevision("dev", "worker")).toBe(arn("worker:3"));
  });

  it("a run killed right after UpdateService is finished by the next; a CODE_DEPLOY service gets no UpdateService and its next step, a standalone task a replacement and its start command", async () => {
    const journal = join(directory, "wave4.json");
    const argv = ["--wave", "4", "--apply", "--yes", "--journal", journal];
    const killed = await remediate(argv, dieAfterUpdateService);
    expect(killed.status).toBe(1);
    expect(killed.stderr).toContain("killed after UpdateService");
    const afterKill = JSON.parse(await readFile(journal, "utf8"));
    expect(afterKill.moved[`${MOTO_ACCOUNT_ID}/${REGION}/dev/green`]).toEqual(
      expect.objectContaining({ from: arn("green:1"), to: arn("green:2"), state: "intended" }),
    );

    const next = await remediate(argv);
    expect(next.stderr).not.toContain("error");
    expect(next.status).toBe(3);
    expect(next.stdout).toContain("dev/green: deployment completed (a move an earlier run began)");
    const saved = JSON.parse(await readFile(journal, "utf8"));
    expect(saved.moved[`${MOTO_ACCOUNT_ID}/${REGION}/dev/green`]?.state).toBe("completed");
    expect(await serviceRevision("dev", "green")).toBe(arn("green:2"));

    // CODE_DEPLOY: registered, never sent to UpdateService, its next step printed with placeholders.
    expect(updateServiceCalls.filter((call) => call.startsWith("dev/blue"))).toEqual([]);
    expect(await serviceRevision("dev", "blue")).toBe(arn("blue:1"));
    expect(await revisionsOf("blue")).toEqual([arn("blue:1"), arn("blue:2")]);
    expect(next.stdout).toContain(
      "dev/blue (deployment controller CODE_DEPLOY): start a CodeDeploy deployment of",
    );
    expect(next.stdout).toContain(
      `aws deploy create-deployment --region ${REGION} --application-name '<APPLICATION>' --deployment-group-name '<DEPLOYMENT_GROUP>'`,
    );
    expect(next.stdout).toContain(arn("blue:2"));

    // The standalone task: a replacement registered and the command to start it, the task itself untouched.
    expect(await revisionsOf("batch")).toEqual([arn("batch:1"), arn("batch:2")]);
    expect(next.stdout).toContain(
      `aws ecs run-task --region ${REGION} --cluster dev --task-definition ${arn("batch:2")} --count 1 --launch-type FARGATE`,
    );
    expect(next.stdout).toContain("(started by events-rule/nightly)");
    expect(next.stdout).toContain("Manual steps remain");
  });
});
