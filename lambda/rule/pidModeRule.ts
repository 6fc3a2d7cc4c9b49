import { expiringSoon } from "../core/exceptions";
import type { RuleInvocation } from "../event";
import { evaluateChange } from "./changeEvaluation";
import type { InvocationReport } from "./outcome";
import type { RuleDependencies } from "./ports";
import { sweepAccount } from "./sweep";

/** Time kept to write certain verdicts and fail loudly before Lambda's own timeout would kill the sweep. */
export const DEFAULT_RESERVE_MS = 60_000;

/** The rule, free of Lambda and SDK details: an invocation in, evaluations written, a report out. */
export class PidModeRule {
  constructor(private readonly dependencies: RuleDependencies) {}

  async handle(invocation: RuleInvocation, remainingTimeMs: () => number): Promise<InvocationReport> {
    const { clock } = this.dependencies;
    const reserveMs = this.dependencies.reserveMs ?? DEFAULT_RESERVE_MS;
    const shouldStop = () => remainingTimeMs() < reserveMs;
    const [exceptions, ports] = await Promise.all([
      this.dependencies.exceptions.load(),
      this.dependencies.portsFor(invocation.accountId, invocation.executionRoleName),
    ]);
    const now = new Date(clock.now());
    const reportBase = {
      expiringSoon: expiringSoon(exceptions.approved, now),
      invalidExceptions: exceptions.invalid,
    };
    const { trigger } = invocation;
    if (trigger.kind === "scheduled") {
      return sweepAccount(
        invocation,
        trigger.notificationTime,
        ports,
        exceptions,
        now,
        shouldStop,
        reportBase,
      );
    }
    const item =
      trigger.kind === "oversized" && !invocation.eventLeftScope
        ? await ports.config.historicalItem(
            trigger.item.resourceType,
            trigger.item.resourceId,
            trigger.item.captureTime,
          )
        : trigger.item;
    return evaluateChange({ invocation, ports, exceptions, now, shouldStop }, item, {
      ...reportBase,
      trigger: trigger.kind,
    });
  }
}
