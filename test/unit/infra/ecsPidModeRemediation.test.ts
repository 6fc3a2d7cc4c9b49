import { Duration } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { parse } from "yaml";
import { AccountStack } from "../../../infra/accountStack";
import { EcsPidModeRemediation } from "../../../infra/ecsPidModeRemediation";
import { resourcesOf, templateOf, testApp, unacknowledgedNagFindings } from "../../support/cdk";

const PASS_ROLES = ["web-task", "arn:aws:iam::111122223333:role/service/ecsTaskExecutionRole"];
const app = testApp();
const ruleStack = new AccountStack(app, "WithRemediation", {
  rule: { remediation: { passRoles: PASS_ROLES } },
});
const automaticStack = new AccountStack(app, "Automatic", {
  rule: {
    remediation: {
      passRoles: PASS_ROLES,
      automatic: true,
      maximumAutomaticAttempts: 5,
      retryAttemptSeconds: 900,
    },
  },
});
const packStack = new AccountStack(app, "PackWithRemediation", {
  rule: { deployAs: "conformancePack", remediation: { passRoles: PASS_ROLES } },
});
const defaultStack = new AccountStack(app, "Default");
const rule = templateOf(ruleStack);
const automatic = templateOf(automaticStack);
const pack = templateOf(packStack);

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function statementsOf(template: typeof rule, policyName: string): Statement[] {
  const roles = Object.values(resourcesOf(template, "AWS::IAM::Role")) as {
    Properties: { Policies?: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[] };
  }[];
  const policy = roles
    .flatMap((role) => role.Properties.Policies ?? [])
    .find((entry) => entry.PolicyName === policyName);
  if (policy === undefined) throw new Error(`no policy ${policyName}`);
  return policy.PolicyDocument.Statement;
}

describe("the Config remediation in the account stack", () => {
  it("is absent unless the app asks for it: no function, role, runbook or RemediationConfiguration", () => {
    const template = templateOf(defaultStack);
    expect(Object.keys(template.findResources("AWS::Config::RemediationConfiguration"))).toEqual([]);
    expect(Object.keys(template.findResources("AWS::SSM::Document"))).toEqual([]);
    const policies = (
      Object.values(resourcesOf(template, "AWS::IAM::Role")) as {
        Properties: { Policies?: { PolicyDocument: { Statement: Statement[] } }[] };
      }[]
    ).flatMap((role) =>
      (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement),
    );
    const actions = policies.flatMap((statement) => statement.Action);
    expect(actions).not.toContain("iam:PassRole");
    expect(actions).not.toContain("ecs:RegisterTaskDefinition");
    expect(actions).not.toContain("ecs:UpdateService");
  });

  it("refuses to synthesize without the roles it may pass", () => {
    const stack = new AccountStack(testApp(), "NoRoles", { rule: { remediation: false } });
    expect(() => new EcsPidModeRemediation(stack, "R", { ruleName: "r", passRoles: [] })).toThrow(
      /remediation needs passRoles/,
    );
    expect(
      () =>
        new EcsPidModeRemediation(stack, "S", {
          ruleName: "r",
          passRoles: ["arn:aws:iam::111122223333:user/x"],
        }),
    ).toThrow(/neither an IAM role name nor a role ARN/);
  });

  it("lets the function pass only the operator's roles, only to ECS tasks, and tells the function their names", () => {
    const pass = statementsOf(rule, "Remediate").filter((statement) =>
      [statement.Action].flat().includes("iam:PassRole"),
    );
    expect(pass).toEqual([
      expect.objectContaining({
        Sid: "PassOnlyTheNamedRolesToEcsTasks",
        Resource: [
          {
            "Fn::Join": [
              "",
              ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":role/web-task"],
            ],
          },
          "arn:aws:iam::111122223333:role/service/ecsTaskExecutionRole",
        ],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      }),
    ]);
    rule.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({ PASSABLE_ROLE_NAMES: '["web-task","ecsTaskExecutionRole"]' }),
      },
    });
  });

  it("registers only revisions that carry the replaces tag, and names each statement for what it allows", () => {
    const statements = statementsOf(rule, "Remediate");
    expect(statements.find((statement) => statement.Action === "ecs:RegisterTaskDefinition")).toMatchObject({
      Sid: "RegisterOnlyRevisionsTaggedAsReplacements",
      Condition: { Null: { "aws:RequestTag/ecs-pid-mode:replaces": "false" } },
    });
    // A statement that lets the function change something says so in its Sid, never "Read".
    const writes = statements.filter((statement) =>
      [statement.Action].flat().some((action) => /:(Register|Update|Tag|Pass)/.test(action)),
    );
    expect(writes.map((statement) => statement.Sid)).toEqual([
      "RegisterOnlyRevisionsTaggedAsReplacements",
      "TagRevisionsOnlyWhileRegisteringThem",
      "UpdateServicesOfThisRegion",
      "PassOnlyTheNamedRolesToEcsTasks",
    ]);
  });

  it("alarms when the function fails", () => {
    rule.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: Match.stringLikeRegexp("RemediationFunction") } }],
      Threshold: 1,
    });
  });

  it("is manual by default, for task definitions, naming the family by Config's resource id", () => {
    rule.hasResourceProperties("AWS::Config::RemediationConfiguration", {
      ConfigRuleName: "ecs-in-use-task-definition-pid-mode-check",
      TargetType: "SSM_DOCUMENT",
      ResourceType: "AWS::ECS::TaskDefinition",
      Automatic: false,
      Parameters: {
        Family: { ResourceValue: { Value: "RESOURCE_ID" } },
        AutomationAssumeRole: { StaticValue: Match.anyValue() },
      },
      MaximumAutomaticAttempts: Match.absent(),
    });
    const [remediation] = Object.values(rule.findResources("AWS::Config::RemediationConfiguration")) as {
      DependsOn?: string[];
    }[];
    const [ruleId] = Object.keys(rule.findResources("AWS::Config::ConfigRule"));
    expect(remediation?.DependsOn).toContain(ruleId);
  });

  it("runs automatically only when asked, with the retry limits given", () => {
    automatic.hasResourceProperties("AWS::Config::RemediationConfiguration", {
      Automatic: true,
      MaximumAutomaticAttempts: 5,
      RetryAttemptSeconds: 900,
    });
  });

  it("is an Automation runbook (schema 0.3) whose one step invokes the function within the step's 300 s", () => {
    const documents = Object.values(resourcesOf(rule, "AWS::SSM::Document"));
    expect(documents).toHaveLength(1);
    const properties = documents[0]?.Properties as { DocumentType: string; Content: Record<string, unknown> };
    expect(properties.DocumentType).toBe("Automation");
    expect(properties.Content).toMatchObject({
      schemaVersion: "0.3",
      assumeRole: "{{ AutomationAssumeRole }}",
      parameters: { Family: { type: "String", allowedPattern: "^[A-Za-z0-9_-]{1,255}$" } },
      mainSteps: [
        {
          action: "aws:invokeLambdaFunction",
          timeoutSeconds: 300,
          inputs: { InvocationType: "RequestResponse", Payload: '{"family":"{{ Family }}"}' },
        },
      ],
    });
    rule.hasResourceProperties("AWS::Lambda::Function", {
      Timeout: 290,
      Handler: "index.handler",
      Environment: {
        Variables: Match.objectLike({
          ROLLOUT_TIMEOUT_SECONDS: "200",
          EXCEPTIONS_PARAMETER_NAME: Match.anyValue(),
        }),
      },
    });
  });

  it("lets the function pass roles only to ECS tasks, and tag only what it registers", () => {
    const statements = statementsOf(rule, "Remediate");
    expect(statements.find((statement) => statement.Sid === "PassOnlyTheNamedRolesToEcsTasks")).toMatchObject(
      {
        Action: "iam:PassRole",
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    );
    expect(
      statements.find((statement) => statement.Sid === "TagRevisionsOnlyWhileRegisteringThem"),
    ).toMatchObject({
      Action: "ecs:TagResource",
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    });
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).not.toContain("ecs:DeregisterTaskDefinition");
    expect(actions).not.toContain("ecs:StopTask");
    expect(actions).not.toContain("ecs:RunTask");
    expect(actions.filter((action) => action.endsWith("*"))).toEqual([]);
  });

  it("lets the runbook's role do one thing: invoke the function, and only SSM of this account assume it", () => {
    expect(statementsOf(rule, "Invoke")).toEqual([
      expect.objectContaining({
        Action: "lambda:InvokeFunction",
        Resource: { "Fn::GetAtt": [expect.stringContaining("RemediationFunction"), "Arn"] },
      }),
    ]);
    rule.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: "ssm.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
          }),
        ],
      },
    });
  });

  it("passes cdk-nag with every acknowledgement explained", () => {
    expect(unacknowledgedNagFindings(ruleStack)).toEqual([]);
    expect(unacknowledgedNagFindings(packStack)).toEqual([]);
  });

  it.each([
    [
      { maximumAutomaticAttempts: 26 },
      "maximumAutomaticAttempts must be an integer of at least 1 and at most 25",
    ],
    [{ retryAttemptSeconds: 0 }, "retryAttemptSeconds must be an integer of at least 1"],
    [
      { rolloutTimeout: Duration.minutes(5) },
      "rolloutTimeout (seconds) must be an integer of at least 1 and at most 230",
    ],
  ])("refuses %j", (props, message) => {
    const stack = new AccountStack(testApp(), "Bad", { rule: { remediation: false } });
    expect(
      () => new EcsPidModeRemediation(stack, "R", { ruleName: "r", passRoles: ["x"], ...props }),
    ).toThrow(message);
  });
});

describe("the remediation in the account conformance pack", () => {
  it("is a resource of the pack, fed the runbook and its role as pack parameters", () => {
    expect(Object.keys(pack.findResources("AWS::Config::RemediationConfiguration"))).toEqual([]);
    const [conformancePack] = Object.values(resourcesOf(pack, "AWS::Config::ConformancePack"));
    const properties = conformancePack?.Properties as {
      TemplateBody: string;
      ConformancePackInputParameters: { ParameterName: string }[];
    };
    expect(properties.ConformancePackInputParameters.map((entry) => entry.ParameterName)).toEqual([
      "RuleFunctionArn",
      "RemediationDocumentName",
      "RemediationRoleArn",
    ]);
    const body = parse(properties.TemplateBody) as {
      Resources: Record<
        string,
        { Type: string; Condition?: string; DependsOn?: string; Properties: Record<string, unknown> }
      >;
    };
    const types = Object.values(body.Resources)
      .map((resource) => resource.Type)
      .sort();
    expect(types).toEqual(["AWS::Config::ConfigRule", "AWS::Config::RemediationConfiguration"]);
    expect(body.Resources.EcsInUseTaskDefinitionPidModeRemediation).toMatchObject({
      Condition: "HasRemediation",
      DependsOn: "EcsInUseTaskDefinitionPidModeRule",
      Properties: {
        ConfigRuleName: "ecs-in-use-task-definition-pid-mode-check",
        TargetId: { Ref: "RemediationDocumentName" },
        Automatic: false,
        Parameters: { AutomationAssumeRole: { StaticValue: { Values: [{ Ref: "RemediationRoleArn" }] } } },
      },
    });
  });
});
