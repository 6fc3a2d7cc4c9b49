import { CommandFailure, EXIT } from "../../../../cli/shared/command";
import { explainFailure, failureOutcome, hintFor } from "../../../../cli/shared/failures";
import { MissingPermissionError } from "../../../../lambda/index";

describe("the one-line explanation of a failure", () => {
  it.each([
    ["CredentialsProviderError: Could not load credentials from any providers", "no AWS credentials found"],
    ["Error: Region is missing", "no AWS Region: pass --region"],
    [
      "cluster prod: AccessDeniedException: User: arn:aws:iam::1:user/x is not authorized to perform: ecs:ListTasks",
      "access denied: the scan needs the read-only permissions ecs:ListClusters",
    ],
    ["AccessDenied: User is not authorized to perform sts:GetCallerIdentity", "access denied"],
    ["InvalidClientTokenId: The security token included in the request is invalid.", "not valid"],
    ["UnrecognizedClientException: The security token included in the request is invalid.", "not valid"],
    ["ExpiredTokenException: The security token included in the request is expired", "have expired"],
    ["Error: getaddrinfo ENOTFOUND ecs.nowhere-1.amazonaws.com", "cannot reach AWS"],
  ])("turns %j into a hint about what to do", (text, hint) => {
    expect(hintFor(text, undefined)).toContain(hint);
  });

  it("names the profile in the hint when one was chosen", () => {
    expect(hintFor("CredentialsProviderError: Could not load credentials from any providers", "audit")).toBe(
      "no credentials for profile audit: run `aws sso login --profile audit` or `aws configure --profile audit`",
    );
  });

  it("keeps an error it has no hint for as one line with its name, without a stack", () => {
    const error = new Error("the service is having a bad day");
    error.name = "ServiceUnavailableException";
    expect(explainFailure(error, undefined)).toBe(
      "ServiceUnavailableException: the service is having a bad day",
    );
  });
});

describe("the exit code of a failure, as the AWS CLI's", () => {
  const named = (name: string, message: string, extra: object = {}) =>
    Object.assign(new Error(message), { name, ...extra });

  it.each([
    [
      "no credentials",
      named("CredentialsProviderError", "Could not load credentials from any providers"),
      253,
    ],
    ["no Region", named("Error", "Region is missing"), 253],
    ["an unknown profile", new CommandFailure("unknown profile x", { exitCode: EXIT.configuration }), 253],
    [
      "access denied",
      named("AccessDeniedException", "User is not authorized to perform: ecs:ListTasks"),
      254,
    ],
    ["invalid credentials", named("UnrecognizedClientException", "The security token is invalid."), 254],
    ["expired credentials", named("ExpiredTokenException", "The security token is expired"), 254],
    [
      "any other refusal by a service",
      named("InvalidParameterException", "bad", { $metadata: { httpStatusCode: 400 } }),
      254,
    ],
    [
      "a missing permission the command named",
      new MissingPermissionError("ecs:UpdateService", "denied"),
      254,
    ],
    ["an unreachable endpoint", named("Error", "getaddrinfo ENOTFOUND ecs.nowhere-1.amazonaws.com"), 1],
    ["anything else", new Error("something broke"), 1],
    ["a refused value", new CommandFailure("exceptions[0] is refused", { exitCode: EXIT.usage }), 252],
  ])("ends %s with %i", (_case, error, exitCode) => {
    expect(failureOutcome(error, undefined).exitCode).toBe(exitCode);
  });
});
