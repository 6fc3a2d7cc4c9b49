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
    let statusCode = 200;
    let payload: unknown;
    try {
      payload = await this.route(action, text ? (JSON.parse(text) as Record<string, unknown>) : {});
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      statusCode = error.statusCode;
      payload = { __type: error.type, message: error.message };
    }
    return {
      response: new HttpResponse({
        statusCode,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: new TextEncoder().encode(JSON.stringify(payload ?? {})),
      }),
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
