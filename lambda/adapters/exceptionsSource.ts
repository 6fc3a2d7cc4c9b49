import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { type ExceptionList, NO_EXCEPTIONS, parseExceptionList } from "../core/exceptions";
import { DEFAULT_VIEW_CACHE_SECONDS } from "../core/ruleDefaults";
import { ExceptionsSourceError } from "../errors";
import type { ExceptionsSource } from "../rule/ports";
import type { Clock } from "../util/clock";
import { errorText } from "../util/errorText";
import { withRetry } from "./retry";

/**
 * Exceptions live in one SSM parameter (a JSON array). No parameter name: no exceptions. A named
 * parameter that cannot be read or parsed is an error: guessing "no exceptions" would flip exempt
 * resources to NON_COMPLIANT, guessing the old list would keep expired grants alive.
 * Kept for `ttlMs` so that a burst of change notifications reads it once.
 */
export class SsmExceptionsSource implements ExceptionsSource {
  private cached: { list: ExceptionList; readAt: number } | undefined;

  constructor(
    private readonly ssm: Pick<SSMClient, "send">,
    private readonly parameterName: string | undefined,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_VIEW_CACHE_SECONDS * 1000,
  ) {}

  async load(): Promise<ExceptionList> {
    if (!this.parameterName) return NO_EXCEPTIONS;
    const now = this.clock.now();
    if (this.cached && now - this.cached.readAt < this.ttlMs) return this.cached.list;
    let text: string | undefined;
    try {
      const response = await withRetry(
        () => this.ssm.send(new GetParameterCommand({ Name: this.parameterName })),
        this.clock,
      );
      text = response.Parameter?.Value;
    } catch (error) {
      throw new ExceptionsSourceError(
        `cannot read the exceptions parameter ${this.parameterName}: ${errorText(error)}`,
        { cause: error },
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text ?? "");
    } catch (error) {
      throw new ExceptionsSourceError(
        `the exceptions parameter ${this.parameterName} is not JSON: ${errorText(error)}`,
        { cause: error },
      );
    }
    const list = parseExceptionList(document);
    this.cached = { list, readAt: now };
    return list;
  }
}
