import type { Clock } from "../util/clock";
import type { TimeBudget } from "../util/deadline";

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
/** The SDK's own transient set: server faults, request timeouts and the network errors of Node.js. */
const TRANSIENT_NAMES = new Set([
  "ServerException",
  "InternalFailure",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // HTTP/2 stream and session failures the SDK retries.
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
]);

interface AwsErrorShape {
  name?: string;
  code?: string;
  cause?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isThrottling(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && THROTTLING_NAMES.has((error as AwsErrorShape).name ?? "")
  );
}

/** Throttling, 5xx, timeouts and network failures are worth another try; everything else is an answer. */
export function isRetryable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null) return false;
  const shape = error as AwsErrorShape;
  const name = shape.name ?? "";
  const code = shape.code ?? "";
  if (THROTTLING_NAMES.has(name) || TRANSIENT_NAMES.has(name) || TRANSIENT_NAMES.has(code)) return true;
  if (TRANSIENT_NETWORK_CODES.has(code) || TRANSIENT_NETWORK_CODES.has(name)) return true;
  if (shape.$fault === "server" || (shape.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  // A wrapped network error (fetch, some proxies) carries the code on its cause.
  return depth < 3 && shape.cause !== undefined && isRetryable(shape.cause, depth + 1);
}

/**
 * Calls `attempt` until it succeeds, fails for good, or runs out of attempts, sleeping with capped
 * exponential backoff and "equal jitter" between tries. `beforeAttempt` runs before every try (the
 * token bucket), so retries pay for their tokens like first attempts. A backoff that would outlast the
 * `budget` is not slept: the failure is the answer.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  clock: Clock,
  options: {
    policy?: RetryPolicy;
    beforeAttempt?: () => Promise<void>;
    random?: () => number;
    budget?: TimeBudget;
  } = {},
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
      const delay = ceiling / 2 + random() * (ceiling / 2);
      if (options.budget !== undefined && delay >= options.budget.msLeft()) throw error;
      await clock.sleep(delay);
    }
  }
}
