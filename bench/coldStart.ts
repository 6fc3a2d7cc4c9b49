import { statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ruleEsbuildOptions, SOURCE_MAP_NODE_OPTIONS } from "../infra/bundling";
import { serveOnLoopback } from "../sim/httpServer";
import { SimulatedConfig } from "../sim/simulatedConfig";
import { SimulatedEcs } from "../sim/simulatedEcs";
import type { GeneratedAccount } from "./accounts";
import { loopbackEnvironment, runNode } from "./childProcess";
import { scheduledEvent } from "./events";

interface ProbeTimes {
  readonly loadMs: number;
  readonly invokeMs: number;
  /** A second invocation with the same event in the same process: what a warm container pays. */
  readonly warmInvokeMs: number;
  readonly totalMs: number;
}

export interface BundleFigures extends ProbeTimes {
  readonly bytes: number;
  readonly sourceMapBytes: number;
}

export interface ColdStartFigures {
  readonly rule: BundleFigures;
  readonly bare: BundleFigures;
}

/** Builds with the CDK's own esbuild options (`infra/bundling.ts`); the bare handler gets the same options. */
async function buildBundle(entry: string | undefined, outfile: string): Promise<void> {
  const options = ruleEsbuildOptions(outfile);
  await build({ ...options, ...(entry ? { entryPoints: [entry] } : {}), logLevel: "error" });
}

async function measure(outfile: string, event: unknown, env: NodeJS.ProcessEnv): Promise<BundleFigures> {
  const times = await runNode<ProbeTimes>(
    [join(__dirname, "coldStartProbe.cjs"), outfile, JSON.stringify(event)],
    { ...env, NODE_OPTIONS: SOURCE_MAP_NODE_OPTIONS },
  );
  return { ...times, bytes: statSync(outfile).size, sourceMapBytes: statSync(`${outfile}.map`).size };
}

/**
 * One fresh process each (a ratio from one run): the deployable bundle loaded and invoked once with a
 * ScheduledNotification for a tiny account served on loopback, against a bare handler importing the
 * same four SDK clients. Both run with the function's NODE_OPTIONS (source maps on).
 */
export async function measureColdStart(tiny: GeneratedAccount, workDir: string): Promise<ColdStartFigures> {
  const ruleFile = join(workDir, "rule", "index.js");
  const bareFile = join(workDir, "bare", "index.js");
  await buildBundle(undefined, ruleFile);
  await buildBundle(join(__dirname, "bareHandler.ts"), bareFile);
  const server = await serveOnLoopback({
    ecs: new SimulatedEcs(tiny.account).route,
    config: new SimulatedConfig(tiny.account).route,
  });
  try {
    const env = loopbackEnvironment(server.url, tiny.account.region);
    const event = scheduledEvent(tiny.account, Date.now());
    const bare = await measure(bareFile, event, env);
    const rule = await measure(ruleFile, event, env);
    return { rule, bare };
  } finally {
    await server.close();
  }
}
