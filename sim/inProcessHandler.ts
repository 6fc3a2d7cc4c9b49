import { HttpResponse } from "@smithy/protocol-http";

/** An error a simulated service answers with, serialised the way AWS JSON protocols do. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export type ActionRouter = (action: string, input: Record<string, unknown>) => unknown | Promise<unknown>;

/** An answer in the AWS JSON protocol (1.1): a status and the JSON body. */
export interface JsonAnswer {
  readonly statusCode: number;
  readonly body: string;
}

/** A ServiceError as AWS JSON protocols serialise it: its type as `__type`, beside its message. */
export function errorAnswer(error: ServiceError): JsonAnswer {
  return {
    statusCode: error.statusCode,
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}

/**
 * Routes one AWS JSON request (the action and the body's text) and serialises what `route` returns, or the
 * ServiceError it throws. Any other error is the simulator's own failure and propagates.
 */
export async function answerJson(route: ActionRouter, action: string, body: string): Promise<JsonAnswer> {
  try {
    const payload = await route(action, body ? (JSON.parse(body) as Record<string, unknown>) : {});
    return { statusCode: 200, body: JSON.stringify(payload ?? {}) };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return errorAnswer(error);
  }
}

interface JsonRequest {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A request handler for real SDK clients that answers in process: the SDK still serialises, signs and
 * deserialises every call, so the rule code runs exactly as it would against AWS.
 */
export class InProcessHandler {
  readonly metadata = { handlerProtocol: "in-process" };

  constructor(private readonly route: ActionRouter) {}

  async handle(request: JsonRequest): Promise<{ response: HttpResponse }> {
    const target = request.headers["x-amz-target"] ?? "";
    const action = target.slice(target.indexOf(".") + 1);
    const text =
      typeof request.body === "string"
        ? request.body
        : new TextDecoder().decode(request.body as Uint8Array | undefined);
    const answer = await answerJson(this.route, action, text);
    return {
      response: new HttpResponse({
        statusCode: answer.statusCode,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: new TextEncoder().encode(answer.body),
      }),
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
