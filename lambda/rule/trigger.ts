// What every trigger's pipeline (a change notification, a sweep) is given, and what it gives `finish`.
import type { ApprovedException } from "../core/approvedExceptions";
import type { JudgedScope } from "../core/scope";
import type { WritePlan } from "../core/writes";
import type { AccountPorts } from "./ports";

/** One invocation's account, exceptions in force, time and scope, as every trigger reads them. */
export interface TriggerContext {
  readonly configRuleName: string;
  readonly ports: AccountPorts;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  readonly shouldStop: () => boolean;
  readonly scope: JudgedScope;
  /**
   * The OrderingTimestamp of verdicts drawn from what was read: the notification's creation time (the
   * invocation's, when it has none).
   */
  readonly orderingTimestamp: Date;
}

/** What a trigger found, before it is written. */
export interface TriggerOutcome {
  readonly plan: WritePlan;
  readonly unreadParts: readonly string[];
  readonly unjudgedServiceIds?: readonly string[];
  readonly unrecognisedArns?: readonly string[];
}
