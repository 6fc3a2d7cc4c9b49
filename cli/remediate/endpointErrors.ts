import type { BuildMiddleware, MetadataBearer } from "@smithy/types";

interface EndpointRequest {
  readonly protocol?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

/** `https://ecs.eu-west-1.amazonaws.com`, as the request was addressed (a custom endpoint's port included). */
export function endpointOf(request: EndpointRequest): string | undefined {
  if (!request.hostname) return undefined;
  const port = request.port === undefined ? "" : `:${request.port}`;
  return `${request.protocol ?? "https:"}//${request.hostname}${port}`;
}

/**
 * An error with no HTTP response: the service never answered (refused, unreachable, timed out). Not
 * `instanceof Error`: Node's own network errors may come from another realm.
 */
function neverAnswered(error: unknown): error is Error {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { message?: unknown }).message === "string" &&
    (error as Partial<MetadataBearer>).$metadata?.httpStatusCode === undefined &&
    !("$response" in error && (error as { $response?: unknown }).$response !== undefined)
  );
}

/**
 * Adds "ECS at https://ecs.eu-west-1.amazonaws.com: " to the message of an error the service never
 * answered, so a timeout or a refused connection says what was being reached. The error keeps its name and
 * code, which decide whether it is retried.
 */
export function endpointNamingMiddleware(service: string): BuildMiddleware<object, MetadataBearer> {
  return (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const endpoint = endpointOf(args.request as EndpointRequest);
      if (endpoint !== undefined && neverAnswered(error) && !error.message.includes(endpoint)) {
        error.message = `${service} at ${endpoint}: ${error.message}`;
      }
      throw error;
    }
  };
}

export function nameEndpointInErrors<
  T extends { middlewareStack: { add(middleware: never, options: object): void } },
>(client: T, service: string): T {
  client.middlewareStack.add(endpointNamingMiddleware(service) as never, {
    step: "build",
    name: "ecsPidModeEndpointInErrors",
  });
  return client;
}
