import { explainFailure, hintFor } from "../../../../cli/scan/failures";

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
