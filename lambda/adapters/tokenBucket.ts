import type { Clock } from "./clock";

export interface BucketRate {
  readonly burst: number;
  readonly refillPerSecond: number;
}

/**
 * A client-side token bucket. ECS throttles per account with buckets shared by every caller, so the
 * rule takes only a share of each and leaves the rest to the owner's own tooling. Tokens may go
 * negative: each caller reserves its token and sleeps until it is due, which keeps callers in order.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: BucketRate,
    private readonly clock: Clock,
  ) {
    if (!(rate.burst >= 1) || !(rate.refillPerSecond > 0)) {
      throw new Error(`token bucket needs burst >= 1 and refillPerSecond > 0, got ${JSON.stringify(rate)}`);
    }
    this.tokens = rate.burst;
    this.updatedAt = clock.now();
  }

  async take(): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.rate.refillPerSecond,
    );
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens < 0) await this.clock.sleep((-this.tokens / this.rate.refillPerSecond) * 1000);
  }
}

/** ECS's published read buckets (per account and Region). */
export const ECS_READ_BUCKETS = {
  clusterRead: { burst: 50, refillPerSecond: 20 },
  clusterResourceRead: { burst: 100, refillPerSecond: 20 },
  taskDefinitionRead: { burst: 50, refillPerSecond: 20 },
} as const satisfies Record<string, BucketRate>;

export type EcsBucketName = keyof typeof ECS_READ_BUCKETS;

/** `share` of a bucket: its burst rounded down (at least 1) and its refill rate scaled. */
export function sharedRate(rate: BucketRate, share: number): BucketRate {
  return {
    burst: Math.max(1, Math.floor(rate.burst * share)),
    refillPerSecond: rate.refillPerSecond * share,
  };
}

/** One limiter per ECS bucket, each at `share` (0 < share <= 1) of AWS's rate. */
export function ecsLimiters(share: number, clock: Clock): Record<EcsBucketName, TokenBucket> {
  if (!(share > 0 && share <= 1)) throw new Error(`ECS rate share must be in (0, 1], got ${share}`);
  const scaled = (rate: BucketRate): TokenBucket => new TokenBucket(sharedRate(rate, share), clock);
  return {
    clusterRead: scaled(ECS_READ_BUCKETS.clusterRead),
    clusterResourceRead: scaled(ECS_READ_BUCKETS.clusterResourceRead),
    taskDefinitionRead: scaled(ECS_READ_BUCKETS.taskDefinitionRead),
  };
}
