import { App } from "aws-cdk-lib";
import { parse } from "yaml";
import { AppContext, cdkJsonContext } from "../../../infra/appContext";
import { DEFAULT_RULE_NAME } from "../../../infra/ruleDefinition";
import { DEPLOY_FUNCTION_COMMAND, packFile } from "../../../scripts/build-pack";

const CDK_JSON = JSON.stringify({
  app: "npx tsx infra/app.ts",
  context: { ruleName: "team-pid-check", maximumExecutionFrequency: "One_Hour", deployAs: "rule" },
});

function pack(overrides: string[] = [], cdkJson = CDK_JSON) {
  const context = new AppContext(new App({ context: cdkJsonContext(cdkJson, overrides) }).node);
  const text = packFile(context, "dist/conformance-pack.yaml");
  const template = parse(text) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
  const [rule] = Object.values(template.Resources);
  return { text, rule: rule?.Properties ?? {} };
}

describe("npm run build:pack", () => {
  it("takes the rule name and frequency from cdk.json, as the CDK app does", () => {
    const { rule } = pack();
    expect(rule.ConfigRuleName).toBe("team-pid-check");
    expect((rule.Source as { SourceDetails: unknown[] }).SourceDetails).toContainEqual({
      EventSource: "aws.config",
      MessageType: "ScheduledNotification",
      MaximumExecutionFrequency: "One_Hour",
    });
    expect(rule.Scope).toEqual({
      ComplianceResourceTypes: [
        "AWS::ECS::TaskDefinition",
        "AWS::ECS::Service",
        "AWS::ECS::TaskSet",
        "AWS::ECS::Cluster",
      ],
    });
  });

  it("lets -c key=value override cdk.json, services in scope included", () => {
    const { rule } = pack(["ruleName=other", "evaluateServices=false"]);
    expect(rule.ConfigRuleName).toBe("other");
    expect(rule.Scope).toEqual({
      ComplianceResourceTypes: ["AWS::ECS::TaskDefinition", "AWS::ECS::Cluster"],
    });
  });

  it("falls back to the app's defaults without context", () => {
    expect(pack([], "{}").rule.ConfigRuleName).toBe(DEFAULT_RULE_NAME);
  });

  it("names in its header the command that deploys only the function", () => {
    const { text } = pack();
    expect(DEPLOY_FUNCTION_COMMAND).toBe("npx cdk deploy -c deployAs=function EcsPidModeRule");
    expect(text).toContain(`#   ${DEPLOY_FUNCTION_COMMAND}\n`);
    expect(text).toContain("--template-body file://dist/conformance-pack.yaml");
  });

  it.each([
    [["ruleName=has spaces"], /ruleName/],
    [["maximumExecutionFrequency=Every_Minute"], /maximumExecutionFrequency/],
    [["ruleName"], /key=value/],
    // Config appends a suffix to a pack's rule name: 101 characters leave room for it, as in the app's packs.
    [[`ruleName=${"r".repeat(102)}`], /ruleName must be 1-101/],
  ])("refuses %j as the app would", (overrides, message) => {
    expect(() => pack(overrides)).toThrow(message);
  });
});

describe("the app's context from cdk.json", () => {
  it("is cdk.json's context with -c pairs on top, values after the first = kept whole", () => {
    expect(cdkJsonContext(CDK_JSON, ["ruleName=a=b", "new=1"])).toEqual({
      ruleName: "a=b",
      maximumExecutionFrequency: "One_Hour",
      deployAs: "rule",
      new: "1",
    });
  });

  it("refuses a context that is not an object", () => {
    expect(() => cdkJsonContext('{"context": []}')).toThrow("cdk.json: context must be an object");
  });
});
