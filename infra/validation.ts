import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { ROLE_NAME_PATTERN } from "../lambda/core/index";

/** Constructor checks whose messages name the prop that is wrong. */

export function requireInteger(
  prop: string,
  value: number,
  atLeast: number,
  atMost = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < atLeast || value > atMost) {
    const upper = atMost === Number.MAX_SAFE_INTEGER ? "" : ` and at most ${atMost}`;
    throw new Error(`${prop} must be an integer of at least ${atLeast}${upper}, got ${value}`);
  }
  return value;
}

export function requireRange(prop: string, value: number, range: { above: number; atMost: number }): number {
  if (!(value > range.above && value <= range.atMost)) {
    throw new Error(`${prop} must be more than ${range.above} and at most ${range.atMost}, got ${value}`);
  }
  return value;
}

export function requireAll(
  prop: string,
  values: readonly string[],
  pattern: RegExp,
  what: string,
): readonly string[] {
  const bad = values.filter((value) => !pattern.test(value));
  if (bad.length > 0)
    throw new Error(`${prop} must hold ${what}; not: ${bad.map((v) => JSON.stringify(v)).join(", ")}`);
  return values;
}

/** An IAM role name, as the rule's `ExecutionRoleName` parameter also requires. */
export function requireRoleName(prop: string, name: string): string {
  if (!ROLE_NAME_PATTERN.test(name)) {
    throw new Error(`${prop} must be an IAM role name (1-64 of A-Za-z0-9+=,.@_-), got "${name}"`);
  }
  return name;
}

/**
 * A Config rule name: literal, 1-128 of A-Za-z0-9_- (the API allows 128). A rule that a conformance pack
 * creates gets a suffix appended by Config, so pack rules must leave room for it (`RULE_NAME_IN_PACK_MAX`).
 */
export function requireRuleName(ruleName: string, maxLength = 128): string {
  if (!/^[A-Za-z0-9_-]+$/.test(ruleName) || ruleName.length > maxLength) {
    throw new Error(`ruleName must be 1-${maxLength} of A-Za-z0-9_- (a literal name), got "${ruleName}"`);
  }
  return ruleName;
}

/** A conformance pack name: a letter, then letters, digits and -, at most `maxLength` characters. */
export function requirePackName(prop: string, name: string, maxLength: number): string {
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name) || name.length > maxLength) {
    throw new Error(
      `${prop} must start with a letter, hold only letters, digits and - and be at most ${maxLength} characters, got "${name}"`,
    );
  }
  return name;
}

/** Acknowledges cdk-nag findings, each with the reason it is acceptable. */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}

export const WILDCARD_REASON =
  "Resource * only where the Service Authorization Reference lists no resource type (ecs:ListClusters, " +
  "ecs:DescribeTaskDefinition, config:PutEvaluations, config:ListDiscoveredResources, " +
  "config:GetResourceConfigHistory, config:GetComplianceDetailsByResource) or none yet " +
  "(ecs:ListDaemons, ecs:DescribeDaemon, ecs:DescribeDaemonRevisions, ecs:DescribeDaemonTaskDefinition, new with " +
  "ECS Managed Daemons), and for ecs:ListTasks, which the " +
  "ecs:cluster condition key limits instead.";
