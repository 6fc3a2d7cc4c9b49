import { Aws } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";

/**
 * The IAM statements for exactly the calls the rule makes (see `lambda/adapters/`), shared by the function's
 * own role and the member-account role. Resource-level permissions as far as the Service Authorization
 * Reference allows: `ecs:ListClusters`, `ecs:DescribeTaskDefinition`, `config:PutEvaluations`,
 * `config:ListDiscoveredResources` and `config:GetResourceConfigHistory` support none; `ecs:ListTasks` is
 * scoped by the `ecs:cluster` condition key, `ecs:DescribeTasks` and `ecs:DescribeServices` to task and
 * service ARNs (and `ecs:cluster`), `config:GetComplianceDetailsByConfigRule` to Config rule ARNs.
 * The ECS Managed Daemons reads (`ecs:ListDaemons`, `ecs:DescribeDaemon`, `ecs:DescribeDaemonRevisions`,
 * `ecs:DescribeDaemonTaskDefinition`) are new and their resource types are not published yet, and
 * `config:GetComplianceDetailsByResource` supports none: they stay unscoped reads.
 */

/** Where the reads may happen: one Region of the function's account, or every Region (`*`) of a member. */
export interface AccountScope {
  readonly region: string;
  readonly account: string;
}

function arn(service: string, scope: AccountScope, resource: string): string {
  return `arn:${Aws.PARTITION}:${service}:${scope.region}:${scope.account}:${resource}`;
}

export function ecsReadStatements(scope: AccountScope): PolicyStatement[] {
  const clustersOfScope = { ArnLike: { "ecs:cluster": arn("ecs", scope, "cluster/*") } };
  return [
    new PolicyStatement({
      sid: "ListClustersSupportsNoResourceScope",
      actions: ["ecs:ListClusters"],
      resources: ["*"],
    }),
    new PolicyStatement({
      sid: "ListTasksInClustersOfScope",
      actions: ["ecs:ListTasks"],
      resources: ["*"],
      conditions: clustersOfScope,
    }),
    new PolicyStatement({
      sid: "DescribeTasksOfScope",
      actions: ["ecs:DescribeTasks"],
      resources: [arn("ecs", scope, "task/*")],
      conditions: clustersOfScope,
    }),
    new PolicyStatement({
      sid: "DescribeServicesOfScope",
      actions: ["ecs:DescribeServices"],
      resources: [arn("ecs", scope, "service/*")],
      conditions: clustersOfScope,
    }),
    new PolicyStatement({
      sid: "DescribeTaskDefinitionSupportsNoResourceScope",
      actions: [
        "ecs:DescribeTaskDefinition",
        "ecs:DescribeDaemonTaskDefinition",
        "ecs:ListDaemons",
        "ecs:DescribeDaemon",
        "ecs:DescribeDaemonRevisions",
      ],
      resources: ["*"],
    }),
  ];
}

export function configStatements(scope: AccountScope): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: "ConfigCallsSupportingNoResourceScope",
      actions: [
        "config:PutEvaluations",
        "config:ListDiscoveredResources",
        "config:GetResourceConfigHistory",
        "config:GetComplianceDetailsByResource",
      ],
      resources: ["*"],
    }),
    new PolicyStatement({
      sid: "ReadOwnRuleVerdicts",
      actions: ["config:GetComplianceDetailsByConfigRule"],
      resources: [arn("config", scope, "config-rule/*")],
    }),
  ];
}

/** Organization mode: the member role, by name, and only in accounts of the function's own organization. */
export function assumeMemberRoleStatement(executionRoleName: string): PolicyStatement {
  return new PolicyStatement({
    sid: "AssumeMemberRoleInOwnOrganization",
    actions: ["sts:AssumeRole"],
    resources: [`arn:${Aws.PARTITION}:iam::*:role/${executionRoleName}`],
    // An IAM policy variable, resolved by IAM at request time: the caller's own organization.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM syntax, not a JavaScript template.
    conditions: { StringEquals: { "aws:ResourceOrgID": "${aws:PrincipalOrgID}" } },
  });
}
