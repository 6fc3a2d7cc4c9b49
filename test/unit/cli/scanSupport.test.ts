import { explainFailure, hintFor } from "../../../cli/scan/failures";
import { profileNames } from "../../../cli/scan/profiles";
import { ProgressLine } from "../../../cli/scan/progress";

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

describe("the profiles the SDK can see", () => {
  it("reads [default], [profile name] and credentials sections but not sso-session or services sections", () => {
    const config =
      "[default]\nregion = us-east-1\n[profile audit]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n[services local]\necs =\n";
    const credentials = "[ci]\naws_access_key_id = AKIAEXAMPLE\n  [ spaced ]\n";
    expect([...profileNames(config, credentials)].sort()).toEqual(["audit", "ci", "default", "spaced"]);
  });

  it("finds none in empty files", () => {
    expect(profileNames("", "").size).toBe(0);
  });
});

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe("the progress line", () => {
  it("rewrites one line in place on a terminal and ends it with a newline", () => {
    const { stream, writes } = recorder(true);
    const line = new ProgressLine(stream, { now: () => 0, sleep: async () => undefined });
    line.update("1/3 clusters read");
    line.update("3/3 clusters read");
    line.finish();
    expect(writes).toEqual(["\r1/3 clusters read\u001b[K", "\r3/3 clusters read\u001b[K", "\n"]);
  });

  it("writes at most one line per interval to a log, then the final counts", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const line = new ProgressLine(stream, { now: () => now, sleep: async () => undefined }, 5_000);
    for (let read = 1; read <= 100; read++) {
      now = read * 100;
      line.update(`${read}/100 clusters read`);
    }
    line.finish();
    expect(writes).toEqual(["1/100 clusters read\n", "51/100 clusters read\n", "100/100 clusters read\n"]);
  });

  it("does not repeat the final counts when they were just written", () => {
    const { stream, writes } = recorder(false);
    const line = new ProgressLine(stream, { now: () => 0, sleep: async () => undefined });
    line.update("2/2 clusters read");
    line.finish();
    expect(writes).toEqual(["2/2 clusters read\n"]);
  });
});
