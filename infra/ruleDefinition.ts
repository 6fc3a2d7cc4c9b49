import { MaximumExecutionFrequency, ResourceType } from "aws-cdk-lib/aws-config";
import { stringify } from "yaml";
import {
  CLUSTER_TYPE,
  type JudgedScope,
  MessageType,
  SERVICE_TYPE,
  scopeParameters,
  scopeTypes,
  TASK_DEFINITION_TYPE,
} from "../lambda/core/index";

/** What the Config rule is called, what it says about itself and what it looks at: shared by every form. */

export const DEFAULT_RULE_NAME = "ecs-in-use-task-definition-pid-mode-check";

/** At most 256 characters (AWS::Config::ConfigRule Description). */
export const RULE_DESCRIPTION =
  "Security Hub ECS.3 for what runs: ECS task definition revisions used by RUNNING tasks in any cluster, " +
  "deregistered ones included, must not share the host's process namespace (pidMode host). Only in-use " +
  "revisions are judged.";

/**
 * Change notifications catch new and updated services; a task started by hand from an old revision changes no
 * recorded resource, so only the periodic sweep sees it. Six hours bounds that blind spot at four sweeps a day.
 */
export const DEFAULT_FREQUENCY = MaximumExecutionFrequency.SIX_HOURS;

export function requireFrequency(value: MaximumExecutionFrequency | undefined): MaximumExecutionFrequency {
  const frequency = value ?? DEFAULT_FREQUENCY;
  if (!Object.values(MaximumExecutionFrequency).includes(frequency)) {
    throw new Error(
      `maximumExecutionFrequency must be one of ${Object.values(MaximumExecutionFrequency).join(", ")}, got "${frequency}"`,
    );
  }
  return frequency;
}

/**
 * The rule's scope: task definitions; services unless `evaluateServices` is false; and
 * clusters, which are judged on the ECS Managed Daemons they run (daemon task definitions have no Config type).
 * The function writes only these types: `ruleParameters` tells it the same scope.
 */
export function scopeResourceTypes(evaluateServices: boolean): ResourceType[] {
  return scopeTypes({ services: evaluateServices, daemons: true }).map((type) => ResourceType.of(type));
}

/** What a scope judges, read back from its resource types. */
function judgedScope(resourceTypes: readonly ResourceType[]): JudgedScope {
  const types = resourceTypes.map((type) => type.complianceResourceType);
  return { services: types.includes(SERVICE_TYPE), daemons: types.includes(CLUSTER_TYPE) };
}

/** The rule parameters that tell the function its scope: set wherever the scope is set. */
export function scopeRuleParameters(resourceTypes: readonly ResourceType[]): Record<string, string> {
  return scopeParameters(judgedScope(resourceTypes));
}

export interface PackRule {
  readonly ruleName: string;
  readonly resourceTypes: readonly ResourceType[];
  readonly frequency: MaximumExecutionFrequency;
  /** The account pack's remediation (the runbook and its role come in as parameters); none without it. */
  readonly remediation?: PackRemediation;
}

export interface PackRemediation {
  readonly automatic: boolean;
  readonly maximumAutomaticAttempts: number;
  readonly retryAttemptSeconds: number;
}

export const REMEDIATION_DOCUMENT_PARAMETER = "RemediationDocumentName";
export const REMEDIATION_ROLE_PARAMETER = "RemediationRoleArn";

/** Pack parameters: conformance packs take only rules, so the function is passed in by ARN. */
export const FUNCTION_ARN_PARAMETER = "RuleFunctionArn";
export const EXECUTION_ROLE_PARAMETER = "ExecutionRoleName";

const LOGICAL_ID = "EcsInUseTaskDefinitionPidModeRule";

/**
 * A conformance pack template holding the custom Lambda rule. The same template serves the account pack, the
 * organization pack and the YAML file people deploy with the CLI or console. `ExecutionRoleName` is empty
 * unless the function runs in another account (organization rollout).
 */
export function conformancePackTemplate(rule: PackRule): Record<string, unknown> {
  const template = {
    Parameters: {
      [FUNCTION_ARN_PARAMETER]: {
        Type: "String",
        Description: "ARN of the rule's Lambda function (from the account or organization stack).",
      },
      [EXECUTION_ROLE_PARAMETER]: {
        Type: "String",
        Default: "",
        Description: "Organization rollout only: the role the function assumes in each member account.",
      },
    },
    Conditions: {
      HasExecutionRoleName: { "Fn::Not": [{ "Fn::Equals": [{ Ref: EXECUTION_ROLE_PARAMETER }, ""] }] },
    },
    Resources: {
      [LOGICAL_ID]: {
        Type: "AWS::Config::ConfigRule",
        Properties: {
          ConfigRuleName: rule.ruleName,
          Description: RULE_DESCRIPTION,
          Scope: { ComplianceResourceTypes: rule.resourceTypes.map((type) => type.complianceResourceType) },
          InputParameters: {
            "Fn::If": [
              "HasExecutionRoleName",
              {
                ...scopeRuleParameters(rule.resourceTypes),
                [EXECUTION_ROLE_PARAMETER]: { Ref: EXECUTION_ROLE_PARAMETER },
              },
              scopeRuleParameters(rule.resourceTypes),
            ],
          },
          Source: {
            Owner: "CUSTOM_LAMBDA",
            SourceIdentifier: { Ref: FUNCTION_ARN_PARAMETER },
            SourceDetails: [
              { EventSource: "aws.config", MessageType: MessageType.CONFIGURATION_ITEM_CHANGE },
              { EventSource: "aws.config", MessageType: MessageType.OVERSIZED_CONFIGURATION_ITEM_CHANGE },
              {
                EventSource: "aws.config",
                MessageType: MessageType.SCHEDULED,
                MaximumExecutionFrequency: rule.frequency,
              },
            ],
          },
        },
      },
    },
  };
  return rule.remediation === undefined
    ? template
    : withRemediation(template, rule.ruleName, rule.remediation);
}

export function conformancePackYaml(rule: PackRule): string {
  return stringify(conformancePackTemplate(rule));
}

/**
 * Adds the rule's remediation: the runbook by name and its role by ARN are parameters (the account stack
 * outputs both); left empty, the pack has no remediation. Conformance packs may hold RemediationConfiguration.
 */
function withRemediation(
  template: { Parameters: object; Conditions: object; Resources: object },
  ruleName: string,
  remediation: PackRemediation,
): Record<string, unknown> {
  return {
    Parameters: {
      ...template.Parameters,
      [REMEDIATION_DOCUMENT_PARAMETER]: {
        Type: "String",
        Default: "",
        Description: "The remediation runbook (SSM Automation document) from the account stack; empty: none.",
      },
      [REMEDIATION_ROLE_PARAMETER]: {
        Type: "String",
        Default: "",
        Description: "The role the remediation runbook runs as, from the account stack.",
      },
    },
    Conditions: {
      ...template.Conditions,
      HasRemediation: { "Fn::Not": [{ "Fn::Equals": [{ Ref: REMEDIATION_DOCUMENT_PARAMETER }, ""] }] },
    },
    Resources: {
      ...template.Resources,
      EcsInUseTaskDefinitionPidModeRemediation: {
        Type: "AWS::Config::RemediationConfiguration",
        Condition: "HasRemediation",
        DependsOn: LOGICAL_ID,
        Properties: remediationProperties(ruleName, remediation, {
          documentName: { Ref: REMEDIATION_DOCUMENT_PARAMETER },
          roleArn: { Ref: REMEDIATION_ROLE_PARAMETER },
        }),
      },
    },
  };
}

/** AWS::Config::RemediationConfiguration properties: one family (the resource id) a run; manual by default. */
export function remediationProperties(
  ruleName: string,
  remediation: PackRemediation,
  target: { documentName: unknown; roleArn: unknown },
): Record<string, unknown> {
  return {
    ConfigRuleName: ruleName,
    TargetType: "SSM_DOCUMENT",
    TargetId: target.documentName,
    ResourceType: TASK_DEFINITION_TYPE,
    Parameters: {
      AutomationAssumeRole: { StaticValue: { Values: [target.roleArn] } },
      Family: { ResourceValue: { Value: "RESOURCE_ID" } },
    },
    Automatic: remediation.automatic,
    ...(remediation.automatic
      ? {
          MaximumAutomaticAttempts: remediation.maximumAutomaticAttempts,
          RetryAttemptSeconds: remediation.retryAttemptSeconds,
        }
      : {}),
  };
}
