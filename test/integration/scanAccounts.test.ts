import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { runScan, type ScanEnvironment } from "../../cli/scan/runScan";
import { sdkClients } from "../../cli/shared/clients";
import { systemClock } from "../../lambda/util/clock";
import { keepTasksRunning, MOTO_ACCOUNT_ID, type MotoServer, startMoto } from "../support/moto/motoServer";

/**
 * The scan through the real SDK clients the command builds, against moto_server on loopback: `--endpoint-url`
 * sends every request there, and two "accounts" (two moto servers, one per profile) are scanned in one run,
 * grouped by account, each account's verdicts its own.
 */

jest.setTimeout(120_000);

const REGION = "us-east-1";
const servers: MotoServer[] = [];
const saved = { ...process.env };

async function seed(url: string, family: string, pidMode: "host" | undefined): Promise<void> {
  const ecs = new ECSClient({ region: REGION, endpoint: url });
  await ecs.send(new CreateClusterCommand({ clusterName: "prod" }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      ...(pidMode ? { pidMode } : {}),
      containerDefinitions: [
        { name: "main", image: "public.ecr.aws/docker/library/busybox:1.36", memory: 128, essential: true },
      ],
    }),
  );
  await ecs.send(
    new RunTaskCommand({
      cluster: "prod",
      taskDefinition: `${family}:1`,
      // moto runs tasks without container instances only with launchType FARGATE.
      launchType: "FARGATE",
      count: 1,
    }),
  );
}

function environment(clientsFor: ScanEnvironment["clientsFor"]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env: ScanEnvironment = {
    clientsFor,
    knownProfiles: async () => new Set(["first", "second"]),
    envProfile: undefined,
    readTextFile: async () => Promise.reject(Object.assign(new Error("ENOENT"), { code: "ENOENT" })),
    writeTextFile: async () => undefined,
    clock: systemClock,
    stdout: (text) => stdout.push(text),
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
  };
  return { env, text: () => ({ stdout: stdout.join(""), stderr: stderr.join("") }) };
}

beforeAll(async () => {
  for (const name of ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_STS"])
    delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  });
  for (const [family, pidMode] of [
    ["web", undefined],
    ["agent", "host"],
  ] as const) {
    const server = await startMoto();
    await keepTasksRunning(server.url);
    await seed(server.url, family, pidMode);
    servers.push(server);
  }
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  process.env = saved;
});

describe("the scan against moto through the command's own SDK clients", () => {
  it("sends every request to --endpoint-url", async () => {
    const { env, text } = environment((profile, connection) => sdkClients(profile, connection));
    const status = await runScan(
      ["--endpoint-url", servers[0]?.url ?? "", "--json", "--region", REGION],
      env,
    );
    expect(text().stderr).not.toContain("error");
    expect(status).toBe(0);
    const document = JSON.parse(text().stdout) as {
      accountId: string;
      verdicts: { taskDefinition: string }[];
    };
    expect(document.accountId).toBe(MOTO_ACCOUNT_ID);
    expect(document.verdicts.map((verdict) => verdict.taskDefinition)).toEqual(["web"]);
  });

  it("scans two accounts in one run, grouped by account, and exits 2 for the one with a host-PID task", async () => {
    const endpointOf = { first: servers[0]?.url, second: servers[1]?.url } as Record<string, string>;
    const { env, text } = environment((profile, connection) =>
      // Each profile's endpoint stands for its account; the credentials are the environment's.
      sdkClients(undefined, { ...connection, endpointUrl: endpointOf[profile ?? ""] ?? "" }),
    );
    const status = await runScan(
      ["--profile", "first", "--profile", "second", "--json", "--region", REGION],
      env,
    );
    expect(status).toBe(2);
    const document = JSON.parse(text().stdout) as {
      accounts: { source: string; verdicts: { taskDefinition: string; complianceType: string }[] }[];
    };
    expect(
      document.accounts.map((account) => [
        account.source,
        account.verdicts.map((verdict) => `${verdict.taskDefinition} ${verdict.complianceType}`),
      ]),
    ).toEqual([
      ["profile first", ["web COMPLIANT"]],
      ["profile second", ["agent NON_COMPLIANT"]],
    ]);
  });
});
