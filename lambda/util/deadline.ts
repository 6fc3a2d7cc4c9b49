/** What is left of a time limit, in milliseconds: zero or less once it has passed. */
export interface TimeBudget {
  msLeft(): number;
}

export const UNLIMITED: TimeBudget = { msLeft: () => Number.POSITIVE_INFINITY };

/**
 * The invocation's two limits. A container handles one event at a time, so the rule starts it at the
 * beginning of each invocation and the adapters built once per container consult it before every wait
 * (a token, a backoff): a wait that would end past its limit is not begun.
 *
 * - `reads` end where the reserve kept for writing and reporting begins.
 * - `writes` end where a request begun might not come back before Lambda's own timeout: `finalMarginMs`
 *   before it (never earlier than `reads`).
 */
export class InvocationDeadline {
  private remainingMs: () => number = () => Number.POSITIVE_INFINITY;
  private reserveMs = 0;
  private finalMarginMs = 0;

  start(
    remainingMs: () => number,
    limits: { readonly reserveMs: number; readonly finalMarginMs: number },
  ): void {
    this.remainingMs = remainingMs;
    this.reserveMs = limits.reserveMs;
    this.finalMarginMs = Math.min(limits.finalMarginMs, limits.reserveMs);
  }

  readonly reads: TimeBudget = { msLeft: () => this.remainingMs() - this.reserveMs };
  readonly writes: TimeBudget = { msLeft: () => this.remainingMs() - this.finalMarginMs };
}
