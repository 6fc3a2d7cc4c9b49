import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { startDaemonlessFront } from "./daemonlessFront";

export interface MotoServer {
  /** A loopback front for moto: daemon operations answered as in a Region without them, the rest passed on. */
  readonly url: string;
  stop(): Promise<void>;
}

export const MOTO_ACCOUNT_ID = "123456789012";

const MISSING =
  "moto_server is not installed (or not on PATH): the integration suite needs it. Install it with: pip install 'moto[server]'";

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no loopback port");
  return address.port;
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `moto_server exited with status ${child.exitCode} before serving (${output().trim()}). ${MISSING}`,
      );
    }
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within 30 s: ${output()}`);
}

/** Starts `moto_server` on a free loopback port; fails with an install hint when it is not there. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freeLoopbackPort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output = (output + String(chunk)).slice(-2_000);
  });
  child.stderr?.on("data", (chunk) => {
    output = (output + String(chunk)).slice(-2_000);
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(MISSING) : error),
    );
  });
  await spawned;
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  };
  try {
    await waitUntilServing(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const front = await startDaemonlessFront(url);
  return {
    url: front.url,
    stop: async () => {
      await front.close();
      await stop();
    },
  };
}

/** Keeps moto's ECS tasks RUNNING: by default each DescribeTasks advances a task one state. */
export async function keepTasksRunning(url: string): Promise<void> {
  const response = await fetch(`${url}/moto-api/state-manager/set-transition`, {
    method: "POST",
    body: JSON.stringify({
      model_name: "ecs::task",
      transition: { progression: "manual", times: 1_000_000 },
    }),
  });
  if (!response.ok) throw new Error(`moto refused the task state transition: HTTP ${response.status}`);
}
