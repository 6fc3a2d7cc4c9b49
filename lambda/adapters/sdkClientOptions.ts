// Timeouts for every SDK client the project builds (the function's and the scanner's). Without them a
// server that accepts a connection and never answers holds the call until the Lambda timeout kills it.
// A call that times out fails with `TimeoutError` (`ETIMEDOUT`), which the retry set treats as transient.
export const CONNECTION_TIMEOUT_MS = 3_000;

/**
 * Shorter than the time the rule keeps in reserve at the end of an invocation (60 s), so a call started
 * before the reserve begins has ended, one way or the other, while there is still time to report.
 */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface HttpTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: true;
}

/** The `requestHandler` option of an SDK client: plain options, which the SDK turns into its Node.js handler. */
export function httpTimeouts(
  requestTimeoutMs = REQUEST_TIMEOUT_MS,
  connectionTimeoutMs = CONNECTION_TIMEOUT_MS,
): HttpTimeouts {
  return {
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}
