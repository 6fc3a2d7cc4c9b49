import { DEFAULT_ECS_RATE_SHARE, DEFAULT_VIEW_CACHE_SECONDS } from "../lambda/core/index";
import {
  type ClientFactory,
  type Clock,
  createRule,
  failureOf,
  IncompleteEvaluationError,
  type InvocationReport,
  type PidModeRule,
  parseRuleEvent,
  ruleSettings,
} from "../lambda/index";
import { remainingTime } from "./virtualClock";

/** The rule's settings as the handler builds them from its defaults (ECS_RATE_SHARE, VIEW_CACHE_SECONDS). */
export const RATE_SHARE = DEFAULT_ECS_RATE_SHARE;
export const VIEW_CACHE_MS = DEFAULT_VIEW_CACHE_SECONDS * 1000;

/** One warm Lambda container, built exactly as the handler builds it, on the benchmark's clock and clients. */
export function container(accountId: string, clock: Clock, clients: ClientFactory): PidModeRule {
  return createRule(ruleSettings({ ownAccountId: accountId, clock }), clients);
}

export interface Invocation {
  readonly report: InvocationReport | undefined;
  /** Why the invocation failed (an incomplete evaluation still carries its report). */
  readonly failure: string | undefined;
  readonly elapsedMs: number;
}

/** One invocation with Lambda's 15 minutes counted down on the clock. */
export async function invoke(rule: PidModeRule, event: unknown, clock: Clock): Promise<Invocation> {
  const started = clock.now();
  try {
    const report = await rule.handle(parseRuleEvent(event), remainingTime(clock));
    const failure = failureOf(report);
    const why =
      failure instanceof IncompleteEvaluationError
        ? `incomplete: ${report.unreadParts.slice(0, 3).join("; ")}`
        : failure && String(failure);
    return { report, failure: why, elapsedMs: clock.now() - started };
  } catch (error) {
    return { report: undefined, failure: String(error), elapsedMs: clock.now() - started };
  }
}

/**
 * How one invocation ends, as the handler decides it: `undefined` when the rule completed, else why it failed
 * (what it threw, or the failure its report calls for: an unread part, a withheld verdict, unverified exceptions).
 */
export async function failureText(run: Promise<InvocationReport>): Promise<string | undefined> {
  try {
    return failureOf(await run)?.message;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
