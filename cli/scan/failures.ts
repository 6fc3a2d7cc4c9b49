import { errorText } from "../../lambda/index";

/** The read-only permissions the scan uses. */
export const SCAN_PERMISSIONS =
  "ecs:ListClusters, ecs:ListTasks, ecs:DescribeTasks, ecs:DescribeTaskDefinition and sts:GetCallerIdentity";

const HINTS: readonly {
  readonly pattern: RegExp;
  readonly hint: (profile: string | undefined, text: string) => string;
}[] = [
  {
    pattern: /Could not load credentials|Could not resolve credentials|CredentialsProviderError/,
    hint: (profile) =>
      profile === undefined
        ? "no AWS credentials found: run `aws configure` or `aws sso login`, set AWS_PROFILE, or pass --profile NAME"
        : `no credentials for profile ${profile}: run \`aws sso login --profile ${profile}\` or \`aws configure --profile ${profile}\``,
  },
  {
    pattern: /Region is missing/,
    hint: () => "no AWS Region: pass --region REGION, set AWS_REGION, or give the profile a region",
  },
  {
    pattern: /AccessDenied|UnauthorizedOperation|not authorized to perform/,
    hint: () => `access denied: the scan needs the read-only permissions ${SCAN_PERMISSIONS}`,
  },
  {
    pattern:
      /InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException/,
    hint: () => "the AWS credentials are not valid: check the access key or the profile",
  },
  {
    pattern: /ExpiredToken|TokenRefreshRequired|RequestExpired|expired/i,
    hint: (profile) =>
      `the AWS credentials have expired: sign in again (\`aws sso login${profile ? ` --profile ${profile}` : ""}\`)`,
  },
  {
    pattern: /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|EHOSTUNREACH|ENETUNREACH/,
    // The error names the service and the endpoint it tried (cli/remediate/endpointErrors.ts).
    hint: (_profile, text) =>
      `cannot reach AWS (${text}): check the network, the Region name and any AWS_ENDPOINT_URL settings`,
  },
];

/** What a person should do about a failure, in one line; `undefined` when there is no better word than the error's. */
export function hintFor(text: string, profile: string | undefined): string | undefined {
  return HINTS.find(({ pattern }) => pattern.test(text))?.hint(profile, text);
}

/** One line for an error that stops the scan: the hint when there is one, else the error itself. No stack. */
export function explainFailure(error: unknown, profile: string | undefined): string {
  const text = errorText(error);
  return hintFor(text, profile) ?? text;
}
