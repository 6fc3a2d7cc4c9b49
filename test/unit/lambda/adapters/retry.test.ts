import { isRetryable, withRetry } from "../../../../lambda/adapters/retry";
import { accessDenied, awsError, throttling } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

/** The network errors a retry is for, written out here as the test's own list rather than read from the module. */
const NETWORK_CODES =
  "ECONNRESET ECONNREFUSED EPIPE ETIMEDOUT EHOSTUNREACH ENETUNREACH ENOTFOUND EAI_AGAIN".split(" ");

/**
 * `withRetry` over a call ECS always throttles, which must end in the throttle; `onAttempt` sees each attempt's
 * number before it fails. How many attempts were made and the backoffs slept between them.
 */
async function alwaysThrottled(
  options: Parameters<typeof withRetry>[2],
  onAttempt: (attempt: number) => void = () => {},
): Promise<{ attempts: number; sleeps: number[] }> {
  const clock = new FakeClock();
  let attempts = 0;
  const failing = withRetry(
    async () => {
      onAttempt(++attempts);
      throw throttling();
    },
    clock,
    options,
  );
  await expect(failing).rejects.toThrow("Rate exceeded");
  return { attempts, sleeps: clock.sleeps };
}

describe("retries", () => {
  it.each([
    ["throttling", throttling(), true],
    ["a 5xx", awsError("ServerException", "oops", 500), true],
    ["access denied", accessDenied("ecs:ListTasks"), false],
    ["a client error", awsError("ClientException", "Unable to describe task definition."), false],
    ...NETWORK_CODES.map(
      (code) =>
        [`the network error ${code}`, Object.assign(new Error(code), { code }), true] as [
          string,
          Error,
          boolean,
        ],
    ),
    [
      "the SDK's request timeout",
      Object.assign(new Error("timed out"), { name: "TimeoutError", code: "ETIMEDOUT" }),
      true,
    ],
    [
      "RequestTimeout",
      awsError("RequestTimeout", "Your socket connection to the server was not read from", 400),
      true,
    ],
    ["RequestTimeoutException", awsError("RequestTimeoutException", "timed out", 400), true],
    [
      "a network error wrapped as a cause",
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }),
      true,
    ],
    ["an unknown network code", Object.assign(new Error("EACCES"), { code: "EACCES" }), false],
  ])("treats %s as retryable: %s", (_case, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  it("backs off between attempts and stops after the last one", async () => {
    const run = await alwaysThrottled({
      policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
      random: () => 1,
    });
    expect(run.attempts).toBe(4);
    expect(run.sleeps).toEqual([100, 200, 300]);
  });

  it("gives up instead of sleeping a backoff that would outlast its time budget", async () => {
    let msLeft = 10_000;
    const run = await alwaysThrottled(
      {
        budget: { msLeft: () => msLeft },
        random: () => 0,
        policy: { maxAttempts: 6, baseDelayMs: 400, maxDelayMs: 8_000 },
      },
      (attempt) => {
        msLeft = attempt >= 2 ? 100 : 10_000;
      },
    );
    expect(run.attempts).toBe(2);
    expect(run.sleeps).toEqual([200]);
  });

  it("does not retry at all once its time budget is spent", async () => {
    const run = await alwaysThrottled({ budget: { msLeft: () => 0 } });
    expect(run.attempts).toBe(1);
    expect(run.sleeps).toEqual([]);
  });

  it("takes a token before every attempt", async () => {
    let tokens = 0;
    let attempts = 0;
    await withRetry(
      async () => {
        if (++attempts < 3) throw throttling();
        return "done";
      },
      new FakeClock(),
      { beforeAttempt: async () => void tokens++, random: () => 0 },
    );
    expect(tokens).toBe(3);
  });
});
