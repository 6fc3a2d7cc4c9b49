import { statSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_MAP_NODE_OPTIONS } from "../infra/bundling";
import { serveOnLoopback } from "../sim/httpServer";
import { SimulatedConfig } from "../sim/simulatedConfig";
import { SimulatedEcs } from "../sim/simulatedEcs";
import type { GeneratedAccount } from "./accounts";
import { bundle, loopbackEnvironment, runNode } from "./childProcess";
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
  /** The bare handler with Powertools' Logger and Metrics: what those alone add to loading. */
  readonly barePowertools: BundleFigures;
  readonly runs: number;
}

const COLD_START_RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Each figure's median over the runs (a fresh process each). */
function medianOf(runs: readonly BundleFigures[]): BundleFigures {
  const first = runs[0] as BundleFigures;
  return {
    bytes: first.bytes,
    sourceMapBytes: first.sourceMapBytes,
    loadMs: median(runs.map((run) => run.loadMs)),
    invokeMs: median(runs.map((run) => run.invokeMs)),
    warmInvokeMs: median(runs.map((run) => run.warmInvokeMs)),
    totalMs: median(runs.map((run) => run.totalMs)),
  };
}

async function measure(outfile: string, event: unknown, env: NodeJS.ProcessEnv): Promise<BundleFigures> {
  const times = await runNode<ProbeTimes>(
    [join(__dirname, "coldStartProbe.cjs"), outfile, JSON.stringify(event)],
    { ...env, NODE_OPTIONS: SOURCE_MAP_NODE_OPTIONS },
  );
  return { ...times, bytes: statSync(outfile).size, sourceMapBytes: statSync(`${outfile}.map`).size };
}

/**
 * A fresh process for every run (medians of several): the deployable bundle loaded and invoked once with a
 * ScheduledNotification for a tiny account served on loopback, against a bare handler importing the
 * same four SDK clients. Both run with the function's NODE_OPTIONS (source maps on).
 */
export async function measureColdStart(tiny: GeneratedAccount, workDir: string): Promise<ColdStartFigures> {
  const ruleFile = join(workDir, "rule", "index.js");
  const bareFile = join(workDir, "bare", "index.js");
  const barePowertoolsFile = join(workDir, "bare-powertools", "index.js");
  // The bare handlers get the same options as the rule: only what they import differs.
  await bundle(ruleFile);
  await bundle(bareFile, join(__dirname, "bareHandler.ts"));
  await bundle(barePowertoolsFile, join(__dirname, "barePowertoolsHandler.ts"));
  const server = await serveOnLoopback({
    ecs: new SimulatedEcs(tiny.account).route,
    config: new SimulatedConfig(tiny.account).route,
  });
  try {
    const env = loopbackEnvironment(server.url, tiny.account.region);
    const event = scheduledEvent(tiny.account, Date.now());
    // Alternating runs, so that whatever else the machine does falls on both alike; the median of each.
    const bareRuns: BundleFigures[] = [];
    const barePowertoolsRuns: BundleFigures[] = [];
    const ruleRuns: BundleFigures[] = [];
    for (let run = 0; run < COLD_START_RUNS; run++) {
      bareRuns.push(await measure(bareFile, event, env));
      barePowertoolsRuns.push(await measure(barePowertoolsFile, event, env));
      ruleRuns.push(await measure(ruleFile, event, env));
    }
    return {
      rule: medianOf(ruleRuns),
      bare: medianOf(bareRuns),
      barePowertools: medianOf(barePowertoolsRuns),
      runs: COLD_START_RUNS,
    };
  } finally {
    await server.close();
  }
}
