import { App } from "aws-cdk-lib";
import { parse } from "yaml";
import { MemberRoleStack } from "../../../infra/memberRoleStack";
import { OrganizationStack } from "../../../infra/organizationStack";
import {
  PRINCIPAL_ORG_ID_VARIABLE,
  type RoleJson,
  resourcesOf,
  templateOf,
  testApp,
  unacknowledgedNagFindings,
} from "./synthesize";

const app = testApp();
const organizationStack = new OrganizationStack(app, "Organization", {
  organizationalUnitIds: ["r-abcd", "ou-abcd-12345678"],
  excludedAccounts: ["222222222222"],
  ruleRegions: ["eu-west-1", "us-east-1"],
});
const memberRoleStack = new MemberRoleStack(app, "MemberRole");
const organization = templateOf(organizationStack);
const memberRole = templateOf(memberRoleStack);

function only(type: string, template = organization): Record<string, unknown> {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

const stackSet = only("AWS::CloudFormation::StackSet") as {
  TemplateBody: string;
  Parameters: Array<{ ParameterKey: string; ParameterValue: unknown }>;
};
const memberTemplate = JSON.parse(stackSet.TemplateBody);
const memberRoleResource = Object.values(
  memberTemplate.Resources as Record<string, { Type: string; Properties: RoleJson }>,
).find((resource) => resource.Type === "AWS::IAM::Role");

describe("the organization stack", () => {
  it("deploys an organization conformance pack whose rule invokes the central function and names the member role", () => {
    const pack = only("AWS::Config::OrganizationConformancePack");
    expect(pack).toMatchObject({
      OrganizationConformancePackName: "ecs-in-use-pid-mode",
      ExcludedAccounts: ["222222222222"],
      ConformancePackInputParameters: [
        {
          ParameterName: "RuleFunctionArn",
          ParameterValue: { "Fn::GetAtt": [expect.stringMatching(/Function/), "Arn"] },
        },
        { ParameterName: "ExecutionRoleName", ParameterValue: "EcsPidModeRuleExecution" },
      ],
    });
    const body = parse(pack.TemplateBody as string);
    const rule = body.Resources.EcsInUseTaskDefinitionPidModeRule.Properties;
    expect(rule.Source).toMatchObject({
      Owner: "CUSTOM_LAMBDA",
      SourceIdentifier: { Ref: "RuleFunctionArn" },
    });
    expect(rule.InputParameters).toEqual({
      "Fn::If": [
        "HasExecutionRoleName",
        { ExecutionRoleName: { Ref: "ExecutionRoleName" } },
        { Ref: "AWS::NoValue" },
      ],
    });
    expect(Buffer.byteLength(pack.TemplateBody as string)).toBeLessThan(51_200);
  });

  it("lets AWS Config of the member accounts invoke the function before the pack is created", () => {
    expect(only("AWS::Lambda::Permission")).toEqual({
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [expect.stringMatching(/Function/), "Arn"] },
      Principal: "config.amazonaws.com",
    });
    const [packId] = Object.keys(resourcesOf(organization, "AWS::Config::OrganizationConformancePack"));
    const [permissionId] = Object.keys(resourcesOf(organization, "AWS::Lambda::Permission"));
    expect(organization.toJSON().Resources[packId as string].DependsOn).toContain(permissionId);
  });

  it("creates the member roles before the pack, so that first evaluations find them", () => {
    const [packId] = Object.keys(resourcesOf(organization, "AWS::Config::OrganizationConformancePack"));
    const [stackSetId] = Object.keys(resourcesOf(organization, "AWS::CloudFormation::StackSet"));
    expect(organization.toJSON().Resources[packId as string].DependsOn).toContain(stackSetId);
  });

  it("lets the function assume only the member role, only in accounts of its own organization", () => {
    const role = only("AWS::IAM::Role") as unknown as RoleJson;
    const statements = role.Policies[0]?.PolicyDocument.Statement ?? [];
    const assume = statements.filter((statement) => JSON.stringify(statement.Action).includes("sts:"));
    expect(assume).toEqual([
      {
        Sid: "AssumeMemberRoleInOwnOrganization",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: {
          "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::*:role/EcsPidModeRuleExecution"]],
        },
        Condition: { StringEquals: { "aws:ResourceOrgID": PRINCIPAL_ORG_ID_VARIABLE } },
      },
    ]);
    expect(role.RoleName).toEqual({ "Fn::Join": ["", ["EcsPidModeRuleFunction-", { Ref: "AWS::Region" }]] });
  });

  it("rolls the member role out with a service-managed, auto-deploying StackSet from this Region only", () => {
    expect(stackSet).toMatchObject({
      PermissionModel: "SERVICE_MANAGED",
      CallAs: "SELF",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ["r-abcd", "ou-abcd-12345678"] },
          Regions: [{ Ref: "AWS::Region" }],
        },
      ],
    });
    const parameters = Object.fromEntries(stackSet.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(parameters.ExecutionRoleName).toBe("EcsPidModeRuleExecution");
    expect(parameters.RuleAccountId).toEqual({ Ref: "AWS::AccountId" });
    expect(JSON.stringify(parameters.TrustedFunctionRoleArns)).toContain(
      ":role/EcsPidModeRuleFunction-eu-west-1",
    );
    expect(JSON.stringify(parameters.TrustedFunctionRoleArns)).toContain(
      ":role/EcsPidModeRuleFunction-us-east-1",
    );
  });

  it("gives the StackSet the member role stack's own template, without bootstrap or metadata parameters", () => {
    expect(memberTemplate).toEqual(memberRole.toJSON());
    expect(Object.keys(memberTemplate.Parameters).sort()).toEqual([
      "ExecutionRoleName",
      "RuleAccountId",
      "TrustedFunctionRoleArns",
    ]);
  });

  it("omits the StackSet in the stacks of further Regions", () => {
    const otherApp = new App();
    const secondRegion = new OrganizationStack(otherApp, "SecondRegion", {
      organizationalUnitIds: ["r-abcd"],
      deployMemberRoles: false,
      memberAccountIds: ["333333333333"],
    });
    const template = templateOf(secondRegion);
    expect(resourcesOf(template, "AWS::CloudFormation::StackSet")).toEqual({});
    const sources = Object.values(resourcesOf(template, "AWS::Lambda::Permission")).map(
      (p) => p.Properties.SourceAccount,
    );
    expect(sources).toEqual(expect.arrayContaining([{ Ref: "AWS::AccountId" }, "333333333333"]));
    expect(sources).toHaveLength(2);
  });

  it("leaves no cdk-nag AwsSolutions finding unacknowledged", () => {
    expect(unacknowledgedNagFindings(organizationStack)).toEqual([]);
  });
});

describe("the member role", () => {
  it("is trusted only by the function roles of the rule account", () => {
    expect(memberRoleResource?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: {
          AWS: {
            "Fn::Join": [
              "",
              ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "RuleAccountId" }, ":root"],
            ],
          },
        },
        Condition: { ArnEquals: { "aws:PrincipalArn": { Ref: "TrustedFunctionRoleArns" } } },
      },
    ]);
    expect(memberRoleResource?.Properties.RoleName).toEqual({ Ref: "ExecutionRoleName" });
  });

  it("is allowed only the ECS reads and Config calls the rule makes, in every Region of its account", () => {
    const statements = memberRoleResource?.Properties.Policies[0]?.PolicyDocument.Statement ?? [];
    const actions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).sort();
    expect(actions).toEqual([
      "config:GetComplianceDetailsByConfigRule",
      "config:GetComplianceDetailsByResource",
      "config:GetResourceConfigHistory",
      "config:ListDiscoveredResources",
      "config:PutEvaluations",
      "ecs:DescribeDaemonTaskDefinition",
      "ecs:DescribeServices",
      "ecs:DescribeTaskDefinition",
      "ecs:DescribeTasks",
      "ecs:ListClusters",
      "ecs:ListTasks",
    ]);
    const describeTasks = statements.find((statement) => statement.Action === "ecs:DescribeTasks");
    expect(describeTasks?.Resource).toEqual({
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":ecs:*:", { Ref: "AWS::AccountId" }, ":task/*"]],
    });
    expect(memberRoleResource?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("leaves no cdk-nag AwsSolutions finding unacknowledged", () => {
    expect(unacknowledgedNagFindings(memberRoleStack)).toEqual([]);
  });
});

describe("organization stack props", () => {
  it.each([
    [{ organizationalUnitIds: [] }, /organizationalUnitIds/],
    [{ organizationalUnitIds: ["ou-bad"] }, /organizationalUnitIds .*"ou-bad"/],
    [{ organizationalUnitIds: ["r-abcd"], excludedAccounts: ["12345"] }, /excludedAccounts .*"12345"/],
    [{ organizationalUnitIds: ["r-abcd"], executionRoleName: "has space" }, /executionRoleName/],
    [{ organizationalUnitIds: ["r-abcd"], ruleRegions: ["Europe"] }, /ruleRegions .*"Europe"/],
  ])("rejects %j with a message naming the prop", (props, message) => {
    expect(() => new OrganizationStack(new App(), "Bad", props)).toThrow(message);
  });
});
