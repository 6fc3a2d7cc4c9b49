// The central function's whole resource policy in organization mode: which accounts' AWS Config may invoke it.
// Pure, so that synth (infra/configInvokePermissions.ts) and the organization-sync function
// (lambda/orgSync/) build the very same document from the same account list.

/** A Lambda function's resource-based policy is at most 20 KB (Lambda quotas). */
export const LAMBDA_POLICY_LIMIT_BYTES = 20 * 1024;

export const CONFIG_SERVICE_PRINCIPAL = "config.amazonaws.com";

/** The one statement's id: the sync function recognises the policy it owns by it. */
export const CONFIG_INVOKE_SID = "ConfigOfOrganizationAccountsInvokes";

/**
 * The longest ARN the central function can have: the longest partition and Region names and a 64-character
 * function name (CloudFormation generates names of at most 64). The policy's size is measured with it.
 */
export const LONGEST_FUNCTION_ARN = `arn:aws-us-gov:lambda:ap-southeast-5:111111111111:function:${"f".repeat(64)}`;

export interface InvokePolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly Service: string };
  readonly Action: "lambda:InvokeFunction";
  readonly Resource: string;
  readonly Condition: { readonly StringEquals: { readonly "aws:SourceAccount": readonly string[] } };
}

export interface InvokePolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly [InvokePolicyStatement];
}

/**
 * One statement: AWS Config may invoke the function only on behalf of the listed accounts (a multi-valued
 * `aws:SourceAccount`). The rule account comes first, then the members sorted and without repeats (the rule
 * account among them is dropped), so the same set always gives the same text. No statement without a source
 * condition: an empty list is refused.
 */
export function configInvokePolicy(
  functionArn: string,
  ruleAccountId: string,
  memberAccountIds: readonly string[],
): InvokePolicyDocument {
  const members = [...new Set(memberAccountIds)].filter((id) => id !== ruleAccountId).sort();
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: CONFIG_INVOKE_SID,
        Effect: "Allow",
        Principal: { Service: CONFIG_SERVICE_PRINCIPAL },
        Action: "lambda:InvokeFunction",
        Resource: functionArn,
        Condition: { StringEquals: { "aws:SourceAccount": [ruleAccountId, ...members] } },
      },
    ],
  };
}

/** The policy's size as Lambda counts it: its compact JSON, in UTF-8 bytes. */
export function policyBytes(policy: unknown): number {
  return new TextEncoder().encode(JSON.stringify(policy)).length;
}

/** `count` distinct 12-digit account ids, for measuring. */
function sampleAccounts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(100_000_000_000 + index));
}

/** The size of the policy for `accountCount` accounts (the rule account included), at the longest ARN. */
export function invokePolicyBytes(accountCount: number): number {
  const [ruleAccount = "", ...members] = sampleAccounts(accountCount);
  return policyBytes(configInvokePolicy(LONGEST_FUNCTION_ARN, ruleAccount, members));
}

/**
 * Bytes kept free for what Lambda may add when it stores the policy (GetPolicy shows an `"Id":"default",` that
 * was never sent, 15 bytes); how Lambda counts a policy put whole is not documented beyond "20 KB".
 */
export const POLICY_HEADROOM_BYTES = 64;

/** Every account id costs the same bytes, so the largest count that fits is found by arithmetic. */
function maxAccounts(): number {
  const perAccount = invokePolicyBytes(2) - invokePolicyBytes(1);
  const room = LAMBDA_POLICY_LIMIT_BYTES - POLICY_HEADROOM_BYTES - invokePolicyBytes(1);
  return Math.floor(room / perAccount) + 1;
}

/**
 * How many accounts (the rule account included) may invoke the central function through one policy within
 * Lambda's 20 KB. Past it, the per-account shape (a function in each member account) is the way.
 */
export const MAX_INVOKE_POLICY_ACCOUNTS = maxAccounts();

/**
 * Whether a policy Lambda holds (its text, as GetResourcePolicy returns it) says what `wanted` says: the same
 * statements, with condition keys compared without regard to case (Lambda stores `AWS:SourceAccount`) and
 * condition values as sets (a single value may come back as a string). Anything unreadable is not the same.
 */
export function samePolicy(heldText: string | undefined, wanted: InvokePolicyDocument): boolean {
  if (heldText === undefined) return false;
  let held: unknown;
  try {
    held = JSON.parse(heldText);
  } catch {
    return false;
  }
  const statements = (held as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(statements)) return false;
  const canonical = (list: readonly unknown[]) => JSON.stringify(list.map(canonicalStatement).sort());
  return canonical(statements) === canonical(wanted.Statement);
}

function canonicalStatement(statement: unknown): string {
  if (typeof statement !== "object" || statement === null) return JSON.stringify(statement);
  const { Condition, ...rest } = statement as Record<string, unknown>;
  const conditions: Record<string, Record<string, string[]>> = {};
  if (typeof Condition === "object" && Condition !== null) {
    for (const [operator, keys] of Object.entries(Condition as Record<string, unknown>)) {
      const byKey: Record<string, string[]> = {};
      for (const [key, value] of Object.entries((keys ?? {}) as Record<string, unknown>)) {
        byKey[key.toLowerCase()] = ([] as unknown[]).concat(value).map(String).sort();
      }
      conditions[operator] = sortedKeys(byKey);
    }
  }
  return JSON.stringify(sortedKeys({ ...rest, Condition: sortedKeys(conditions) }));
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
