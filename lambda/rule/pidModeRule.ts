import { exceptionsInForce } from "../core/approvedExceptions";
import { changeTarget, isResentItem } from "../core/changePlan";
import { InvalidEventError } from "../errors";
import type { RuleInvocation } from "../event";
import { evaluateChange } from "./change";
import type { RuleDependencies } from "./ports";
import { sweepAccount } from "./sweep";
import type { TriggerContext } from "./trigger";
import { finish, type InvocationReport, type ReportBase } from "./writeAndReport";

/** Time kept to write certain verdicts and fail loudly before Lambda's own timeout would kill the sweep. */
export const DEFAULT_RESERVE_MS = 60_000;

/**
 * No write or retry is begun later than this before Lambda's timeout: the SDK clients' request timeout
 * (20 s) and time to log and fail.
 */
export const FINAL_MARGIN_MS = 25_000;

/**
 * The rule, free of Lambda and SDK details: an invocation in, evaluations written, a report out. Every
 * trigger is one pipeline: read what it needs, plan in the core, write what changed, finish in one place.
 */
export class PidModeRule {
  constructor(private readonly dependencies: RuleDependencies) {}

  async handle(invocation: RuleInvocation, remainingTimeMs: () => number): Promise<InvocationReport> {
    const { clock, deadline } = this.dependencies;
    const reserveMs = this.dependencies.reserveMs ?? DEFAULT_RESERVE_MS;
    const shouldStop = () => remainingTimeMs() < reserveMs;
    deadline?.start(remainingTimeMs, { reserveMs, finalMarginMs: FINAL_MARGIN_MS });
    const { trigger } = invocation;
    // The event is judged readable before anything is read: a bad resource id fails here, whole.
    if (trigger.kind !== "scheduled") {
      const target = changeTarget(trigger.item, invocation.eventLeftScope, invocation.scope);
      if (target.kind === "invalid")
        throw new InvalidEventError(`invalid AWS Config rule event: ${target.problem}`);
    }
    const [exceptions, ports] = await Promise.all([
      this.dependencies.exceptions.load(),
      this.dependencies.portsFor(invocation.accountId, invocation.executionRoleName),
    ]);
    const now = new Date(clock.now());
    // An unverifiable list applies no exception: the verdicts are written as if there were none, then
    // `finish` fails loudly. A bad entry costs only that entry.
    const { review, unverifiable } = exceptionsInForce(exceptions, {
      ...this.dependencies.exceptionsReview,
      now,
    });
    const reportBase: ReportBase = {
      trigger: trigger.kind,
      expiringSoon: review.expiringSoon,
      invalidExceptions: review.invalid,
      ...(unverifiable === undefined ? {} : { unverifiableExceptions: unverifiable }),
    };
    const context: TriggerContext = {
      configRuleName: invocation.configRuleName,
      ports,
      exceptions: review.approved,
      now,
      shouldStop,
      scope: invocation.scope,
      orderingTimestamp: trigger.notificationTime ?? now,
    };
    if (trigger.kind === "scheduled") {
      const outcome = await sweepAccount(context, trigger.notificationTime);
      return finish(ports, invocation.resultToken, outcome, reportBase);
    }
    const item =
      trigger.kind === "oversized" &&
      !invocation.eventLeftScope &&
      changeTarget(trigger.item, false, invocation.scope).kind !== "outOfScope"
        ? await ports.config.historicalItem(
            trigger.item.resourceType,
            trigger.item.resourceId,
            trigger.item.captureTime,
          )
        : trigger.item;
    const target = changeTarget(item, invocation.eventLeftScope, invocation.scope);
    if (target.kind === "invalid")
      throw new InvalidEventError(`invalid configuration item from AWS Config's history: ${target.problem}`);
    const outcome = await evaluateChange(context, item, target, {
      manyMayFollow: isResentItem(trigger.item.captureTime, trigger.notificationTime),
    });
    return finish(ports, invocation.resultToken, outcome, reportBase);
  }
}
