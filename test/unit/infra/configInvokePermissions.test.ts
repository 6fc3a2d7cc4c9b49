import type { Template } from "aws-cdk-lib/assertions";
import { MAX_MEMBER_ACCOUNTS } from "../../../infra/configInvokePermissions";
import { OrganizationStack, type OrganizationStackProps } from "../../../infra/organizationStack";
import {
  LAMBDA_POLICY_LIMIT_BYTES,
  LONGEST_FUNCTION_ARN,
  POLICY_HEADROOM_BYTES,
  policyBytes,
} from "../../../lambda/core/invokePolicy";
import {
  memberAccountIds,
  resourcesOf,
  type StatementJson,
  templateOf,
  unbundledApp,
} from "../../support/cdk";

const BASE: Omit<OrganizationStackProps, "memberAccountIds"> = {
  organizationalUnitIds: ["r-abcd"],
  ruleRegions: ["eu-west-1"],
};

function organizationWith(memberAccountIds: readonly string[], extra: Partial<OrganizationStackProps> = {}) {
  return templateOf(
    new OrganizationStack(unbundledApp(), "Organization", { ...BASE, memberAccountIds, ...extra }),
  );
}

/**
 * The policy as Lambda would store it: the function's ARN at its longest (a 64-character generated name in the
 * longest partition and Region) and the rule account's id in place of the template's references.
 */
function deployedPolicy(template: Template): { bytes: number; statements: StatementJson[] } {
  const policies = Object.values(resourcesOf(template, "AWS::Lambda::ResourcePolicy"));
  expect(policies).toHaveLength(1);
  const document = (policies[0] as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument;
  const text = JSON.stringify(document)
    .replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]+","Arn"\]\}/g, JSON.stringify(LONGEST_FUNCTION_ARN))
    .replace(/\{"Ref":"AWS::AccountId"\}/g, '"999999999999"');
  expect(text).not.toMatch(/Fn::|"Ref"/);
  const policy = JSON.parse(text) as { Statement: StatementJson[] };
  return { bytes: policyBytes(policy), statements: policy.Statement };
}

/** The accounts the policy's one statement admits. */
function admittedAccounts(statements: readonly StatementJson[]): unknown {
  expect(statements).toHaveLength(1);
  const condition = statements[0]?.Condition as { StringEquals?: Record<string, unknown> } | undefined;
  return condition?.StringEquals?.["aws:SourceAccount"];
}

/** Every statement must name the accounts it admits: none may let Config of any account in. */
function statementsWithoutSourceCondition(statements: readonly StatementJson[]): StatementJson[] {
  return statements.filter((statement) => {
    const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
    const keys = Object.values(condition ?? {}).flatMap((byKey) => Object.entries(byKey));
    return !keys.some(
      ([key, value]) =>
        ["aws:sourceaccount", "aws:sourcearn"].includes(key.toLowerCase()) &&
        ([] as unknown[]).concat(value).length > 0,
    );
  });
}

describe("the invoke policy of an organization of 1,000 accounts", () => {
  const template = organizationWith(memberAccountIds(1000));
  const { bytes, statements } = deployedPolicy(template);

  it("is one whole resource policy under Lambda's 20,480 bytes, measured on the synthesized JSON", () => {
    expect(bytes).toBeLessThan(LAMBDA_POLICY_LIMIT_BYTES);
    expect(bytes).toBe(15_386);
  });

  it("has no statement without a source condition, and admits the rule account and every member", () => {
    expect(statementsWithoutSourceCondition(statements)).toEqual([]);
    const admitted = admittedAccounts(statements) as string[];
    expect(admitted).toHaveLength(1001);
    expect(admitted?.[0]).toBe("999999999999");
    expect(new Set(admitted)).toEqual(new Set(["999999999999", ...memberAccountIds(1000)]));
  });

  it("replaces the rule function's policy whole, so no AWS::Lambda::Permission is mixed in", () => {
    const ruleFunctionId = Object.keys(resourcesOf(template, "AWS::Lambda::Function")).find((id) =>
      id.startsWith("EcsPidModeRule"),
    );
    expect(ruleFunctionId).toBeDefined();
    const permissions = Object.values(resourcesOf(template, "AWS::Lambda::Permission"));
    // EventBridge may invoke the organization-sync function; nothing is added to the rule function's policy.
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(JSON.stringify(permission.Properties.FunctionName)).not.toContain(ruleFunctionId as string);
      expect(permission.Properties.Principal).toBe("events.amazonaws.com");
    }
  });

  it("suppresses cfn-lint's E3006 (a type cfn-lint 1.51 predates) on that resource only", () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Metadata?: Record<string, unknown> }
    >;
    const suppressed = Object.values(resources).filter(
      (resource) => resource.Metadata?.["cfn-lint"] !== undefined,
    );
    expect(suppressed).toEqual([
      expect.objectContaining({
        Type: "AWS::Lambda::ResourcePolicy",
        Metadata: expect.objectContaining({ "cfn-lint": { config: { ignore_checks: ["E3006"] } } }),
      }),
    ]);
  });
});

describe("the capacity of one invoke policy", () => {
  it("accepts as many member accounts as fit beside the rule account, within the headroom", () => {
    expect(MAX_MEMBER_ACCOUNTS).toBe(1335);
    const { bytes } = deployedPolicy(organizationWith(memberAccountIds(MAX_MEMBER_ACCOUNTS)));
    expect(bytes).toBeLessThanOrEqual(LAMBDA_POLICY_LIMIT_BYTES - POLICY_HEADROOM_BYTES);
  });

  it("refuses one member account more at synth, naming the count and the per-account shape", () => {
    expect(() => organizationWith(memberAccountIds(MAX_MEMBER_ACCOUNTS + 1))).toThrow(
      /memberAccountIds holds 1336 accounts.*at most 1335 member accounts.*per-account shape \(organizationShape=perAccount/,
    );
  });
});

describe("bad member accounts", () => {
  it.each([
    [[], /memberAccountIds must list .*it is empty/],
    [["12345"], /memberAccountIds must hold 12-digit account ids; not: "12345"/],
    [["1234567890123"], /not: "1234567890123"/],
    [["33333333333a"], /not: "33333333333a"/],
    [["333333333333", "444444444444", "333333333333"], /memberAccountIds lists 333333333333 more than once/],
  ])("refuses %j, naming the value and the reason", (memberAccountIds, message) => {
    expect(() => organizationWith(memberAccountIds)).toThrow(message);
  });

  it("refuses a member account that excludedAccounts excludes, since the pack never reaches it", () => {
    expect(() =>
      organizationWith(["333333333333", "444444444444"], { excludedAccounts: ["444444444444"] }),
    ).toThrow(/memberAccountIds lists 444444444444, which excludedAccounts excludes/);
  });

  it("refuses, from a delegated administrator, a management account the pack reaches but the StackSet cannot", () => {
    const delegated = { stackSetCallAs: "DELEGATED_ADMIN" as const, managementAccountId: "555555555555" };
    expect(() => organizationWith(["333333333333"], delegated)).toThrow(
      /managementAccountId 555555555555 is not in excludedAccounts.*never deploys the member role/,
    );
    expect(() =>
      organizationWith(["333333333333"], { ...delegated, excludedAccounts: ["555555555555"] }),
    ).not.toThrow();
    expect(() => organizationWith(["333333333333"], { ...delegated, managementAccountId: "55555" })).toThrow(
      /managementAccountId must hold a 12-digit account id; not: "55555"/,
    );
  });

  it("lists the rule account once, by reference, when the stack's account is known and among the members", () => {
    const stack = new OrganizationStack(unbundledApp(), "Known", {
      ...BASE,
      env: { account: "333333333333", region: "eu-west-1" },
      memberAccountIds: ["333333333333", "444444444444"],
    });
    const { statements } = deployedPolicy(templateOf(stack));
    expect(admittedAccounts(statements)).toEqual(["999999999999", "444444444444"]);
  });
});
