import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ActionRouter,
  answerJson,
  errorAnswer,
  type JsonAnswer,
  ServiceError,
} from "./inProcessHandler";

/** Routers by the service prefix of `X-Amz-Target` (`StarlingDoveService` is AWS Config's). */
export type ServiceRouters = Partial<Record<"ecs" | "config" | "ssm", ActionRouter>>;

const PREFIXES: Record<string, keyof ServiceRouters> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  StarlingDoveService: "config",
  AmazonSSM: "ssm",
};

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Serves simulated AWS JSON APIs on loopback, for code that must talk real HTTP: point the SDK at it
 * with `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_CONFIG_SERVICE` or `AWS_ENDPOINT_URL_SSM`.
 */
export async function serveOnLoopback(routers: ServiceRouters, port = 0): Promise<RunningServer> {
  const server: Server = createServer(async (request, response) => {
    const target = String(request.headers["x-amz-target"] ?? "");
    const [prefix = "", action = ""] = target.split(".");
    const router = PREFIXES[prefix] ? routers[PREFIXES[prefix]] : undefined;
    let answer: JsonAnswer;
    try {
      if (!router) throw new ServiceError("UnknownOperationException", `no simulator for ${target}`);
      answer = await answerJson(router, action, await readBody(request));
    } catch (error) {
      answer = errorAnswer(
        error instanceof ServiceError ? error : new ServiceError("InternalFailure", String(error), 500),
      );
    }
    response.writeHead(answer.statusCode, { "content-type": "application/x-amz-json-1.1" });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
