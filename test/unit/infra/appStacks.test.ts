import { addStacks } from "../../../infra/appStacks";
import { unbundledApp } from "../../support/cdk";

function stackIdsFor(context: Record<string, unknown>): string[] {
  const app = unbundledApp(context);
  addStacks(app);
  return app.node.children.map((child) => child.node.id).sort();
}

describe("the CDK app's stacks", () => {
  it("hold only the account stack without organization context", () => {
    expect(stackIdsFor({})).toEqual(["EcsPidModeRule"]);
  });

  it("hold only the organization stacks with organization context, so cdk deploy --all cannot add the standalone rule", () => {
    expect(
      stackIdsFor({
        organizationalUnitIds: "r-abcd",
        ruleRegions: "eu-west-1,us-east-1",
        memberAccountIds: "222222222222",
      }),
    ).toEqual(["EcsPidModeRuleMemberRole", "EcsPidModeRuleOrganization"]);
  });

  it("refuse the removed allowConfigOfAnyAccount, saying why, and require memberAccountIds", () => {
    expect(() => stackIdsFor({ organizationalUnitIds: "r-abcd", ruleRegions: "eu-west-1" })).toThrow(
      /memberAccountIds/,
    );
    expect(() =>
      stackIdsFor({
        organizationalUnitIds: "r-abcd",
        ruleRegions: "eu-west-1",
        memberAccountIds: "222222222222",
        allowConfigOfAnyAccount: "true",
      }),
    ).toThrow(/allowConfigOfAnyAccount was removed: .*every AWS account/);
  });

  it("pass managementAccountId from context to the organization stack", () => {
    expect(() =>
      stackIdsFor({
        organizationalUnitIds: "r-abcd",
        ruleRegions: "eu-west-1",
        memberAccountIds: "222222222222",
        stackSetCallAs: "DELEGATED_ADMIN",
        managementAccountId: "555555555555",
      }),
    ).toThrow(/managementAccountId 555555555555/);
  });

  it("hold the per-account organization stack and the management account's member function with organizationShape=perAccount", () => {
    expect(
      stackIdsFor({
        organizationalUnitIds: "r-abcd",
        organizationShape: "perAccount",
        organizationId: "o-abcdefghij",
      }),
    ).toEqual(["EcsPidModeRuleMemberFunction", "EcsPidModeRuleOrganization"]);
    expect(() => stackIdsFor({ organizationalUnitIds: "r-abcd", organizationShape: "perAccount" })).toThrow(
      /organizationId must be an organization id/,
    );
    expect(() => stackIdsFor({ organizationalUnitIds: "r-abcd", organizationShape: "huge" })).toThrow(
      /organizationShape must be central or perAccount, got "huge"/,
    );
  });
});
