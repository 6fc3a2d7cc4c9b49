import {
  LAMBDA_POLICY_LIMIT_BYTES,
  longestSourceAccountStatement,
  MAX_SOURCE_ACCOUNT_PERMISSIONS,
} from "../../../infra/configInvokePermissions";
import { OrganizationStack } from "../../../infra/organizationStack";
import { resourcesOf, templateOf, unbundledApp } from "../../support/cdk";

/** A function policy holding `count` statements, as Lambda's GetPolicy returns it. */
function policyOf(count: number): string {
  const statements = Array.from({ length: count }, () => JSON.parse(longestSourceAccountStatement()));
  return JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });
}

function accounts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(100_000_000_000 + index));
}

describe("the capacity of per-account invoke permissions", () => {
  it("measures one SourceAccount statement, at its longest, at 410 bytes", () => {
    expect(Buffer.byteLength(longestSourceAccountStatement())).toBe(410);
  });

  it("fits exactly as many statements as the cap in Lambda's 20 KB policy, and not one more", () => {
    expect(MAX_SOURCE_ACCOUNT_PERMISSIONS).toBe(49);
    expect(Buffer.byteLength(policyOf(MAX_SOURCE_ACCOUNT_PERMISSIONS))).toBeLessThanOrEqual(
      LAMBDA_POLICY_LIMIT_BYTES,
    );
    expect(Buffer.byteLength(policyOf(MAX_SOURCE_ACCOUNT_PERMISSIONS + 1))).toBeGreaterThan(
      LAMBDA_POLICY_LIMIT_BYTES,
    );
  });

  it("accepts as many member accounts as fit beside the rule account's own permission", () => {
    const stack = new OrganizationStack(unbundledApp(), "Full", {
      organizationalUnitIds: ["r-abcd"],
      ruleRegions: ["eu-west-1"],
      memberAccountIds: accounts(MAX_SOURCE_ACCOUNT_PERMISSIONS - 1),
    });
    expect(Object.keys(resourcesOf(templateOf(stack), "AWS::Lambda::Permission"))).toHaveLength(
      MAX_SOURCE_ACCOUNT_PERMISSIONS,
    );
  });

  it("refuses one member account more at synth, naming memberAccountIds and the way out", () => {
    expect(
      () =>
        new OrganizationStack(unbundledApp(), "Overfull", {
          organizationalUnitIds: ["r-abcd"],
          ruleRegions: ["eu-west-1"],
          memberAccountIds: accounts(MAX_SOURCE_ACCOUNT_PERMISSIONS),
        }),
    ).toThrow(
      /memberAccountIds holds 49 accounts.*at most 48 member accounts \(or allowConfigOfAnyAccount: true\)/,
    );
  });

  it("counts an account listed twice once", () => {
    const stack = new OrganizationStack(unbundledApp(), "Twice", {
      organizationalUnitIds: ["r-abcd"],
      ruleRegions: ["eu-west-1"],
      memberAccountIds: ["333333333333", "333333333333"],
    });
    expect(Object.keys(resourcesOf(templateOf(stack), "AWS::Lambda::Permission"))).toHaveLength(2);
  });
});
