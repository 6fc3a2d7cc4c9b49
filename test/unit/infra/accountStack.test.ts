import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import { MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import { parse } from "yaml";
import { AccountStack } from "../../../infra/accountStack";
import { exceptionsDigest } from "../../../lambda/adapters/approvedExceptionsSource";
import { resourcesOf, templateOf, testApp, unacknowledgedNagFindings, unbundledApp } from "../../support/cdk";
import { packRuleInputParameters } from "../../support/conformancePack";

// Three synths (with bundling) shared by every test: the standalone rule, the account conformance pack, and
// the function alone for a pack deployed by hand.
const app = testApp();
const standaloneStack = new AccountStack(app, "Standalone", {
  alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:security-alarms",
  rule: {
    // The remediation has its own tests (ecsPidModeRemediation.test.ts); these count the rule's resources alone.
    remediation: false,
    reservedConcurrency: 2,
    exceptions: [
      {
        taskDefinition: "node-exporter",
        owner: "platform-team",
        expires: "2099-01-01",
        reason: "host metrics",
      },
    ],
    maxExceptionDays: 36500,
  },
});
const packStack = new AccountStack(app, "Pack", {
  rule: {
    remediation: false,
    deployAs: "conformancePack",
    evaluateServices: false,
    maximumExecutionFrequency: MaximumExecutionFrequency.TWELVE_HOURS,
  },
});
const functionOnlyStack = new AccountStack(app, "FunctionOnly", {
  rule: { deployAs: "function", remediation: false },
});
const standalone = templateOf(standaloneStack);
const pack = templateOf(packStack);
const functionOnly = templateOf(functionOnlyStack);

function onlyResource(type: string, template = standalone): Record<string, unknown> {
  const resources = Object.values(resourcesOf(template, type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

function policyStatements(template = standalone): Array<Record<string, unknown>> {
  const role = onlyResource("AWS::IAM::Role", template) as {
    Policies: Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>;
  };
  expect(role.Policies).toHaveLength(1);
  return (role.Policies[0] as { PolicyDocument: { Statement: Array<Record<string, unknown>> } })
    .PolicyDocument.Statement;
}

describe("the account stack with a standalone rule", () => {
  it("runs the function on the newest Node.js runtime, on arm64, for the full 15 minutes with 1024 MB", () => {
    standalone.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      Timeout: 900,
      MemorySize: 1024,
      ReservedConcurrentExecutions: 2,
      Environment: {
        Variables: {
          EXCEPTIONS_PARAMETER_NAME: { Ref: Match.stringLikeRegexp("Exceptions") },
          ECS_RATE_SHARE: "0.5",
          POWERTOOLS_SERVICE_NAME: "ecs-pid-mode-rule",
          POWERTOOLS_METRICS_NAMESPACE: "EcsPidModeRule",
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
    });
  });

  it("keeps the function's logs in its own log group for 90 days", () => {
    expect(onlyResource("AWS::Logs::LogGroup")).toEqual({ RetentionInDays: 90 });
    standalone.hasResourceProperties("AWS::Lambda::Function", {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp("Logs") } },
    });
  });

  it("is triggered by changes, oversized changes and every six hours, on task definitions, services, task sets and clusters, and tells the function that scope", () => {
    standalone.hasResourceProperties("AWS::Config::ConfigRule", {
      ConfigRuleName: "ecs-in-use-task-definition-pid-mode-check",
      Description: Match.stringLikeRegexp("Only in-use revisions are judged"),
      Scope: {
        ComplianceResourceTypes: [
          "AWS::ECS::TaskDefinition",
          "AWS::ECS::Service",
          "AWS::ECS::TaskSet",
          "AWS::ECS::Cluster",
        ],
      },
      InputParameters: { EvaluateServices: "true", EvaluateDaemons: "true" },
      Source: {
        Owner: "CUSTOM_LAMBDA",
        SourceDetails: [
          { EventSource: "aws.config", MessageType: "ConfigurationItemChangeNotification" },
          { EventSource: "aws.config", MessageType: "OversizedConfigurationItemChangeNotification" },
          {
            EventSource: "aws.config",
            MessageType: "ScheduledNotification",
            MaximumExecutionFrequency: "Six_Hours",
          },
        ],
      },
    });
  });

  it("lets only AWS Config of its own account invoke the function", () => {
    const permission = onlyResource("AWS::Lambda::Permission");
    expect(permission).toMatchObject({
      Action: "lambda:InvokeFunction",
      Principal: "config.amazonaws.com",
      SourceAccount: { Ref: "AWS::AccountId" },
    });
  });

  it("gives the function role no managed policy at all, so not AWSConfigRulesExecutionRole", () => {
    const role = onlyResource("AWS::IAM::Role");
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(standalone.toJSON())).not.toContain("AWSConfigRulesExecutionRole");
    expect(resourcesOf(standalone, "AWS::IAM::Policy")).toEqual({});
  });

  it("allows exactly the calls the rule makes, scoped where the services allow it", () => {
    const granted = policyStatements().map((statement) => ({
      actions: ([] as unknown[]).concat(statement.Action).sort(),
      resource: JSON.stringify(statement.Resource),
      condition: JSON.stringify(statement.Condition ?? null),
    }));
    const join = (suffix: string, service = "ecs") =>
      JSON.stringify({
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            `:${service}:`,
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            suffix,
          ],
        ],
      });
    const clusterCondition = JSON.stringify({ ArnLike: { "ecs:cluster": JSON.parse(join(":cluster/*")) } });
    expect(granted).toEqual([
      { actions: ["ecs:ListClusters"], resource: '"*"', condition: "null" },
      { actions: ["ecs:ListTasks"], resource: '"*"', condition: clusterCondition },
      { actions: ["ecs:DescribeTasks"], resource: join(":task/*"), condition: clusterCondition },
      { actions: ["ecs:DescribeServices"], resource: join(":service/*"), condition: clusterCondition },
      {
        actions: [
          "ecs:DescribeDaemon",
          "ecs:DescribeDaemonRevisions",
          "ecs:DescribeDaemonTaskDefinition",
          "ecs:DescribeTaskDefinition",
          "ecs:ListDaemons",
        ],
        resource: '"*"',
        condition: "null",
      },
      {
        actions: [
          "config:GetComplianceDetailsByResource",
          "config:GetResourceConfigHistory",
          "config:ListDiscoveredResources",
          "config:PutEvaluations",
        ],
        resource: '"*"',
        condition: "null",
      },
      {
        actions: ["config:GetComplianceDetailsByConfigRule"],
        resource: join(":config-rule/*", "config"),
        condition: "null",
      },
      { actions: ["ssm:GetParameter"], resource: expect.stringContaining("Exceptions"), condition: "null" },
      {
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resource: expect.stringContaining("Logs"),
        condition: "null",
      },
      {
        actions: ["sqs:SendMessage"],
        resource: expect.stringContaining("FailedInvocations"),
        condition: "null",
      },
    ]);
  });

  it("may not assume any role when it is not deployed for an organization", () => {
    expect(JSON.stringify(policyStatements())).not.toContain("sts:AssumeRole");
  });

  it("sends events that failed after Lambda's retries to an encrypted, TLS-only queue", () => {
    standalone.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { "Fn::GetAtt": [Match.stringLikeRegexp("FailedInvocations"), "Arn"] } },
      },
    });
    expect(onlyResource("AWS::SQS::Queue")).toMatchObject({ SqsManagedSseEnabled: true });
    standalone.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ],
      },
    });
  });

  it("alarms on function errors, failures arriving in the queue, throttles, event age and incomplete sweeps, notifying the given topic", () => {
    const alarms = Object.values(resourcesOf(standalone, "AWS::CloudWatch::Alarm")).map(
      (alarm) => alarm.Properties,
    );
    const byMetric = Object.fromEntries(alarms.map((alarm) => [alarm.MetricName ?? "expression", alarm]));
    expect(Object.keys(byMetric).sort()).toEqual([
      "AsyncEventAge",
      "Errors",
      "IncompleteEvaluations",
      "MatchedEvents",
      "NumberOfMessagesSent",
      "Throttles",
      "expression",
    ]);
    expect(byMetric.NumberOfMessagesSent).toMatchObject({
      Namespace: "AWS/SQS",
      Statistic: "Sum",
      Threshold: 1,
    });
    expect(byMetric.Throttles).toMatchObject({ Namespace: "AWS/Lambda", Statistic: "Sum", Threshold: 1 });
    expect(byMetric.AsyncEventAge).toMatchObject({
      Namespace: "AWS/Lambda",
      Statistic: "Maximum",
      Threshold: 3_600_000,
    });
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: ["arn:aws:sns:eu-west-1:111111111111:security-alarms"],
      });
    }
    expect(byMetric.IncompleteEvaluations).toMatchObject({
      Namespace: "EcsPidModeRule",
      Statistic: "Sum",
      Dimensions: [{ Name: "service", Value: "ecs-pid-mode-rule" }],
    });
  });

  it("deploys the function with the SHA-256 of the parameter's exact value, its maximum and account mode", () => {
    const parameter = onlyResource("AWS::SSM::Parameter");
    const digest = exceptionsDigest(parameter.Value as string);
    const functions = Object.values(resourcesOf(standalone, "AWS::Lambda::Function")).map(
      (resource) => resource.Properties as { Environment?: { Variables?: Record<string, unknown> } },
    );
    const rule = functions.find((fn) => fn.Environment?.Variables?.ECS_RATE_SHARE !== undefined);
    expect(rule?.Environment?.Variables).toMatchObject({
      EXCEPTIONS_SHA256: digest,
      MAX_EXCEPTION_DAYS: "36500",
      EXCEPTIONS_ORGANIZATION_MODE: "false",
    });
  });

  it("sends CloudTrail's record of a write to the parameter by anyone but CloudFormation to the topic, and alarms on it", () => {
    const rules = Object.values(resourcesOf(standalone, "AWS::Events::Rule")).map(
      (resource) => resource.Properties as { EventPattern: Record<string, unknown>; Targets?: unknown[] },
    );
    const edits = rules.find((rule) => JSON.stringify(rule.EventPattern).includes("ssm.amazonaws.com"));
    expect(edits?.EventPattern).toMatchObject({
      source: ["aws.ssm"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventName: ["PutParameter", "DeleteParameter", "DeleteParameters"],
        sourceIPAddress: [{ "anything-but": "cloudformation.amazonaws.com" }],
      },
    });
    expect(JSON.stringify(edits?.EventPattern)).toContain('"name":[{"Ref"');
    expect(JSON.stringify(edits?.EventPattern)).toContain('"names":[{"Ref"');
    expect(edits?.Targets).toEqual([
      expect.objectContaining({ Arn: "arn:aws:sns:eu-west-1:111111111111:security-alarms" }),
    ]);
    const alarms = Object.values(resourcesOf(standalone, "AWS::CloudWatch::Alarm")).map(
      (alarm) => alarm.Properties as { MetricName?: string; Namespace?: string; Metrics?: unknown[] },
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: "AWS/Events", MetricName: "MatchedEvents" }),
    );
    const unverified = alarms.find((alarm) => alarm.Metrics !== undefined);
    expect(JSON.stringify(unverified?.Metrics)).toContain("ExceptionsTampered");
    expect(JSON.stringify(unverified?.Metrics)).toContain("ExceptionsUnreadable");
  });

  it("delivers the declared exceptions as the JSON array the rule reads, on the Standard tier", () => {
    const parameter = onlyResource("AWS::SSM::Parameter");
    expect(parameter.Tier).toBe("Standard");
    expect(JSON.parse(parameter.Value as string)).toEqual([
      {
        taskDefinition: "node-exporter",
        owner: "platform-team",
        expires: "2099-01-01",
        reason: "host metrics",
      },
    ]);
  });

  it("leaves no cdk-nag AwsSolutions finding unacknowledged", () => {
    expect(unacknowledgedNagFindings(standaloneStack)).toEqual([]);
  });

  it("deploys a minified bundle that carries the AWS SDK, a source map, and exports the handler", () => {
    const code = onlyResource("AWS::Lambda::Function").Code as { S3Key: string };
    const assetDir = join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, "")}`);
    expect(readdirSync(assetDir).sort()).toEqual(["index.js", "index.js.map"]);
    const bundle = readFileSync(join(assetDir, "index.js"), "utf8");
    // The only SDK module left outside is the optional CRT signer, which the SDK loads inside a try.
    const sdkRequires = new Set(
      Array.from(bundle.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g), (match) => match[1]),
    );
    expect(sdkRequires).toEqual(new Set(["@aws-sdk/signature-v4-crt"]));
    // Minified: lines are long (only template literals keep their line breaks); the map is linked.
    expect(bundle.length / bundle.split("\n").length).toBeGreaterThan(1000);
    expect(bundle.trimEnd().endsWith("//# sourceMappingURL=index.js.map")).toBe(true);
    // The map names the sources and maps positions, without their text (less for Node.js to read at start).
    const map = JSON.parse(readFileSync(join(assetDir, "index.js.map"), "utf8")) as Record<string, unknown>;
    expect(map.sources).toEqual(expect.arrayContaining([expect.stringContaining("lambda/handler.ts")]));
    expect(map.sourcesContent).toBeUndefined();
    const loaded = require(join(assetDir, "index.js")) as { handler?: unknown };
    expect(typeof loaded.handler).toBe("function");
  });
});

describe("the account stack with the rule inside a conformance pack", () => {
  it("creates no standalone rule, only an account conformance pack given the function ARN", () => {
    expect(resourcesOf(pack, "AWS::Config::ConfigRule")).toEqual({});
    const conformancePack = onlyResource("AWS::Config::ConformancePack", pack);
    expect(conformancePack).toMatchObject({
      ConformancePackName: "ecs-in-use-pid-mode",
      ConformancePackInputParameters: [
        {
          ParameterName: "RuleFunctionArn",
          ParameterValue: { "Fn::GetAtt": [expect.stringMatching(/Function/), "Arn"] },
        },
      ],
    });
  });

  it("holds a custom Lambda rule scoped to task definitions and clusters only when services are dropped, and says so in its parameters", () => {
    const body = parse(onlyResource("AWS::Config::ConformancePack", pack).TemplateBody as string);
    const rules = Object.values(body.Resources) as Array<{
      Type: string;
      Properties: Record<string, unknown>;
    }>;
    expect(rules.map((rule) => rule.Type)).toEqual(["AWS::Config::ConfigRule"]);
    expect(rules[0]?.Properties).toMatchObject({
      ConfigRuleName: "ecs-in-use-task-definition-pid-mode-check",
      Scope: { ComplianceResourceTypes: ["AWS::ECS::TaskDefinition", "AWS::ECS::Cluster"] },
      InputParameters: packRuleInputParameters({ EvaluateServices: "false", EvaluateDaemons: "true" }),
      Source: {
        Owner: "CUSTOM_LAMBDA",
        SourceIdentifier: { Ref: "RuleFunctionArn" },
        SourceDetails: expect.arrayContaining([
          {
            EventSource: "aws.config",
            MessageType: "ScheduledNotification",
            MaximumExecutionFrequency: "Twelve_Hours",
          },
        ]),
      },
    });
  });

  it("is created only after AWS Config of the account may invoke the function", () => {
    const [packId] = Object.keys(resourcesOf(pack, "AWS::Config::ConformancePack"));
    const [permissionId] = Object.keys(resourcesOf(pack, "AWS::Lambda::Permission"));
    const dependsOn = (pack.toJSON().Resources[packId as string].DependsOn ?? []) as string[];
    expect(dependsOn).toContain(permissionId);
    expect(onlyResource("AWS::Lambda::Permission", pack)).toMatchObject({
      SourceAccount: { Ref: "AWS::AccountId" },
    });
  });

  it("leaves no cdk-nag AwsSolutions finding unacknowledged", () => {
    expect(unacknowledgedNagFindings(packStack)).toEqual([]);
  });
});

describe("the account stack with only the function, for a conformance pack deployed by hand", () => {
  it("creates neither a rule nor a pack, lets AWS Config of this account invoke the function, and outputs its ARN", () => {
    expect(resourcesOf(functionOnly, "AWS::Config::ConfigRule")).toEqual({});
    expect(resourcesOf(functionOnly, "AWS::Config::ConformancePack")).toEqual({});
    functionOnly.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "config.amazonaws.com",
      SourceAccount: { Ref: "AWS::AccountId" },
    });
    expect(Object.values(functionOnly.findOutputs("*")).map((output) => output.Value)).toContainEqual({
      "Fn::GetAtt": [expect.stringMatching(/Function/), "Arn"],
    });
    expect(unacknowledgedNagFindings(functionOnlyStack)).toEqual([]);
  });
});

describe("the account stack's outputs and names", () => {
  it.each([
    ["standalone", standalone],
    ["pack", pack],
    ["function only", functionOnly],
  ])("outputs the function and the rule name under fixed names (%s)", (_shape, template) => {
    expect(Object.keys(template.findOutputs("*"))).toEqual(
      expect.arrayContaining(["RuleFunctionArn", "RuleName"]),
    );
    expect(template.findOutputs("RuleName").RuleName?.Value).toBe(
      "ecs-in-use-task-definition-pid-mode-check",
    );
  });

  it("outputs the remediation's runbook and role under fixed names too", () => {
    const template = templateOf(
      new AccountStack(unbundledApp(), "Outputs", {
        rule: { deployAs: "function", remediation: { passRoles: ["app-task"] } },
      }),
    );
    expect(Object.keys(template.findOutputs("*")).sort()).toEqual([
      "RemediationDocumentName",
      "RemediationRoleArn",
      "RuleFunctionArn",
      "RuleName",
    ]);
  });

  it("leaves room in a pack's rule name for the suffix packs add: 101 characters, not 102; 128 standalone", () => {
    const rule = (ruleName: string, deployAs: "rule" | "conformancePack" | "function") => () =>
      new AccountStack(unbundledApp(), "Names", { rule: { remediation: false, ruleName, deployAs } });
    expect(rule("r".repeat(101), "conformancePack")).not.toThrow();
    expect(rule("r".repeat(102), "conformancePack")).toThrow(/ruleName must be 1-101/);
    expect(rule("r".repeat(102), "function")).toThrow(/ruleName must be 1-101/);
    expect(rule("r".repeat(128), "rule")).not.toThrow();
    expect(rule("r".repeat(129), "rule")).toThrow(/ruleName must be 1-128/);
  });
});
