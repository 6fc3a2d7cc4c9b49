import { join } from "node:path";
import { serveOnLoopback } from "../sim/httpServer";
import { SimulatedConfig } from "../sim/simulatedConfig";
import { SimulatedEcs } from "../sim/simulatedEcs";
import type { GeneratedAccount } from "./accounts";
import { bundle, loopbackEnvironment, runNode } from "./childProcess";
import { scheduledEvent } from "./events";
import { BENCH_START } from "./sweep";

export interface MemoryFigures {
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly virtualSeconds: number;
  readonly written: number;
  readonly failure: string | null;
}

/**
 * Peak memory of the rule during a full sweep: the rule runs alone in a child process (bundled with the
 * function's options) and reads the account over loopback from this process. The simulator does not enforce the
 * buckets here (the child's virtual clock is its own); the rule's own limiter still paces it.
 */
export async function measureSweepMemory(
  generated: GeneratedAccount,
  workDir: string,
): Promise<MemoryFigures> {
  const probe = join(workDir, "memoryProbe.js");
  await bundle(probe, join(__dirname, "memoryProbe.ts"));
  const ecs = new SimulatedEcs(generated.account);
  const config = new SimulatedConfig(generated.account);
  const server = await serveOnLoopback({ ecs: ecs.route, config: config.route });
  try {
    const event = scheduledEvent(generated.account, BENCH_START);
    return await runNode<MemoryFigures>(
      [probe, JSON.stringify(event)],
      loopbackEnvironment(server.url, generated.account.region),
    );
  } finally {
    await server.close();
  }
}
