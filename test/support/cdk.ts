import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";

/** A fresh app that treats CloudFormation schema findings as errors, as `cdk.json` does. */
export function testApp(): App {
  return new App({ context: { "@aws-cdk/core:validateAgainstDefaultRules": true } });
}

/** Like `testApp`, without bundling the function: for tests of props and template shape, not of code. */
export function unbundledApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [], ...context },
  });
}

/** Synthesizes a stack once (bundling included) for all tests of a file. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** AwsSolutions findings that nothing acknowledges, as `rule at construct path` lines. */
export function unacknowledgedNagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}`,
    ),
  );
}

/** Every resource of a type, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

export interface RoleJson {
  readonly RoleName?: unknown;
  readonly ManagedPolicyArns?: unknown;
  readonly AssumeRolePolicyDocument: { readonly Statement: StatementJson[] };
  readonly Policies: Array<{ readonly PolicyDocument: { readonly Statement: StatementJson[] } }>;
}

/** The IAM policy variable naming the caller's organization, as IAM spells it. */
export const PRINCIPAL_ORG_ID_VARIABLE = ["${aws", "PrincipalOrgID}"].join(":");

/** `count` distinct 12-digit member account ids, counting up from `from`: an organization of that size. */
export function memberAccountIds(count: number, from = 100_000_000_000): string[] {
  return Array.from({ length: count }, (_, index) => String(from + index));
}
