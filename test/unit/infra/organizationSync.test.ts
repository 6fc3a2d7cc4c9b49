import type { Template } from "aws-cdk-lib/assertions";
import { OrganizationStack } from "../../../infra/organizationStack";
import { type RoleJson, resourcesOf, templateOf, unbundledApp } from "../../support/cdk";

const template = templateOf(
  new OrganizationStack(unbundledApp(), "Organization", {
    organizationalUnitIds: ["r-abcd"],
    excludedAccounts: ["222222222222"],
    memberAccountIds: ["333333333333"],
    ruleRegions: ["eu-west-1"],
    alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:security-alarms",
  }),
);

/** The organization-sync function's resources of a type (its logical ids start with its construct id). */
function syncResources(type: string, from: Template = template) {
  return Object.entries(resourcesOf(from, type))
    .filter(([id]) => id.startsWith("OrganizationSync"))
    .map(([, resource]) => resource.Properties);
}

const ruleFunctionId = Object.keys(resourcesOf(template, "AWS::Lambda::Function")).find((id) =>
  id.startsWith("EcsPidModeRule"),
) as string;

describe("the organization-sync function", () => {
  const [syncFunction] = syncResources("AWS::Lambda::Function") as Array<{
    Environment: { Variables: Record<string, unknown> };
    ReservedConcurrentExecutions: number;
  }>;

  it("is told the rule function, the excluded accounts and the rule's frequency, and runs one at a time", () => {
    expect(syncFunction?.Environment.Variables).toMatchObject({
      RULE_FUNCTION_ARN: { "Fn::GetAtt": [ruleFunctionId, "Arn"] },
      EXCLUDED_ACCOUNTS: "222222222222",
      RULE_FREQUENCY_SECONDS: "21600",
      RULE_METRICS_NAMESPACE: "EcsPidModeRule",
      RULE_SERVICE_NAME: "ecs-pid-mode-rule",
    });
    expect(syncFunction?.ReservedConcurrentExecutions).toBe(1);
  });

  it("may list the organization's accounts, read and write the rule function's policy only, and read metrics", () => {
    const [role] = syncResources("AWS::IAM::Role") as unknown as RoleJson[];
    const statements = role?.Policies[0]?.PolicyDocument.Statement ?? [];
    const byAction = Object.fromEntries(
      statements.flatMap((statement) =>
        ([] as string[]).concat(statement.Action).map((action) => [action, statement.Resource]),
      ),
    );
    expect(Object.keys(byAction).sort()).toEqual([
      "cloudwatch:GetMetricData",
      "lambda:GetResourcePolicy",
      "lambda:PutResourcePolicy",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "organizations:ListAccounts",
    ]);
    expect(byAction["lambda:PutResourcePolicy"]).toEqual({ "Fn::GetAtt": [ruleFunctionId, "Arn"] });
    expect(byAction["lambda:GetResourcePolicy"]).toEqual({ "Fn::GetAtt": [ruleFunctionId, "Arn"] });
    expect(role?.ManagedPolicyArns).toBeUndefined();
  });

  it("runs hourly, after account events of AWS Organizations, and after each deployment of its stack", () => {
    const rules = syncResources("AWS::Events::Rule") as Array<{
      ScheduleExpression?: string;
      EventPattern?: Record<string, unknown>;
    }>;
    expect(rules.map((rule) => rule.ScheduleExpression).filter(Boolean)).toEqual(["rate(1 hour)"]);
    expect(rules.map((rule) => rule.EventPattern).filter(Boolean)).toEqual(
      expect.arrayContaining([
        {
          source: ["aws.organizations"],
          "detail-type": ["AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"],
          detail: {
            eventSource: ["organizations.amazonaws.com"],
            eventName: expect.arrayContaining([
              "CreateAccountResult",
              "AcceptHandshake",
              "RemoveAccountFromOrganization",
            ]),
          },
        },
        {
          source: ["aws.cloudformation"],
          "detail-type": ["CloudFormation Stack Status Change"],
          detail: {
            "stack-id": [{ Ref: "AWS::StackId" }],
            "status-details": { status: ["CREATE_COMPLETE", "UPDATE_COMPLETE"] },
          },
        },
      ]),
    );
  });

  it("alarms on its own failures, and on any account without a sweep, treating a missing count as breaching", () => {
    const alarms = syncResources("AWS::CloudWatch::Alarm") as Array<Record<string, unknown>>;
    const byMetric = Object.fromEntries(alarms.map((alarm) => [alarm.MetricName, alarm]));
    expect(Object.keys(byMetric).sort()).toEqual(["AccountsWithoutSweep", "Errors"]);
    expect(byMetric.AccountsWithoutSweep).toMatchObject({
      Namespace: "EcsPidModeRule",
      Dimensions: [{ Name: "service", Value: "ecs-pid-mode-organization-sync" }],
      Threshold: 1,
      TreatMissingData: "breaching",
      AlarmActions: ["arn:aws:sns:eu-west-1:111111111111:security-alarms"],
    });
    expect(byMetric.Errors).toMatchObject({ TreatMissingData: "notBreaching", Threshold: 1 });
  });

  it("is left out when syncMembersWithOrganization is false: the policy then admits exactly memberAccountIds", () => {
    const withoutSync = templateOf(
      new OrganizationStack(unbundledApp(), "NoSync", {
        organizationalUnitIds: ["r-abcd"],
        memberAccountIds: ["333333333333"],
        ruleRegions: ["eu-west-1"],
        syncMembersWithOrganization: false,
      }),
    );
    expect(syncResources("AWS::Lambda::Function", withoutSync)).toEqual([]);
    expect(resourcesOf(withoutSync, "AWS::Lambda::Permission")).toEqual({});
  });
});
