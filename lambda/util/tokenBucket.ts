import { InvalidSettingError, TimeLimitError } from "../errors";
import type { Clock } from "./clock";
import { type TimeBudget, UNLIMITED } from "./deadline";

export interface BucketRate {
  readonly burst: number;
  readonly refillPerSecond: number;
}

/**
 * A client-side token bucket. AWS throttles per account with buckets shared by every caller, so the
 * rule takes only a share of each and leaves the rest to the owner's own tooling. Tokens may go
 * negative: each caller reserves its token and sleeps until it is due, which keeps callers in order.
 * The share is per container, and other containers or the owner's tooling can still exhaust ECS's
 * bucket: when ECS throttles anyway the bucket halves its rate, and creeps back up as calls succeed.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private refillPerSecond: number;

  constructor(
    private readonly rate: BucketRate,
    private readonly clock: Clock,
  ) {
    if (!(rate.burst >= 1) || !(rate.refillPerSecond > 0)) {
      throw new InvalidSettingError(
        `token bucket needs burst >= 1 and refillPerSecond > 0, got ${JSON.stringify(rate)}`,
      );
    }
    this.tokens = rate.burst;
    this.updatedAt = clock.now();
    this.refillPerSecond = rate.refillPerSecond;
  }

  /**
   * Waits for a token. A caller whose turn would come after its `budget` ends gets no token and a
   * TimeLimitError at once, so a queue of thousands reserved ahead never sleeps past the deadline.
   */
  async take(budget: TimeBudget = UNLIMITED): Promise<void> {
    this.topUp();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens / this.refillPerSecond) * 1000;
    if (waitMs >= budget.msLeft()) {
      this.tokens += 1;
      throw new TimeLimitError("not sent before the time limit");
    }
    await this.clock.sleep(waitMs);
  }

  /** ECS throttled a call of this bucket: halve the rate, down to a sixteenth of the configured one. */
  slowDown(): void {
    this.topUp();
    this.refillPerSecond = Math.max(this.rate.refillPerSecond / 16, this.refillPerSecond / 2);
  }

  /** A call of this bucket succeeded: win back a twentieth of the configured rate, never more than it. */
  speedUp(): void {
    if (this.refillPerSecond === this.rate.refillPerSecond) return;
    this.topUp();
    this.refillPerSecond = Math.min(
      this.rate.refillPerSecond,
      this.refillPerSecond + this.rate.refillPerSecond / 20,
    );
  }

  private topUp(): void {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.refillPerSecond,
    );
    this.updatedAt = now;
  }
}

/** `share` of a bucket: its burst rounded down (at least 1) and its refill rate scaled. */
export function sharedRate(rate: BucketRate, share: number): BucketRate {
  return {
    burst: Math.max(1, Math.floor(rate.burst * share)),
    refillPerSecond: rate.refillPerSecond * share,
  };
}
