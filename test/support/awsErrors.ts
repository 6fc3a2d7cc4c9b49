/** An error shaped like the ones the SDK throws for a service's error response. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
  });
}

export const throttling = () => awsError("ThrottlingException", "Rate exceeded");
export const accessDenied = (action: string) =>
  awsError("AccessDeniedException", `User is not authorized to perform: ${action}`);
