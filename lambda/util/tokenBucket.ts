import { InvalidSettingError, TimeLimitError } from "../errors";
import type { Clock } from "./clock";
import { type TimeBudget, UNLIMITED } from "./deadline";

export interface BucketRate {
  readonly burst: number;
  readonly refillPerSecond: number;
}

/** Tokens are counted in floating point: this much short of one still counts as one. */
const ROUNDING = 1e-9;
/** The least time between two steps of recovery after a throttle. */
const RECOVERY_STEP_MS = 1_000;

interface Waiter extends Pick<PromiseWithResolvers<void>, "resolve" | "reject"> {
  readonly budget: TimeBudget;
}

/**
 * A client-side token bucket. AWS throttles per account with buckets shared by every caller, so the
 * rule takes only a share of each and leaves the rest to the owner's own tooling. Callers wait in one
 * queue, served in order as tokens come in, so a change of rate applies at once to every caller still
 * waiting: a queue of thousands is never committed to a pace decided before ECS throttled (or stopped).
 * The share is per container, and other containers or the owner's tooling can still exhaust ECS's
 * bucket: when ECS throttles anyway the bucket halves its rate, and creeps back up as calls succeed.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private refillPerSecond: number;
  private readonly waiting: Waiter[] = [];
  private serving = false;
  private rateChangedAt = Number.NEGATIVE_INFINITY;

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
   * TimeLimitError, at once or as soon as the queue's pace shows it; it never sleeps past the deadline.
   */
  take(budget: TimeBudget = UNLIMITED): Promise<void> {
    this.topUp();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    if (this.msUntilTurn(this.waiting.length) >= budget.msLeft()) return Promise.reject(tooLate());
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ budget, resolve, reject });
      void this.serve();
    });
  }

  /** ECS throttled a call of this bucket: halve the rate, down to a sixteenth of the configured one. */
  slowDown(): void {
    this.topUp();
    this.refillPerSecond = Math.max(this.rate.refillPerSecond / 16, this.refillPerSecond / 2);
    this.rateChangedAt = this.clock.now();
  }

  /**
   * A call of this bucket succeeded: win back a twentieth of the configured rate, never more than it, and
   * at most once a second. Counting successes alone, a queue served at the slowed rate would win the whole
   * rate back within seconds of a throttle and be throttled again.
   */
  speedUp(): void {
    if (this.refillPerSecond === this.rate.refillPerSecond) return;
    if (this.clock.now() - this.rateChangedAt < RECOVERY_STEP_MS) return;
    this.rateChangedAt = this.clock.now();
    this.topUp();
    this.refillPerSecond = Math.min(
      this.rate.refillPerSecond,
      this.refillPerSecond + this.rate.refillPerSecond / 20,
    );
  }

  /** One timer for the whole queue: hand out the tokens there are, sleep until the next one, repeat. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.waiting.length > 0) {
        this.topUp();
        while (this.waiting.length > 0 && this.tokens >= 1 - ROUNDING) {
          const waiter = this.waiting.shift() as Waiter;
          if (waiter.budget.msLeft() <= 0) {
            waiter.reject(tooLate());
            continue;
          }
          this.tokens -= 1;
          waiter.resolve();
        }
        this.refuseThoseTooFarBack();
        if (this.waiting.length > 0) {
          const wait = this.msUntilTurn(0);
          await this.clock.sleep(wait);
          this.topUp(wait);
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** At the current pace, the waiters whose turn comes after their budget ends are told now. */
  private refuseThoseTooFarBack(): void {
    let position = 0;
    for (const waiter of [...this.waiting]) {
      if (this.msUntilTurn(position) >= waiter.budget.msLeft()) {
        this.waiting.splice(position, 1);
        waiter.reject(tooLate());
      } else position++;
    }
  }

  /** Whole milliseconds until the caller at `position` in the queue (0: the first) gets its token. */
  private msUntilTurn(position: number): number {
    return Math.ceil((Math.max(0, position + 1 - ROUNDING - this.tokens) / this.refillPerSecond) * 1000);
  }

  /**
   * Adds the tokens earned since the last top-up. After a sleep of `sleptMs`, at least that much time
   * counts as passed, so a clock that stands still or steps back cannot hold the queue forever.
   */
  private topUp(sleptMs = 0): void {
    const now = this.clock.now();
    const elapsedMs = Math.max(sleptMs, now - this.updatedAt, 0);
    this.tokens = Math.min(this.rate.burst, this.tokens + (elapsedMs / 1000) * this.refillPerSecond);
    this.updatedAt = now;
  }
}

function tooLate(): TimeLimitError {
  return new TimeLimitError("not sent before the time limit");
}

/** `share` of a bucket: its burst rounded down (at least 1) and its refill rate scaled. */
export function sharedRate(rate: BucketRate, share: number): BucketRate {
  return {
    burst: Math.max(1, Math.floor(rate.burst * share)),
    refillPerSecond: rate.refillPerSecond * share,
  };
}
