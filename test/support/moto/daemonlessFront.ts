import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * moto 5.2.1 has no ECS Managed Daemons API: it answers those operations with an HTML page, which the rule rightly
 * reads as an unread cluster. This loopback front answers them as ECS does in a Region without the feature
 * (`UnsupportedFeatureException`, per shared/reference/aws-facts.md) and passes every other request to moto unchanged.
 */
const DAEMON_OPERATIONS = new Set([
  "ListDaemons",
  "DescribeDaemon",
  "DescribeDaemonRevisions",
  "DescribeDaemonTaskDefinition",
  "ListDaemonTaskDefinitions",
  "RegisterDaemonTaskDefinition",
]);

const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

export interface LoopbackFront {
  readonly url: string;
  close(): Promise<void>;
}

function daemonOperation(request: IncomingMessage): string | undefined {
  const target = request.headers["x-amz-target"];
  if (typeof target !== "string" || !target.startsWith(ECS_TARGET_PREFIX)) return undefined;
  const operation = target.slice(ECS_TARGET_PREFIX.length);
  return DAEMON_OPERATIONS.has(operation) ? operation : undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function forward(upstream: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === "host" || name === "connection" || name === "content-length")
      continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const answer = await fetch(new URL(request.url ?? "/", upstream), {
    method: request.method ?? "GET",
    headers,
    body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
  });
  const passed: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (name !== "content-encoding" && name !== "transfer-encoding" && name !== "connection")
      passed[name] = value;
  });
  const payload = Buffer.from(await answer.arrayBuffer());
  passed["content-length"] = String(payload.length);
  response.writeHead(answer.status, passed);
  response.end(payload);
}

function answerUnsupported(operation: string, response: ServerResponse): void {
  const payload = JSON.stringify({
    __type: "UnsupportedFeatureException",
    message: `${operation}: the specified task is not supported in this Region.`,
  });
  response.writeHead(400, {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-errortype": "UnsupportedFeatureException",
    "content-length": String(Buffer.byteLength(payload)),
  });
  response.end(payload);
}

/** Starts the front on a free loopback port, in front of `upstream` (moto's URL). */
export async function startDaemonlessFront(upstream: string): Promise<LoopbackFront> {
  const server = createServer((request, response) => {
    const operation = daemonOperation(request);
    if (operation !== undefined) {
      request.resume();
      answerUnsupported(operation, response);
      return;
    }
    forward(upstream, request, response).catch((error: unknown) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`front could not reach moto: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no loopback port for the moto front");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
