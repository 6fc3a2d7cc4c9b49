import type { BuildMiddleware, InitializeMiddleware, MetadataBearer } from "@smithy/types";

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

/**
 * `--debug`: one line per request, `debug: ECS ListClusters https://ecs.eu-west-1.amazonaws.com -> 200 in 84 ms`
 * (or the error), on the stream the command gives. Bodies are left out: they can hold secrets.
 */
export function logRequests<T extends { middlewareStack: { add(middleware: never, options: object): void } }>(
  client: T,
  service: string,
  write: (line: string) => void,
  now: () => number = Date.now,
): T {
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const operation = (context as { commandName?: string }).commandName?.replace(/Command$/, "") ?? "request";
    const started = now();
    try {
      const result = await next(args);
      write(
        `debug: ${service} ${operation} -> ${result.response && (result.response as { statusCode?: number }).statusCode} in ${now() - started} ms\n`,
      );
      return result;
    } catch (error) {
      const status = (error as Partial<MetadataBearer>).$metadata?.httpStatusCode;
      write(
        `debug: ${service} ${operation} -> ${status ?? "no answer"} (${(error as Error).name}: ${(error as Error).message}) in ${now() - started} ms\n`,
      );
      throw error;
    }
  };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: "ecsPidModeDebugLog" });
  return client;
}
