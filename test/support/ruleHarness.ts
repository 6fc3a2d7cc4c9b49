import { parseRuleEvent } from "../../lambda/event";
import { failureOf, type InvocationReport } from "../../lambda/rule/writeAndReport";
import { type ClientFactory, createRule, ruleSettings } from "../../lambda/wiring";
import type { SimAccount } from "../../sim/account";
import { type SimulatedAws, simulateAws } from "../../sim/clients";
import type { SimulatedConfigOptions } from "../../sim/simulatedConfig";
import type { SimulatedEcsOptions } from "../../sim/simulatedEcs";
import { ACCOUNT, REGION } from "./ecsIds";
import { FakeClock } from "./fakeClock";

export interface Harness {
  readonly aws: SimulatedAws;
  readonly clock: FakeClock;
  /** One invocation, failing as the handler fails when something was unread, withheld or unverifiable. */
  run(event: unknown, remainingTimeMs?: () => number): Promise<InvocationReport>;
  /** What was written to Config, as `type id COMPLIANCE`. */
  written(): string[];
}

/** The real rule (as the Lambda wires it) over a simulated account behind real SDK clients. */
export function harness(
  account: Partial<SimAccount>,
  options: {
    exceptions?: unknown[];
    ecs?: SimulatedEcsOptions;
    config?: SimulatedConfigOptions;
    clients?: (aws: SimulatedAws) => ClientFactory;
    maxAccounts?: number;
  } = {},
): Harness {
  const aws = simulateAws(
    { accountId: ACCOUNT, region: REGION, clusters: [], revisions: [], ...account },
    options,
  );
  const clock = new FakeClock(Date.parse("2026-11-30T12:00:00Z"));
  const rule = createRule(
    ruleSettings(
      { ownAccountId: ACCOUNT, clock },
      {
        exceptionsParameterName: options.exceptions ? "/ecs-pid-mode-rule/exceptions" : undefined,
        ...(options.maxAccounts === undefined ? {} : { maxAccounts: options.maxAccounts }),
      },
    ),
    options.clients ? options.clients(aws) : aws.clients,
  );
  return {
    aws,
    clock,
    run: async (event, remainingTimeMs = () => 900_000) => {
      const report = await rule.handle(parseRuleEvent(event), remainingTimeMs);
      const failure = failureOf(report);
      if (failure !== undefined) throw failure;
      return report;
    },
    written: () =>
      aws.config.written.map(
        (evaluation) => `${evaluation.resourceType} ${evaluation.resourceId} ${evaluation.complianceType}`,
      ),
  };
}
