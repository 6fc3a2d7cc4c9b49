import { Annotations, Match } from "aws-cdk-lib/assertions";
import { parse } from "yaml";
import { MemberRuleStack } from "../../../infra/memberRuleStack";
import {
  OrganizationPerAccountStack,
  type OrganizationPerAccountStackProps,
} from "../../../infra/organizationPerAccountStack";
import {
  memberAccountIds,
  type RoleJson,
  resourcesOf,
  templateOf,
  unacknowledgedNagFindings,
  unbundledApp,
} from "../../support/cdk";

const PROPS: OrganizationPerAccountStackProps = {
  organizationalUnitIds: ["r-abcd"],
  organizationId: "o-abcdefghij",
  // 5,000 member accounts: past what one invoke policy holds (1,335), the size this shape is for.
  memberAccountIds: memberAccountIds(5000),
  excludedAccounts: ["999999999999"],
};

const stack = new OrganizationPerAccountStack(unbundledApp(), "PerAccount", PROPS);
const template = templateOf(stack);

function only(type: string): Record<string, unknown> {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

const stackSet = only("AWS::CloudFormation::StackSet") as {
  TemplateBody: string;
  StackInstancesGroup: unknown;
  Parameters: Array<{ ParameterKey: string; ParameterValue: unknown }>;
};
const member = JSON.parse(stackSet.TemplateBody) as {
  Parameters: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};
const memberResources = (type: string) =>
  Object.values(member.Resources)
    .filter((resource) => resource.Type === type)
    .map((r) => r.Properties);
const pack = only("AWS::Config::OrganizationConformancePack");
const packTemplate = parse(pack.TemplateBody as string);

describe("the per-account organization shape, at 5,000 member accounts", () => {
  it("keeps the pack and the StackSet templates within their 51,200-byte limits", () => {
    expect(Buffer.byteLength(pack.TemplateBody as string)).toBeLessThan(51_200);
    expect(Buffer.byteLength(stackSet.TemplateBody)).toBeLessThan(51_200);
  });

  it("puts no rule function, invoke policy or cross-account role in the administrator account", () => {
    const functions = Object.values(resourcesOf(template, "AWS::Lambda::Function")).map(
      (resource) => resource.Properties as { Handler?: string; Runtime?: string },
    );
    // Only the CDK's own bucket-deployment handler (Python), which copies the bundle into the code bucket.
    expect(functions).toHaveLength(1);
    expect(functions[0]?.Runtime).toMatch(/^python/);
    expect(resourcesOf(template, "AWS::Lambda::ResourcePolicy")).toEqual({});
    // The only role is that handler's own; no member role, and one StackSet: the functions'.
    expect(Object.keys(resourcesOf(template, "AWS::IAM::Role"))).toEqual([
      expect.stringMatching(/^CustomCDKBucketDeployment/),
    ]);
    expect(Object.keys(resourcesOf(template, "AWS::CloudFormation::StackSet"))).toEqual(["MemberRules"]);
  });

  it("deploys the rule function to every covered account of this Region through a service-managed StackSet", () => {
    expect(stackSet).toMatchObject({
      StackSetName: "ecs-in-use-pid-mode-member-rule",
      PermissionModel: "SERVICE_MANAGED",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ["r-abcd"],
            Accounts: ["999999999999"],
            AccountFilterType: "DIFFERENCE",
          },
          Regions: [{ Ref: "AWS::Region" }],
        },
      ],
    });
    expect(pack.ExcludedAccounts).toEqual(["999999999999"]);
  });

  it("gives each member function its code from this Region's code bucket, which only the organization may read", () => {
    const [fn] = memberResources("AWS::Lambda::Function") as Array<{
      FunctionName: string;
      Handler: string;
      Code: { S3Bucket: unknown; S3Key: unknown };
    }>;
    expect(fn).toMatchObject({ FunctionName: "ecs-pid-mode-rule", Handler: "index.handler" });
    expect(fn?.Code).toEqual({
      S3Bucket: { "Fn::Join": ["-", [{ Ref: "CodeBucketPrefix" }, { Ref: "AWS::Region" }]] },
      S3Key: { Ref: "CodeKey" },
    });
    const parameters = Object.fromEntries(stackSet.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(parameters.CodeBucketPrefix).toEqual({
      "Fn::Join": ["", ["ecs-pid-mode-code-", { Ref: "AWS::AccountId" }]],
    });
    expect(JSON.stringify(parameters.CodeKey)).toContain("SourceObjectKeys");
    const policy = only("AWS::S3::BucketPolicy") as {
      PolicyDocument: { Statement: Array<Record<string, unknown>> };
    };
    const read = policy.PolicyDocument.Statement.find(
      (statement) => statement.Sid === "OrganizationReadsRuleCode",
    );
    expect(read).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } },
    });
    expect(only("AWS::S3::Bucket")).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it("lets only the member account's own AWS Config invoke its function, and gives it no role in another account", () => {
    expect(memberResources("AWS::Lambda::Permission")).toEqual([
      {
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [expect.any(String), "Arn"] },
        Principal: "config.amazonaws.com",
        SourceAccount: { Ref: "AWS::AccountId" },
      },
    ]);
    const [role] = memberResources("AWS::IAM::Role") as unknown as RoleJson[];
    const actions = (role?.Policies[0]?.PolicyDocument.Statement ?? []).flatMap((s) =>
      ([] as string[]).concat(s.Action),
    );
    expect(actions.some((action) => action.startsWith("sts:"))).toBe(false);
    expect(actions).toContain("ecs:ListClusters");
  });

  it("points the pack's rule in each account at that account's own function", () => {
    const rules = Object.values(packTemplate.Resources) as Array<{
      Properties: { Source: Record<string, unknown> };
    }>;
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.Source.SourceIdentifier).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template
      "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:ecs-pid-mode-rule",
    });
    expect(packTemplate.Parameters.RuleFunctionArn).toBeUndefined();
    expect(pack.ConformancePackInputParameters).toBeUndefined();
  });

  it("creates the pack after the StackSet: Config checks the invoke permission when it creates each rule", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const packEntry = Object.values(resources).find(
      (r) => r.Type === "AWS::Config::OrganizationConformancePack",
    );
    const stackSetId = Object.keys(resourcesOf(template, "AWS::CloudFormation::StackSet"))[0];
    expect(packEntry?.DependsOn).toContain(stackSetId);
  });

  it("delivers the exceptions with the function in every account, checked at synth", () => {
    const exceptions = [
      {
        taskDefinition: "node-exporter",
        owner: "platform-team",
        expires: "2027-03-31",
        reason: "process metrics",
        accountIds: ["111111111111"],
        approvedBy: "security-lead",
        ticket: "SEC-1",
      },
    ];
    const stack = new MemberRuleStack(unbundledApp(), "Member", {
      exceptions,
      exceptionsCheckedAt: new Date("2026-12-01T00:00:00Z"),
    });
    const parameter = Object.values(resourcesOf(templateOf(stack), "AWS::SSM::Parameter"))[0]?.Properties;
    expect(JSON.parse(parameter?.Value as string)).toEqual([
      expect.objectContaining({ taskDefinition: "node-exporter" }),
    ]);
  });
});

describe("synth annotations", () => {
  it("acknowledges the code-from-bucket warning (the key is the bundle's hash) and warns of nothing else", () => {
    const memberStack = new MemberRuleStack(unbundledApp(), "Warned");
    expect(Annotations.fromStack(memberStack).findWarning("*", Match.anyValue())).toEqual([]);
  });
});

describe("cdk-nag", () => {
  it("leaves no AwsSolutions finding of the per-account stack, or of the member template, unacknowledged", () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
    expect(unacknowledgedNagFindings(new MemberRuleStack(unbundledApp(), "Member"))).toEqual([]);
  });
});

describe("per-account shape props", () => {
  it.each([
    [{ organizationId: "org-1" }, /organizationId must be an organization id .*"org-1"/],
    [{ memberAccountIds: ["12345"] }, /memberAccountIds must hold 12-digit account ids; not: "12345"/],
    [
      { memberAccountIds: ["111111111111", "111111111111"] },
      /memberAccountIds lists 111111111111 more than once/,
    ],
    [
      { memberAccountIds: ["999999999999"] },
      /memberAccountIds lists 999999999999, which excludedAccounts excludes/,
    ],
    [{ organizationalUnitIds: ["ou-abcd-12345678"], excludedAccounts: [] }, /excludedAccounts is empty/],
  ])("refuses %j, naming the prop and the reason", (change, message) => {
    expect(() => new OrganizationPerAccountStack(unbundledApp(), "Bad", { ...PROPS, ...change })).toThrow(
      message,
    );
  });
});

describe("an account that goes quiet, in the per-account shape", () => {
  it("alarms in the account itself when no sweep completed within twice the frequency, missing data breaching", () => {
    const alarm = Object.values(member.Resources).find(
      (resource) =>
        resource.Type === "AWS::CloudWatch::Alarm" && resource.Properties.MetricName === "SweepCompleted",
    )?.Properties;
    expect(alarm).toMatchObject({
      Namespace: "EcsPidModeRule",
      Dimensions: expect.arrayContaining([
        { Name: "service", Value: "ecs-pid-mode-rule" },
        { Name: "accountId", Value: { Ref: "AWS::AccountId" } },
      ]),
      Statistic: "Sum",
      Period: 43_200,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it("caps the window at CloudWatch's one day for a daily rule", () => {
    const daily = templateOf(new MemberRuleStack(unbundledApp(), "Daily", { sweepFrequencySeconds: 86_400 }));
    const alarm = Object.values(resourcesOf(daily, "AWS::CloudWatch::Alarm")).find(
      (resource) => resource.Properties.MetricName === "SweepCompleted",
    )?.Properties;
    expect(alarm?.Period).toBe(86_400);
  });
});
