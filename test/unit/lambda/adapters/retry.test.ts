import { isRetryable, withRetry } from "../../../../lambda/adapters/retry";
import { accessDenied, awsError, throttling } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

describe("retries", () => {
  it.each([
    ["throttling", throttling(), true],
    ["a 5xx", awsError("ServerException", "oops", 500), true],
    ["access denied", accessDenied("ecs:ListTasks"), false],
    ["a client error", awsError("ClientException", "Unable to describe task definition."), false],
    ...[
      "ECONNRESET",
      "ECONNREFUSED",
      "EPIPE",
      "ETIMEDOUT",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "ENOTFOUND",
      "EAI_AGAIN",
    ].map(
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
    const clock = new FakeClock();
    let attempts = 0;
    const failing = withRetry(
      async () => {
        attempts++;
        throw throttling();
      },
      clock,
      { policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 }, random: () => 1 },
    );
    await expect(failing).rejects.toThrow("Rate exceeded");
    expect(attempts).toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 300]);
  });

  it("gives up instead of sleeping a backoff that would outlast its time budget", async () => {
    const clock = new FakeClock();
    let attempts = 0;
    let msLeft = 10_000;
    const failing = withRetry(
      async () => {
        attempts++;
        msLeft = attempts >= 2 ? 100 : 10_000;
        throw throttling();
      },
      clock,
      {
        budget: { msLeft: () => msLeft },
        random: () => 0,
        policy: { maxAttempts: 6, baseDelayMs: 400, maxDelayMs: 8_000 },
      },
    );
    await expect(failing).rejects.toThrow("Rate exceeded");
    expect(attempts).toBe(2);
    expect(clock.sleeps).toEqual([200]);
  });

  it("does not retry at all once its time budget is spent", async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const failing = withRetry(
      async () => {
        attempts++;
        throw throttling();
      },
      clock,
      { budget: { msLeft: () => 0 } },
    );
    await expect(failing).rejects.toThrow("Rate exceeded");
    expect(attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
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
