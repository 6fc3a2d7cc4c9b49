import { spawn } from "node:child_process";
import { build } from "esbuild";
import { ruleEsbuildOptions } from "../infra/bundling";

/**
 * Bundles `entry` (by default the rule's own) with the deployed function's esbuild options
 * (`infra/bundling.ts`), so that what the benchmark loads is built as what runs in Lambda.
 */
export async function bundle(outfile: string, entry?: string): Promise<void> {
  const options = ruleEsbuildOptions(outfile);
  await build({ ...options, ...(entry ? { entryPoints: [entry] } : {}), logLevel: "error" });
}

/**
 * Runs `node <args>` in a fresh process and returns the JSON line it prints last. The parent's event loop
 * stays free meanwhile, so it can serve the simulated account on loopback to the child.
 */
export function runNode<T>(args: readonly string[], env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (error) {
        reject(new Error(`node ${args.join(" ")}: ${String(error)}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

/** What the SDK needs to talk to the loopback simulator, read the standard way from the environment. */
export function loopbackEnvironment(url: string, region: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL: url,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: "SIMULATED",
    AWS_SECRET_ACCESS_KEY: "SIMULATED",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}
