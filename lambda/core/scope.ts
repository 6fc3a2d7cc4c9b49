// What the rule judges, as its own parameters say: the infrastructure sets the parameters together with the
// rule's scope, so the function writes only the resource types in that scope. (Whether Config keeps
// evaluations of types outside a rule's scope is undocumented.)
import { CLUSTER_TYPE, SERVICE_TYPE, TASK_DEFINITION_TYPE, TASK_SET_TYPE } from "./identifiers";

/** The rule parameters (Config's `InputParameters`, the event's `ruleParameters`) the function knows. */
export const RuleParameter = {
  /** The role the function assumes in member accounts (organization deployments). */
  EXECUTION_ROLE_NAME: "ExecutionRoleName",
  /** `"true"` (default) or `"false"`: services and their task sets are in the scope and judged. */
  EVALUATE_SERVICES: "EvaluateServices",
  /** `"true"` (default) or `"false"`: clusters are in the scope and judged on the ECS Managed Daemons they run. */
  EVALUATE_DAEMONS: "EvaluateDaemons",
} as const;
export type RuleParameter = (typeof RuleParameter)[keyof typeof RuleParameter];

/** What a rule judges besides task definitions, which it always judges. */
export interface JudgedScope {
  /** `AWS::ECS::Service` and `AWS::ECS::TaskSet`. */
  readonly services: boolean;
  /** `AWS::ECS::Cluster`, judged on its daemons. */
  readonly daemons: boolean;
}

/** What a rule without those parameters judges: everything, as before they existed. */
export const DEFAULT_SCOPE: JudgedScope = { services: true, daemons: true };

/** The resource types a rule of this scope reports on: exactly its Config scope. */
export function scopeTypes(scope: JudgedScope): string[] {
  return [
    TASK_DEFINITION_TYPE,
    ...(scope.services ? [SERVICE_TYPE, TASK_SET_TYPE] : []),
    ...(scope.daemons ? [CLUSTER_TYPE] : []),
  ];
}

export function inScope(scope: JudgedScope, resourceType: string): boolean {
  return scopeTypes(scope).includes(resourceType);
}

/** The parameter values that say `scope`, as Config takes them (strings). */
export function scopeParameters(scope: JudgedScope): Record<string, string> {
  return {
    [RuleParameter.EVALUATE_SERVICES]: String(scope.services),
    [RuleParameter.EVALUATE_DAEMONS]: String(scope.daemons),
  };
}
