import { Aws, CfnStackSet, Stack, type StackProps } from "aws-cdk-lib";
import { CfnOrganizationConformancePack, type MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { requirePackName, requireRuleName } from "./ecsPidModeRule";
import { DEFAULT_EXECUTION_ROLE_NAME, joinRoleArns, memberRoleTemplateBody } from "./memberRoleStack";
import {
  conformancePackYaml,
  DEFAULT_RULE_NAME,
  EXECUTION_ROLE_PARAMETER,
  FUNCTION_ARN_PARAMETER,
  requireFrequency,
  scopeResourceTypes,
} from "./ruleDefinition";
import { EcsPidModeRuleFunction, type EcsPidModeRuleFunctionProps, importedTopic } from "./ruleFunction";
import { requireAll, requireRoleName } from "./validation";

export interface OrganizationStackProps
  extends StackProps,
    Omit<EcsPidModeRuleFunctionProps, "memberRoleName" | "functionRoleName"> {
  /**
   * Where the StackSet creates the member role: organization root (`r-...`) or OU ids (`ou-...`). Service-managed
   * StackSets never deploy to the management account.
   */
  readonly organizationalUnitIds: readonly string[];
  /**
   * The role the function assumes in each member account (the rule's `ExecutionRoleName` parameter).
   * @default "EcsPidModeRuleExecution"
   */
  readonly executionRoleName?: string;
  /**
   * Accounts the organization conformance pack skips (at most 1,000).
   * @default - none
   */
  readonly excludedAccounts?: readonly string[];
  /**
   * Accounts whose AWS Config may invoke the function, one permission each with `SourceAccount`. Lambda
   * permissions cannot name an organization for a service principal, so without this list AWS Config of any
   * account may invoke it; the function can still act only in accounts of its own organization (the
   * `aws:ResourceOrgID` condition on `sts:AssumeRole`).
   * @default - AWS Config of any account
   */
  readonly memberAccountIds?: readonly string[];
  /**
   * The Regions this stack is deployed to (one function each); member roles trust the function role of each.
   * @default - this stack's Region only
   */
  readonly ruleRegions?: readonly string[];
  /**
   * Whether this stack deploys the member-role StackSet. IAM is global: deploy it from one Region only and set
   * this to false in the stacks of the other Regions.
   * @default true
   */
  readonly deployMemberRoles?: boolean;
  /**
   * `SELF` in the management account, `DELEGATED_ADMIN` in a delegated StackSets administrator account.
   * @default "SELF"
   */
  readonly stackSetCallAs?: "SELF" | "DELEGATED_ADMIN";
  /**
   * An existing SNS topic the alarms notify (overrides `alarmTopic`).
   * @default - `alarmTopic`
   */
  readonly alarmTopicArn?: string;
  /** @default "ecs-in-use-task-definition-pid-mode-check" */
  readonly ruleName?: string;
  /** @default MaximumExecutionFrequency.SIX_HOURS */
  readonly maximumExecutionFrequency?: MaximumExecutionFrequency;
  /** @default true */
  readonly evaluateServices?: boolean;
  /** @default "ecs-in-use-pid-mode" */
  readonly conformancePackName?: string;
}

const FUNCTION_ROLE_PREFIX = "EcsPidModeRuleFunction-";
const ACCOUNT_ID = /^\d{12}$/;

/**
 * For the management or delegated administrator account: the function once per Region, an organization
 * conformance pack whose rule invokes it in every member account, and a service-managed StackSet that gives
 * every member account the role the function assumes there.
 */
export class OrganizationStack extends Stack {
  readonly ruleFunction: EcsPidModeRuleFunction;
  readonly conformancePack: CfnOrganizationConformancePack;
  readonly memberRoles: CfnStackSet | undefined;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, {
      description:
        "AWS Config rule for a whole organization: ECS revisions used by RUNNING tasks must not use pidMode host",
      ...props,
    });
    const executionRoleName = requireRoleName(
      "executionRoleName",
      props.executionRoleName ?? DEFAULT_EXECUTION_ROLE_NAME,
    );
    if (props.organizationalUnitIds.length === 0) {
      throw new Error(
        "organizationalUnitIds must name at least the organization root (r-...) or one OU (ou-...)",
      );
    }
    requireAll(
      "organizationalUnitIds",
      props.organizationalUnitIds,
      /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
      "a root id (r-...) or OU ids (ou-...)",
    );
    const excludedAccounts = requireAll(
      "excludedAccounts",
      props.excludedAccounts ?? [],
      ACCOUNT_ID,
      "12-digit account ids",
    );
    if (excludedAccounts.length > 1000) throw new Error("excludedAccounts holds at most 1,000 accounts");
    const memberAccountIds = requireAll(
      "memberAccountIds",
      props.memberAccountIds ?? [],
      ACCOUNT_ID,
      "12-digit account ids",
    );
    const ruleRegions = props.ruleRegions
      ? requireAll(
          "ruleRegions",
          props.ruleRegions,
          /^[a-z]{2}(-[a-z]+)+-\d$/,
          "Region names such as eu-west-1",
        )
      : [Aws.REGION];
    const ruleName = requireRuleName(props.ruleName ?? DEFAULT_RULE_NAME);
    const frequency = requireFrequency(props.maximumExecutionFrequency);
    const packName = requirePackName(
      "conformancePackName",
      props.conformancePackName ?? "ecs-in-use-pid-mode",
    );

    this.ruleFunction = new EcsPidModeRuleFunction(this, "EcsPidModeRule", {
      ...props,
      alarmTopic: importedTopic(this, props.alarmTopicArn) ?? props.alarmTopic,
      memberRoleName: executionRoleName,
      functionRoleName: `${FUNCTION_ROLE_PREFIX}${Aws.REGION}`,
    });
    const fn = this.ruleFunction.function;

    // AWS Config in the member accounts invokes the function in this account.
    const configService = new ServicePrincipal("config.amazonaws.com");
    const permissionIds: string[] = [];
    if (memberAccountIds.length === 0) {
      permissionIds.push("ConfigInvokesFromMemberAccounts");
      fn.addPermission("ConfigInvokesFromMemberAccounts", { principal: configService });
    } else {
      for (const accountId of new Set([Aws.ACCOUNT_ID, ...memberAccountIds])) {
        const permissionId = `ConfigInvokesFrom${accountId === Aws.ACCOUNT_ID ? "RuleAccount" : accountId}`;
        permissionIds.push(permissionId);
        fn.addPermission(permissionId, { principal: configService, sourceAccount: accountId });
      }
    }

    this.conformancePack = new CfnOrganizationConformancePack(this, "Pack", {
      organizationConformancePackName: packName,
      templateBody: conformancePackYaml({
        ruleName,
        resourceTypes: scopeResourceTypes(props.evaluateServices ?? true),
        frequency,
      }),
      conformancePackInputParameters: [
        { parameterName: FUNCTION_ARN_PARAMETER, parameterValue: fn.functionArn },
        { parameterName: EXECUTION_ROLE_PARAMETER, parameterValue: executionRoleName },
      ],
      excludedAccounts: excludedAccounts.length > 0 ? [...excludedAccounts] : undefined,
    });
    // Config checks that it may invoke the function when it creates the rule in each account.
    for (const permissionId of permissionIds) {
      this.conformancePack.node.addDependency(fn.permissionsNode.findChild(permissionId));
    }

    if (props.deployMemberRoles ?? true) {
      const trustedRoleArns = ruleRegions.map(
        (region) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${FUNCTION_ROLE_PREFIX}${region}`,
      );
      this.memberRoles = new CfnStackSet(this, "MemberRoles", {
        stackSetName: `${packName}-member-role`,
        description: "The role the ECS in-use pidMode rule function assumes in each member account",
        permissionModel: "SERVICE_MANAGED",
        callAs: props.stackSetCallAs ?? "SELF",
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        managedExecution: { Active: true },
        capabilities: ["CAPABILITY_NAMED_IAM"],
        operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25 },
        // IAM is global: one Region (this stack's) creates the role for all Regions.
        stackInstancesGroup: [
          {
            deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
            regions: [Aws.REGION],
          },
        ],
        parameters: [
          { parameterKey: "ExecutionRoleName", parameterValue: executionRoleName },
          { parameterKey: "RuleAccountId", parameterValue: Aws.ACCOUNT_ID },
          { parameterKey: "TrustedFunctionRoleArns", parameterValue: joinRoleArns(trustedRoleArns) },
        ],
        templateBody: memberRoleTemplateBody(),
      });
      // Roles first: a rule that reaches an account before its role fails until the role is there.
      this.conformancePack.node.addDependency(this.memberRoles);
    }
  }
}
