// Runs in its own process, bundled like the function, with the SDK pointed (AWS_ENDPOINT_URL) at the
// simulated account served by the parent: the process holds the rule and nothing of the account, so
// its peak resident set is the rule's memory, as Lambda's "Max Memory Used" would count it.
// Prints one JSON line. Argument: the Config event (JSON).
import { sdkClients } from "../lambda/index";
import { container, invoke } from "./runRule";
import { VirtualClock } from "./virtualClock";

const MB = 1024 * 1024;

/** Real I/O to the loopback simulator holds virtual time still, so buckets see calls where they happen. */
function holdingClock<C>(client: C, clock: VirtualClock): C {
  const inner = client as unknown as { send(command: unknown): Promise<unknown> };
  return { send: (command: unknown) => clock.track(inner.send(command)) } as unknown as C;
}

async function main(): Promise<void> {
  const event = JSON.parse(process.argv[2] ?? "{}") as { accountId: string; invokingEvent: string };
  const start = Date.parse(
    (JSON.parse(event.invokingEvent) as { notificationCreationTime: string }).notificationCreationTime,
  );
  const clock = new VirtualClock(start);
  const clients = {
    ecs: (credentials?: Parameters<typeof sdkClients.ecs>[0]) =>
      holdingClock(sdkClients.ecs(credentials), clock),
    config: (credentials?: Parameters<typeof sdkClients.config>[0]) =>
      holdingClock(sdkClients.config(credentials), clock),
    ssm: () => holdingClock(sdkClients.ssm(), clock),
    sts: () => holdingClock(sdkClients.sts(), clock),
  };
  const baselineRss = process.memoryUsage().rss;
  let peakHeapUsed = 0;
  const sampler = setInterval(() => {
    peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  }, 10);
  const rule = container(event.accountId, clock, clients);
  const result = await invoke(rule, event, clock);
  clearInterval(sampler);
  process.stdout.write(
    `${JSON.stringify({
      baselineRssMb: baselineRss / MB,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      peakHeapUsedMb: Math.max(peakHeapUsed, process.memoryUsage().heapUsed) / MB,
      virtualSeconds: result.elapsedMs / 1000,
      written: result.report?.evaluationsWritten ?? 0,
      failure: result.failure ?? null,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
