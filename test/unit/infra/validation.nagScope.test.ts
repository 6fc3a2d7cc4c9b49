import { PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import { AccountStack } from "../../../infra/accountStack";
import { MemberRoleStack } from "../../../infra/memberRoleStack";
import { resourcesOf, templateOf, unacknowledgedNagFindings, unbundledApp } from "../../support/cdk";

const wildcard = () => new PolicyStatement({ actions: ["s3:GetObject"], resources: ["*"] });

function roleIn(stack: AccountStack | MemberRoleStack): Role {
  const role = stack.node.findAll().find((construct): construct is Role => construct instanceof Role);
  if (!role) throw new Error("no role");
  return role;
}

describe("cdk-nag acknowledgements", () => {
  it("give consumers only the immutable view of the function's role: a grant to it adds no policy", () => {
    const stack = new AccountStack(unbundledApp(), "Immutable", { rule: { remediation: false } });
    stack.rule.ruleFunction.role.addToPrincipalPolicy(wildcard());
    expect(resourcesOf(templateOf(stack), "AWS::IAM::Policy")).toEqual({});
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  it("do not cover a wildcard added later to the function's role: cdk-nag reports it", () => {
    const stack = new AccountStack(unbundledApp(), "Widened", { rule: { remediation: false } });
    roleIn(stack).addToPrincipalPolicy(wildcard());
    expect(unacknowledgedNagFindings(stack)).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] at Widened\/.*DefaultPolicy/),
    ]);
  });

  it("do not cover a wildcard added later to the member role: cdk-nag reports it", () => {
    const stack = new MemberRoleStack(unbundledApp(), "MemberWidened");
    roleIn(stack).addToPrincipalPolicy(wildcard());
    expect(unacknowledgedNagFindings(stack)).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] at MemberWidened\/.*DefaultPolicy/),
    ]);
  });
});
