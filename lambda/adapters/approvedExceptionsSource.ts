import { createHash } from "node:crypto";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import type { ExceptionsDocument } from "../core/approvedExceptions";
import { DEFAULT_VIEW_CACHE_SECONDS } from "../core/ruleDefaults";
import { InvalidSettingError } from "../errors";
import type { ExceptionsSource } from "../rule/ports";
import type { Clock } from "../util/clock";
import type { InvocationDeadline } from "../util/deadline";
import { errorText } from "../util/errorText";
import { withRetry } from "./retry";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The hex SHA-256 of the parameter's exact value: what the stack deploys as `EXCEPTIONS_SHA256`. */
export function exceptionsDigest(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export interface SsmExceptionsSourceOptions {
  /** No name: no exceptions list is deployed. */
  readonly parameterName: string | undefined;
  /** The digest of the value the pipeline deployed; without it (a hand deployment) any value is read as is. */
  readonly expectedSha256: string | undefined;
  /** @default DEFAULT_VIEW_CACHE_SECONDS */
  readonly ttlMs?: number;
  /** @default - retries only within their own policy */
  readonly deadline?: InvocationDeadline;
}

/**
 * Exceptions live in one SSM parameter (a JSON array) that only the pipeline should write. A value whose digest
 * is not the deployed one is reported as tampered, a parameter that cannot be read as unreadable: the rule then
 * applies no exception at all rather than guess. Only a verified value is kept, for `ttlMs`, so that a burst
 * of change notifications reads it once and a failed read is tried again by the next invocation.
 */
export class SsmExceptionsSource implements ExceptionsSource {
  private cached: { found: ExceptionsDocument; readAt: number } | undefined;
  private readonly ttlMs: number;

  constructor(
    private readonly ssm: Pick<SSMClient, "send">,
    private readonly clock: Clock,
    private readonly options: SsmExceptionsSourceOptions,
  ) {
    const { expectedSha256 } = options;
    if (expectedSha256 !== undefined && !SHA256_HEX.test(expectedSha256)) {
      throw new InvalidSettingError(
        `environment variable EXCEPTIONS_SHA256 must be 64 lower-case hex digits, got ${JSON.stringify(expectedSha256)}`,
      );
    }
    this.ttlMs = options.ttlMs ?? DEFAULT_VIEW_CACHE_SECONDS * 1000;
  }

  async load(): Promise<ExceptionsDocument> {
    const { parameterName, expectedSha256 } = this.options;
    if (!parameterName) return { status: "none" };
    const now = this.clock.now();
    if (this.cached && now - this.cached.readAt < this.ttlMs) return this.cached.found;
    let value: string | undefined;
    try {
      const response = await withRetry(
        () => this.ssm.send(new GetParameterCommand({ Name: parameterName })),
        this.clock,
        this.options.deadline ? { budget: this.options.deadline.reads } : {},
      );
      value = response.Parameter?.Value;
    } catch (error) {
      return {
        status: "unverifiable",
        problem: "unreadable",
        detail: `cannot read the parameter ${parameterName}: ${errorText(error)}`,
      };
    }
    if (value === undefined) {
      return {
        status: "unverifiable",
        problem: "unreadable",
        detail: `the parameter ${parameterName} has no value`,
      };
    }
    if (expectedSha256 !== undefined) {
      const actual = exceptionsDigest(value);
      if (actual !== expectedSha256) {
        return {
          status: "unverifiable",
          problem: "tampered",
          detail: `the parameter ${parameterName} was changed outside the pipeline: its SHA-256 is ${actual}, the deployed list's ${expectedSha256}`,
        };
      }
    }
    const found: ExceptionsDocument = { status: "read", text: value };
    this.cached = { found, readAt: now };
    return found;
  }
}
