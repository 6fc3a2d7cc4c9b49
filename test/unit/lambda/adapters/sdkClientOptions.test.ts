import { createServer, type Server, type Socket } from "node:net";
import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { isRetryable } from "../../../../lambda/adapters/retry";
import { httpTimeouts, REQUEST_TIMEOUT_MS } from "../../../../lambda/adapters/sdkClientOptions";
import { DEFAULT_RESERVE_MS, FINAL_MARGIN_MS } from "../../../../lambda/rule/pidModeRule";

/** A server on loopback that accepts connections and never answers, as a stuck endpoint does. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("SDK client timeouts", () => {
  it("end a call to an endpoint that never answers with an error the retries treat as transient", async () => {
    const server = await silentServer();
    try {
      const ecs = new ECSClient({
        region: "us-east-1",
        endpoint: server.url,
        credentials: { accessKeyId: "a", secretAccessKey: "b" },
        maxAttempts: 1,
        requestHandler: httpTimeouts(300),
      });
      const error = await ecs.send(new ListClustersCommand({})).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: "TimeoutError" });
      expect(isRetryable(error)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("let a call that starts before the reserve end within it, and a write begun before the final margin end before Lambda's timeout", () => {
    expect(REQUEST_TIMEOUT_MS).toBeLessThan(DEFAULT_RESERVE_MS);
    expect(REQUEST_TIMEOUT_MS).toBeLessThan(FINAL_MARGIN_MS);
    expect(FINAL_MARGIN_MS).toBeLessThan(DEFAULT_RESERVE_MS);
    expect(httpTimeouts()).toEqual({
      connectionTimeout: 3_000,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });
});
