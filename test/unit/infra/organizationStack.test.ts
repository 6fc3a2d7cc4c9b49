import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import { MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import { parse } from "yaml";
import { MemberRoleStack } from "../../../infra/memberRoleStack";
import {
  OrganizationStack,
  type OrganizationStackProps,
  reservedConcurrencyFor,
} from "../../../infra/organizationStack";
import {
  PRINCIPAL_ORG_ID_VARIABLE,
  type RoleJson,
  resourcesOf,
  templateOf,
  testApp,
  unacknowledgedNagFindings,
  unbundledApp,
} from "../../support/cdk";
import { packRuleInputParameters } from "../../support/conformancePack";

const app = testApp();
const organizationStack = new OrganizationStack(app, "Organization", {
  organizationalUnitIds: ["r-abcd"],
  excludedAccounts: ["222222222222"],
  memberAccountIds: ["333333333333", "444444444444"],
  ruleRegions: ["eu-west-1", "us-east-1"],
});
const memberRoleStack = new MemberRoleStack(app, "MemberRole");
const organization = templateOf(organizationStack);
const memberRole = templateOf(memberRoleStack);

/** The props every valid organization stack needs, for tests that change one of them. */
const VALID_PROPS: OrganizationStackProps = {
  organizationalUnitIds: ["r-abcd"],
  memberAccountIds: ["333333333333"],
  ruleRegions: ["eu-west-1"],
};

/** The stack's own resources of a type, the organization-sync function's (tested apart) left out. */
function ownResourcesOf(template: Template, type: string) {
  return Object.fromEntries(
    Object.entries(resourcesOf(template, type)).filter(([id]) => !id.startsWith("OrganizationSync")),
  );
}

function only(type: string, template = organization): Record<string, unknown> {
  const resources = Object.values(ownResourcesOf(template, type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

function logicalIdOf(type: string, template = organization): string {
  const ids = Object.keys(ownResourcesOf(template, type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
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
  it("warns that the management account gets the pack but no role when a delegated administrator deploys", () => {
    const stack = new OrganizationStack(unbundledApp(), "Delegated", {
      ...VALID_PROPS,
      stackSetCallAs: "DELEGATED_ADMIN",
    });
    Annotations.fromStack(stack).hasWarning("*", Match.stringLikeRegexp("management account"));
    expect(
      Annotations.fromStack(organizationStack).findWarning("*", Match.stringLikeRegexp("management account")),
    ).toEqual([]);
  });

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
    expect(rule.InputParameters).toEqual(
      packRuleInputParameters({ EvaluateServices: "true", EvaluateDaemons: "true" }),
    );
    expect(Buffer.byteLength(pack.TemplateBody as string)).toBeLessThan(51_200);
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

  it("rolls the member role out with a service-managed, auto-deploying StackSet from this Region", () => {
    expect(stackSet).toMatchObject({
      StackSetName: "ecs-in-use-pid-mode-member-role",
      PermissionModel: "SERVICE_MANAGED",
      CallAs: "SELF",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    const parameters = Object.fromEntries(stackSet.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(parameters.ExecutionRoleName).toBe("EcsPidModeRuleExecution");
    expect(parameters.RuleAccountId).toEqual({ Ref: "AWS::AccountId" });
  });

  it("gives the StackSet the member role stack's own template, without bootstrap or metadata parameters", () => {
    expect(memberTemplate).toEqual(memberRole.toJSON());
    expect(Object.keys(memberTemplate.Parameters).sort()).toEqual([
      "ExecutionRoleName",
      "RuleAccountId",
      "TrustedFunctionRoleArns",
    ]);
  });
});

describe("coverage: the pack and the StackSet reach the same accounts", () => {
  it("sends the StackSet to the root minus the very accounts the pack excludes", () => {
    expect(stackSet).toMatchObject({
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ["r-abcd"],
            Accounts: ["222222222222"],
            AccountFilterType: "DIFFERENCE",
          },
          Regions: [{ Ref: "AWS::Region" }],
        },
      ],
    });
    expect(only("AWS::Config::OrganizationConformancePack").ExcludedAccounts).toEqual(["222222222222"]);
  });

  it("sends the StackSet to the whole root, without an account filter, when nothing is excluded", () => {
    const template = templateOf(new OrganizationStack(unbundledApp(), "Root", VALID_PROPS));
    const targets = (only("AWS::CloudFormation::StackSet", template) as { StackInstancesGroup: unknown })
      .StackInstancesGroup;
    expect(targets).toEqual([
      { DeploymentTargets: { OrganizationalUnitIds: ["r-abcd"] }, Regions: [{ Ref: "AWS::Region" }] },
    ]);
    expect(only("AWS::Config::OrganizationConformancePack", template).ExcludedAccounts).toBeUndefined();
  });

  it("accepts OUs together with the accounts outside them, which the StackSet then skips too", () => {
    const template = templateOf(
      new OrganizationStack(unbundledApp(), "Ous", {
        ...VALID_PROPS,
        organizationalUnitIds: ["ou-abcd-12345678"],
        excludedAccounts: ["555555555555"],
      }),
    );
    expect(only("AWS::CloudFormation::StackSet", template)).toMatchObject({
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ["ou-abcd-12345678"],
            Accounts: ["555555555555"],
            AccountFilterType: "DIFFERENCE",
          },
        },
      ],
    });
    expect(only("AWS::Config::OrganizationConformancePack", template).ExcludedAccounts).toEqual([
      "555555555555",
    ]);
  });

  it.each([
    [
      { organizationalUnitIds: ["ou-abcd-12345678"] },
      /OUs \(ou-abcd-12345678\) but excludedAccounts is empty/,
    ],
    [{ organizationalUnitIds: ["r-abcd", "ou-abcd-12345678"] }, /organizationalUnitIds: the root .* alone/],
    [{ organizationalUnitIds: [] }, /organizationalUnitIds must name/],
  ])("refuses the mismatch %j, naming it", (change, message) => {
    expect(() => new OrganizationStack(unbundledApp(), "Mismatch", { ...VALID_PROPS, ...change })).toThrow(
      message,
    );
  });
});

describe("who may invoke the central function", () => {
  it("lets only AWS Config of the listed accounts and of the rule account invoke it, through one whole policy", () => {
    expect(ownResourcesOf(organization, "AWS::Lambda::Permission")).toEqual({});
    expect(only("AWS::Lambda::ResourcePolicy")).toEqual({
      ResourceArn: { "Fn::GetAtt": [logicalIdOf("AWS::Lambda::Function"), "Arn"] },
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ConfigOfOrganizationAccountsInvokes",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: "lambda:InvokeFunction",
            Resource: { "Fn::GetAtt": [logicalIdOf("AWS::Lambda::Function"), "Arn"] },
            Condition: {
              StringEquals: {
                "aws:SourceAccount": [{ Ref: "AWS::AccountId" }, "333333333333", "444444444444"],
              },
            },
          },
        ],
      },
    });
  });

  it("refuses a stack without member accounts, naming memberAccountIds", () => {
    expect(
      () => new OrganizationStack(unbundledApp(), "Empty", { ...VALID_PROPS, memberAccountIds: [] }),
    ).toThrow(/memberAccountIds/);
  });

  it("sizes reserved concurrency from the account count and the sweep frequency, from the benchmark's sweep", () => {
    expect(reservedConcurrencyFor(3, MaximumExecutionFrequency.SIX_HOURS)).toBe(5);
    // 2 × 1,001 × 600 s / 21,600 s = 55.6 → 56 sweeps at once, + 4 for one account's burst.
    expect(reservedConcurrencyFor(1001, MaximumExecutionFrequency.SIX_HOURS)).toBe(60);
    expect(reservedConcurrencyFor(1336, MaximumExecutionFrequency.ONE_HOUR)).toBe(450);
    expect(reservedConcurrencyFor(1336, MaximumExecutionFrequency.TWENTY_FOUR_HOURS)).toBe(23);
    const large = templateOf(
      new OrganizationStack(unbundledApp(), "Large", {
        ...VALID_PROPS,
        memberAccountIds: Array.from({ length: 1000 }, (_, index) => String(100_000_000_000 + index)),
      }),
    );
    expect(only("AWS::Lambda::Function", large).ReservedConcurrentExecutions).toBe(60);
  });

  it("caps reserved concurrency at 5 for a small organization, and takes another cap", () => {
    expect(only("AWS::Lambda::Function").ReservedConcurrentExecutions).toBe(5);
    const template = templateOf(
      new OrganizationStack(unbundledApp(), "Concurrency", { ...VALID_PROPS, reservedConcurrency: 20 }),
    );
    expect(only("AWS::Lambda::Function", template).ReservedConcurrentExecutions).toBe(20);
    expect(
      () => new OrganizationStack(unbundledApp(), "Zero", { ...VALID_PROPS, reservedConcurrency: 0 }),
    ).toThrow(/reservedConcurrency/);
  });
});

describe("the member-role StackSet rollout", () => {
  it("tolerates no failed account and still deploys to a quarter of the accounts at once", () => {
    expect((stackSet as unknown as { OperationPreferences: unknown }).OperationPreferences).toEqual({
      ConcurrencyMode: "SOFT_FAILURE_TOLERANCE",
      FailureToleranceCount: 0,
      MaxConcurrentPercentage: 25,
    });
  });

  it("raises an alarm when a stack instance of this StackSet fails, on CloudFormation's own events", () => {
    const rules = Object.values(ownResourcesOf(organization, "AWS::Events::Rule")).map(
      (resource) => resource.Properties as { EventPattern: { source: string[] } & Record<string, unknown> },
    );
    const rule = rules.find((candidate) => candidate.EventPattern.source[0] === "aws.cloudformation");
    expect(rule?.EventPattern).toMatchObject({
      source: ["aws.cloudformation"],
      "detail-type": ["CloudFormation StackSet StackInstance Status Change"],
      detail: { "status-details": { "detailed-status": ["FAILED", "INOPERABLE"] } },
    });
    expect(JSON.stringify(rule?.EventPattern)).toContain(":stackset/ecs-in-use-pid-mode-member-role:");
    const alarms = Object.values(ownResourcesOf(organization, "AWS::CloudWatch::Alarm")).map(
      (a) => a.Properties,
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: "AWS/Events",
        MetricName: "TriggeredRules",
        Dimensions: [
          {
            Name: "RuleName",
            Value: {
              Ref: Object.keys(resourcesOf(organization, "AWS::Events::Rule")).find((id) =>
                id.startsWith("MemberRolesFailedInstances"),
              ),
            },
          },
        ],
        Threshold: 1,
      }),
    );
  });
});

describe("a second Region", () => {
  const resources = organization.toJSON().Resources as Record<string, { Type: string; Condition?: string }>;

  it("refuses in the template itself to deploy in a Region that ruleRegions does not list", () => {
    expect(organization.toJSON().Rules.DeployedInARuleRegion).toEqual({
      Assertions: [
        {
          Assert: { "Fn::Contains": [["eu-west-1", "us-east-1"], { Ref: "AWS::Region" }] },
          AssertDescription: expect.stringContaining("eu-west-1, us-east-1"),
        },
      ],
    });
  });

  it("creates the StackSet, its event rule and its alarm only in the first listed Region", () => {
    expect(organization.toJSON().Conditions.IsFirstRuleRegion).toEqual({
      "Fn::Equals": [{ Ref: "AWS::Region" }, "eu-west-1"],
    });
    const conditional = Object.entries(resources)
      .filter(
        ([id, resource]) => resource.Condition === "IsFirstRuleRegion" && !id.startsWith("OrganizationSync"),
      )
      .map(([, resource]) => resource.Type)
      .sort();
    expect(conditional).toEqual([
      "AWS::CloudFormation::StackSet",
      "AWS::CloudWatch::Alarm",
      "AWS::Events::Rule",
    ]);
  });

  it("has every member role trust the function role of each listed Region", () => {
    const trusted = stackSet.Parameters.find((p) => p.ParameterKey === "TrustedFunctionRoleArns");
    expect(JSON.stringify(trusted?.ParameterValue)).toContain(":role/EcsPidModeRuleFunction-eu-west-1");
    expect(JSON.stringify(trusted?.ParameterValue)).toContain(":role/EcsPidModeRuleFunction-us-east-1");
  });

  it.each([
    [{ ruleRegions: [] }, /ruleRegions must list every Region/],
    [{ ruleRegions: ["Europe"] }, /ruleRegions .*"Europe"/],
    [{ ruleRegions: ["eu-west-1", "eu-west-1"] }, /ruleRegions lists a Region twice/],
    [
      { ruleRegions: ["eu-west-1"], env: { region: "us-east-1" } },
      /does not list this stack's Region us-east-1/,
    ],
  ])("rejects %j, naming ruleRegions", (change, message) => {
    expect(() => new OrganizationStack(unbundledApp(), "Regions", { ...VALID_PROPS, ...change })).toThrow(
      message,
    );
  });
});

describe("ordering and names", () => {
  const resources = organization.toJSON().Resources as Record<
    string,
    { Type: string; DependsOn?: string[]; Metadata?: Record<string, unknown> }
  >;
  const packId = logicalIdOf("AWS::Config::OrganizationConformancePack");

  it("creates the pack after the whole function: its invoke policy and its async-invoke settings", () => {
    const dependsOn = resources[packId]?.DependsOn ?? [];
    expect(dependsOn).toContain(logicalIdOf("AWS::Lambda::EventInvokeConfig"));
    expect(dependsOn).toContain(logicalIdOf("AWS::Lambda::ResourcePolicy"));
    expect(only("AWS::Config::OrganizationConformancePack").ConformancePackInputParameters).toContainEqual({
      ParameterName: "RuleFunctionArn",
      ParameterValue: { "Fn::GetAtt": [logicalIdOf("AWS::Lambda::Function"), "Arn"] },
    });
  });

  it("creates the pack after the member roles where the StackSet exists", () => {
    expect(resources[packId]?.Metadata?.MemberRolesFirst).toEqual({
      "Fn::If": ["IsFirstRuleRegion", { Ref: logicalIdOf("AWS::CloudFormation::StackSet") }, ""],
    });
  });

  it("accepts a pack name of 116 characters, whose StackSet name is 128, and refuses 117", () => {
    const name = `p${"a".repeat(115)}`;
    const template = templateOf(
      new OrganizationStack(unbundledApp(), "LongPack", { ...VALID_PROPS, conformancePackName: name }),
    );
    expect(only("AWS::CloudFormation::StackSet", template).StackSetName).toHaveLength(128);
    expect(
      () =>
        new OrganizationStack(unbundledApp(), "TooLongPack", {
          ...VALID_PROPS,
          conformancePackName: `${name}a`,
        }),
    ).toThrow(/conformancePackName .*at most 116 characters/);
  });

  it("accepts a rule name of 101 characters, leaving room for the suffix packs add, and refuses 102", () => {
    const name = "r".repeat(101);
    expect(
      () => new OrganizationStack(unbundledApp(), "LongRule", { ...VALID_PROPS, ruleName: name }),
    ).not.toThrow();
    expect(
      () => new OrganizationStack(unbundledApp(), "TooLongRule", { ...VALID_PROPS, ruleName: `${name}r` }),
    ).toThrow(/ruleName must be 1-101/);
  });
});

describe("cdk-nag", () => {
  it("leaves no AwsSolutions finding of the organization stack unacknowledged", () => {
    expect(unacknowledgedNagFindings(organizationStack)).toEqual([]);
  });
});

describe("outputs", () => {
  it("have fixed names that scripts can read", () => {
    expect(Object.keys(organization.findOutputs("*")).sort()).toEqual([
      "ConformancePackName",
      "MemberRoleStackSetName",
      "RuleFunctionArn",
      "RuleName",
    ]);
    expect(organization.findOutputs("RuleFunctionArn").RuleFunctionArn?.Value).toEqual({
      "Fn::GetAtt": [logicalIdOf("AWS::Lambda::Function"), "Arn"],
    });
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
      "ecs:DescribeDaemon",
      "ecs:DescribeDaemonRevisions",
      "ecs:DescribeDaemonTaskDefinition",
      "ecs:DescribeServices",
      "ecs:DescribeTaskDefinition",
      "ecs:DescribeTasks",
      "ecs:ListClusters",
      "ecs:ListDaemons",
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
    [{ organizationalUnitIds: ["ou-bad"] }, /organizationalUnitIds .*"ou-bad"/],
    [{ excludedAccounts: ["12345"] }, /excludedAccounts .*"12345"/],
    [{ executionRoleName: "has space" }, /executionRoleName/],
    [{ memberAccountIds: ["12345"] }, /memberAccountIds .*"12345"/],
  ])("rejects %j with a message naming the prop", (change, message) => {
    expect(() => new OrganizationStack(unbundledApp(), "Bad", { ...VALID_PROPS, ...change })).toThrow(
      message,
    );
  });
});
