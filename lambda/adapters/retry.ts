import type { Clock } from "./clock";

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

const THROTTLING_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
]);
const TRANSIENT_NAMES = new Set([
  "ServerException",
  "InternalFailure",
  "ServiceUnavailable",
  "TimeoutError",
  "ECONNRESET",
]);

interface AwsErrorShape {
  name?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isThrottling(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && THROTTLING_NAMES.has((error as AwsErrorShape).name ?? "")
  );
}

/** Throttling, 5xx and dropped connections are worth another try; everything else is an answer. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const shape = error as AwsErrorShape;
  const name = shape.name ?? "";
  if (THROTTLING_NAMES.has(name) || TRANSIENT_NAMES.has(name) || TRANSIENT_NAMES.has(shape.code ?? ""))
    return true;
  return shape.$fault === "server" || (shape.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Calls `attempt` until it succeeds, fails for good, or runs out of attempts, sleeping with capped
 * exponential backoff and "equal jitter" between tries. `beforeAttempt` runs before every try (the
 * token bucket), so retries pay for their tokens like first attempts.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  clock: Clock,
  options: { policy?: RetryPolicy; beforeAttempt?: () => Promise<void>; random?: () => number } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    await options.beforeAttempt?.();
    try {
      return await attempt();
    } catch (error) {
      if (attemptNumber >= policy.maxAttempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
      await clock.sleep(ceiling / 2 + random() * (ceiling / 2));
    }
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
