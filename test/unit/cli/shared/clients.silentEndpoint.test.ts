import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import type { STSClient } from "@aws-sdk/client-sts";
import { runScan } from "../../../../cli/scan/runScan";
import { COMMAND_REQUEST_TIMEOUT_MS, sdkClients } from "../../../../cli/shared/clients";
import { endpointOf } from "../../../../cli/shared/endpointErrors";
import { DEFAULT_RETRY_POLICY } from "../../../../lambda/adapters/retry";
import { httpTimeouts } from "../../../../lambda/adapters/sdkClientOptions";

const TIMEOUT_MS = 300;
const ACCOUNT = { send: async () => ({ Account: "111122223333", $metadata: {} }) } as unknown as STSClient;

/** A server that accepts every connection and never answers: the endpoint the AWS CLI gives up on after 60 s. */
async function silentServer(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => sockets.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const SAVED = { ...process.env };
let server: Awaited<ReturnType<typeof silentServer>>;

beforeEach(async () => {
  server = await silentServer();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_REGION: "eu-west-1",
  });
  delete process.env.AWS_PROFILE;
});

afterEach(async () => {
  process.env = { ...SAVED };
  await server.close();
});

async function scanAgainst(sts: "silent" | "answers") {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const started = Date.now();
  const status = await runScan(["--region", "eu-west-1"], {
    clientsFor: (profile) => {
      const clients = sdkClients(profile, {}, httpTimeouts(TIMEOUT_MS, TIMEOUT_MS));
      return sts === "silent" ? clients : { ...clients, sts: () => ACCOUNT };
    },
    knownProfiles: async () => new Set(),
    envProfile: undefined,
    readTextFile: async () => "[]",
    writeTextFile: async () => undefined,
    // Real time for the SDK's timeouts; the rule's backoff sleeps are skipped to keep the test short.
    clock: { now: () => Date.now(), sleep: async () => undefined },
    stdout: (text) => stdout.push(text),
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join(""), elapsedMs: Date.now() - started };
}

describe("a scan against an endpoint that accepts connections and never answers", () => {
  it("ends when STS never answers, naming STS and the endpoint, after the SDK's 3 attempts", async () => {
    process.env.AWS_ENDPOINT_URL_STS = server.url;
    const result = await scanAgainst("silent");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`STS at ${server.url}`);
    expect(result.stderr).toMatch(/^error: cannot reach AWS \(/m);
    expect(server.connections()).toBe(3);
    expect(result.elapsedMs).toBeLessThan(3 * TIMEOUT_MS + 3_000);
  }, 20_000);

  it("ends when ECS never answers: the Region is reported unread, naming ECS and the endpoint", async () => {
    process.env.AWS_ENDPOINT_URL_ECS = server.url;
    const result = await scanAgainst("answers");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`eu-west-1: the cluster list: TimeoutError: ECS at ${server.url}`);
    expect(result.stderr).toContain(`error: cannot reach AWS (`);
    // Every attempt reached the server: the named error is still a timeout to the retry rules.
    expect(server.connections()).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(result.elapsedMs).toBeLessThan(DEFAULT_RETRY_POLICY.maxAttempts * TIMEOUT_MS + 3_000);
  }, 20_000);
});

describe("the commands' own timeouts", () => {
  it("give up on a silent endpoint within about a minute, retries and backoff included, as the AWS CLI does", () => {
    const { maxAttempts, baseDelayMs, maxDelayMs } = DEFAULT_RETRY_POLICY;
    let backoffCeilings = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt++)
      backoffCeilings += Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const worstCaseMs = maxAttempts * COMMAND_REQUEST_TIMEOUT_MS + backoffCeilings;
    expect(worstCaseMs).toBeLessThanOrEqual(70_000);
    expect(3 * COMMAND_REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
  });
});

describe("errors that name the endpoint", () => {
  it("prefixes a refused connection with the service and the endpoint", async () => {
    const url = server.url;
    await server.close();
    process.env.AWS_ENDPOINT_URL_ECS = url;
    const error = await sdkClients(undefined, {}, httpTimeouts(TIMEOUT_MS, TIMEOUT_MS))
      .ecs("eu-west-1")
      .send(new ListClustersCommand({}))
      .catch((failure: unknown) => failure);
    expect((error as Error).message).toMatch(new RegExp(`^ECS at ${url}: .*ECONNREFUSED`));
    server = await silentServer();
  });

  it("leaves an answer of the service as it is", async () => {
    const http = createHttpServer((_request, response) => {
      response.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify({ __type: "AccessDeniedException", message: "not authorized" }));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as { port: number };
    process.env.AWS_ENDPOINT_URL_ECS = `http://127.0.0.1:${port}`;
    const error = await sdkClients(undefined)
      .ecs("eu-west-1")
      .send(new ListClustersCommand({}))
      .catch((failure: unknown) => failure);
    await new Promise<void>((resolve) => http.close(() => resolve()));
    expect(error).toMatchObject({ name: "AccessDeniedException", message: "not authorized" });
  });

  it.each([
    [{ protocol: "https:", hostname: "ecs.eu-west-1.amazonaws.com" }, "https://ecs.eu-west-1.amazonaws.com"],
    [{ protocol: "http:", hostname: "127.0.0.1", port: 5000 }, "http://127.0.0.1:5000"],
    [{}, undefined],
  ])("names the endpoint of %j as %s", (request, expected) => {
    expect(endpointOf(request)).toBe(expected);
  });
});
