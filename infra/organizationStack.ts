import {
  Annotations,
  Aws,
  CfnOutput,
  CfnResource,
  CfnRule,
  Fn,
  Stack,
  type StackProps,
  Token,
} from "aws-cdk-lib";
import { CfnOrganizationConformancePack, type MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import type { CfnResourcePolicy, IFunction } from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import { ACCOUNT_ID_PATTERN, FREQUENCY_SECONDS, REGION_PATTERN } from "../lambda/core/index";
import { allowConfigToInvoke } from "./configInvokePermissions";
import { RULE_NAME_IN_PACK_MAX } from "./ecsPidModeRule";
import { DEFAULT_EXECUTION_ROLE_NAME } from "./memberRoleStack";
import { firstRegionCondition, MemberRoleStackSet, STACK_SET_NAME_SUFFIX } from "./memberRoleStackSet";
import { memberCoverage } from "./organizationCoverage";
import { OrganizationSyncFunction } from "./organizationSync";
import {
  conformancePackYaml,
  DEFAULT_RULE_NAME,
  EXECUTION_ROLE_PARAMETER,
  FUNCTION_ARN_PARAMETER,
  requireFrequency,
  scopeResourceTypes,
} from "./ruleDefinition";
import { EcsPidModeRuleFunction, type EcsPidModeRuleFunctionProps, importedTopic } from "./ruleFunction";
import { requireAll, requireInteger, requirePackName, requireRoleName, requireRuleName } from "./validation";

export interface OrganizationStackProps
  extends StackProps,
    Omit<EcsPidModeRuleFunctionProps, "memberRoleName" | "functionRoleName" | "reservedConcurrency"> {
  /**
   * Which accounts the rollout covers, pack and member-role StackSet alike: the organization root (`r-...`)
   * alone, or OUs (`ou-...`) together with `excludedAccounts` listing every account outside them (an
   * organization conformance pack reaches every account but the excluded ones). Service-managed StackSets never
   * deploy to the management account.
   */
  readonly organizationalUnitIds: readonly string[];
  /**
   * Accounts neither the organization conformance pack nor the member-role StackSet reaches (at most 1,000).
   * @default - none (then `organizationalUnitIds` must be the root)
   */
  readonly excludedAccounts?: readonly string[];
  /**
   * Every account the pack reaches (the rule account may be among them): their AWS Config may invoke the
   * function, through one resource policy with a multi-valued `aws:SourceAccount` (at most 1,335 member
   * accounts besides the rule account, measured on the synthesized policy against Lambda's 20 KB). 12-digit
   * ids, none twice, none of `excludedAccounts`.
   */
  readonly memberAccountIds: readonly string[];
  /**
   * Keep the invoke policy equal to the organization's ACTIVE accounts (minus `excludedAccounts`) without a
   * redeploy: a small function, hourly, on AWS Organizations' account events and after each deployment, with
   * an alarm for its failures and one for accounts whose sweeps stopped. Off, the policy admits exactly
   * `memberAccountIds` and an account that joins is refused until the next deployment.
   * @default true
   */
  readonly syncMembersWithOrganization?: boolean;
  /**
   * The organization's management account, where service-managed StackSets never deploy the member role. Given
   * with `stackSetCallAs: "DELEGATED_ADMIN"`, synth refuses it unless `excludedAccounts` lists it (the function
   * in the delegated administrator could not reach it).
   * @default - unknown: synth warns instead
   */
  readonly managementAccountId?: string;
  /**
   * Every Region this stack is deployed to (one function each), the first one being where the member-role
   * StackSet is created. The template refuses to deploy in a Region not listed, and member roles trust the
   * function role of each listed Region.
   */
  readonly ruleRegions: readonly string[];
  /**
   * Reserved concurrency of the central function, which every member account's events share: it caps how
   * many copies read ECS at once and keeps the organization's events from taking the account's concurrency.
   * @default - sized from the account count and the frequency (`reservedConcurrencyFor`): 60 for 1,000
   * accounts swept every six hours, never below 5
   */
  readonly reservedConcurrency?: number;
  /**
   * The role the function assumes in each member account (the rule's `ExecutionRoleName` parameter).
   * @default "EcsPidModeRuleExecution"
   */
  readonly executionRoleName?: string;
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
  /**
   * The Config rule's name in the pack, at most 101 characters (Config appends a suffix in each account).
   * @default "ecs-in-use-task-definition-pid-mode-check"
   */
  readonly ruleName?: string;
  /**
   * How often the periodic sweep runs (the rule is also change-triggered).
   * @default MaximumExecutionFrequency.SIX_HOURS
   */
  readonly maximumExecutionFrequency?: MaximumExecutionFrequency;
  /**
   * Whether the rule's scope includes `AWS::ECS::Service` as well as `AWS::ECS::TaskDefinition`.
   * @default true
   */
  readonly evaluateServices?: boolean;
  /**
   * The organization conformance pack's name, at most 116 characters so that the StackSet named after it
   * (`<name>-member-role`) stays within 128.
   * @default "ecs-in-use-pid-mode"
   */
  readonly conformancePackName?: string;
}

const FUNCTION_ROLE_PREFIX = "EcsPidModeRuleFunction-";
/** Organization conformance pack and StackSet names are both at most 128 characters. */
export const ORGANIZATION_PACK_NAME_MAX = 128 - STACK_SET_NAME_SUFFIX.length;

/** The rule's name, its sweep frequency and the organization pack's name, checked, for either organization shape. */
export function organizationPack(props: {
  readonly ruleName?: string | undefined;
  readonly maximumExecutionFrequency?: MaximumExecutionFrequency | undefined;
  readonly conformancePackName?: string | undefined;
}): { ruleName: string; frequency: MaximumExecutionFrequency; packName: string } {
  return {
    ruleName: requireRuleName(props.ruleName ?? DEFAULT_RULE_NAME, RULE_NAME_IN_PACK_MAX),
    frequency: requireFrequency(props.maximumExecutionFrequency),
    packName: requirePackName(
      "conformancePackName",
      props.conformancePackName ?? "ecs-in-use-pid-mode",
      ORGANIZATION_PACK_NAME_MAX,
    ),
  };
}
/** The smallest reserved concurrency the organization stack sizes: one account's burst plus one sweep. */
export const MIN_ORGANIZATION_RESERVED_CONCURRENCY = 5;
/**
 * One sweep of the benchmark's large account (50,000 RUNNING tasks, 5,000 revisions in use) takes 584 s
 * (docs/performance.md), rounded up: the duration the sizing assumes for every account.
 */
export const SWEEP_SECONDS_SIZED = 600;
/** The benchmark drains one account's burst of change notifications with 4 warm containers. */
export const BURST_CONTAINERS = 4;

/**
 * Reserved concurrency for `accounts` accounts swept every `frequency`: the pack creates every account's rule
 * at about the same time, so their periodic sweeps arrive together; `2 × accounts × sweep / frequency` copies
 * drain them in half the period (Lambda queues the rest), and `BURST_CONTAINERS` more keep one account's burst
 * of change notifications from waiting behind them. Never below `MIN_ORGANIZATION_RESERVED_CONCURRENCY`.
 */
export function reservedConcurrencyFor(accounts: number, frequency: MaximumExecutionFrequency): number {
  const frequencySeconds = FREQUENCY_SECONDS[frequency];
  if (frequencySeconds === undefined) throw new Error(`no period known for frequency ${frequency}`);
  const sweeps = Math.ceil((2 * accounts * SWEEP_SECONDS_SIZED) / frequencySeconds);
  return Math.max(MIN_ORGANIZATION_RESERVED_CONCURRENCY, sweeps + BURST_CONTAINERS);
}

/**
 * For the management or delegated administrator account: the function once per Region, an organization
 * conformance pack whose rule invokes it in every covered member account, and (in the first listed Region) a
 * service-managed StackSet that gives the same accounts the role the function assumes there.
 */
export class OrganizationStack extends Stack {
  readonly ruleFunction: EcsPidModeRuleFunction;
  readonly conformancePack: CfnOrganizationConformancePack;
  readonly memberRoles: MemberRoleStackSet;
  /** The function's whole resource policy: which accounts' AWS Config may invoke it. */
  readonly invokePolicy: CfnResourcePolicy;
  /** The function that keeps the invoke policy in step with the organization, unless turned off. */
  readonly organizationSync?: OrganizationSyncFunction;

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
    const coverage = memberCoverage(props.organizationalUnitIds, props.excludedAccounts ?? []);
    const ruleRegions = this.requireRuleRegions(props.ruleRegions);
    const { ruleName, frequency, packName } = organizationPack(props);
    const reservedConcurrency = requireInteger(
      "reservedConcurrency",
      props.reservedConcurrency ?? reservedConcurrencyFor(props.memberAccountIds.length + 1, frequency),
      1,
    );
    const alarmTopic = importedTopic(this, props.alarmTopicArn) ?? props.alarmTopic;

    this.ruleFunction = new EcsPidModeRuleFunction(this, "EcsPidModeRule", {
      ...props,
      reservedConcurrency,
      alarmTopic,
      memberRoleName: executionRoleName,
      functionRoleName: `${FUNCTION_ROLE_PREFIX}${Aws.REGION}`,
    });
    const fn = this.ruleFunction.function;
    this.invokePolicy = allowConfigToInvoke(this, "ConfigInvokePolicy", fn, props);
    if (props.syncMembersWithOrganization ?? true) {
      this.organizationSync = new OrganizationSyncFunction(this, "OrganizationSync", {
        ruleFunction: fn,
        excludedAccounts: coverage.excludedAccounts,
        frequencySeconds: FREQUENCY_SECONDS[frequency] ?? 0,
        alarmTopic,
      });
    }

    this.memberRoles = new MemberRoleStackSet(this, "MemberRoles", {
      packName,
      executionRoleName,
      targets: coverage.stackSetTargets,
      trustedFunctionRoleArns: ruleRegions.map(
        (region) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${FUNCTION_ROLE_PREFIX}${region}`,
      ),
      callAs: props.stackSetCallAs ?? "SELF",
      condition: firstRegionCondition(this, ruleRegions),
      alarmTopic,
    });
    if (props.stackSetCallAs === "DELEGATED_ADMIN") this.requireManagementAccountReachable(props);

    this.conformancePack = this.createPack(props, fn, {
      ruleName,
      frequency,
      packName,
      executionRoleName,
      excludedAccounts: coverage.excludedAccounts,
    });
    this.addOutputs(fn.functionArn, ruleName, packName);
  }

  /** The organization's pack, created after the function, its permissions and (where they exist) the member roles. */
  private createPack(
    props: OrganizationStackProps,
    fn: IFunction,
    settings: ReturnType<typeof organizationPack> & {
      readonly executionRoleName: string;
      readonly excludedAccounts: readonly string[];
    },
  ): CfnOrganizationConformancePack {
    const { ruleName, frequency, packName, executionRoleName, excludedAccounts } = settings;
    const pack = new CfnOrganizationConformancePack(this, "Pack", {
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
    // Config checks its invoke permission when it creates the rule in each account, and the first events
    // should find the on-failure destination: the pack waits for the whole function, permissions and
    // async-invoke settings included (the function itself through the GetAtt of its ARN).
    for (const part of fn.node.findAll()) {
      if (CfnResource.isCfnResource(part) && part !== fn.node.defaultChild) pack.addResourceDependency(part);
    }
    pack.addResourceDependency(this.invokePolicy);
    // Roles first, where the StackSet exists: DependsOn takes no Fn::If, but a Ref in Metadata orders creation
    // the same way and may be conditional.
    pack.addMetadata(
      "MemberRolesFirst",
      Fn.conditionIf(this.memberRoles.condition.logicalId, this.memberRoles.stackSet.ref, ""),
    );
    return pack;
  }

  /**
   * From a delegated administrator the StackSet cannot give the management account the member role, so the
   * pack must not reach it (the function would fail every evaluation there at AssumeRole).
   */
  private requireManagementAccountReachable(props: OrganizationStackProps): void {
    const management = props.managementAccountId;
    if (management === undefined) {
      Annotations.of(this).addWarningV2(
        "ecs-pid-mode:managementAccountWithoutRole",
        "The pack reaches the management account, where service-managed StackSets never deploy: deploy " +
          "EcsPidModeRuleMemberRole there or list the management account in excludedAccounts.",
      );
      return;
    }
    requireAll("managementAccountId", [management], ACCOUNT_ID_PATTERN, "a 12-digit account id");
    if (!(props.excludedAccounts ?? []).includes(management)) {
      throw new Error(
        `managementAccountId ${management} is not in excludedAccounts: from a delegated administrator ` +
          "(stackSetCallAs DELEGATED_ADMIN) the service-managed StackSet never deploys the member role to the " +
          "management account, so the pack would reach an account the function cannot act in. Exclude it (or " +
          "deploy EcsPidModeRuleMemberRole there yourself and leave managementAccountId unset).",
      );
    }
  }

  private requireRuleRegions(regions: readonly string[] | undefined): readonly string[] {
    if (regions === undefined || regions.length === 0) {
      throw new Error(
        "ruleRegions must list every Region the organization stack is deployed to (the first one gets the member-role StackSet)",
      );
    }
    requireAll("ruleRegions", regions, REGION_PATTERN, "Region names such as eu-west-1");
    if (new Set(regions).size !== regions.length) throw new Error("ruleRegions lists a Region twice");
    if (!Token.isUnresolved(this.region) && !regions.includes(this.region)) {
      throw new Error(`ruleRegions (${regions.join(", ")}) does not list this stack's Region ${this.region}`);
    }
    // The same check for env-agnostic stacks, at deploy time: a function in a Region no member role trusts
    // would fail every evaluation.
    new CfnRule(this, "DeployedInARuleRegion", {
      assertions: [
        {
          assert: Fn.conditionContains([...regions], Aws.REGION),
          assertDescription: `Deploy this stack only in the Regions of ruleRegions: ${regions.join(", ")}`,
        },
      ],
    });
    return regions;
  }

  /** Outputs with fixed logical ids: made directly on the stack, their ids are their names. */
  private addOutputs(functionArn: string, ruleName: string, packName: string): void {
    new CfnOutput(this, "RuleFunctionArn", { description: "The central rule function", value: functionArn });
    new CfnOutput(this, "RuleName", {
      description:
        "The rule's name in the pack template; member accounts see it with a suffix Config appends",
      value: ruleName,
    });
    new CfnOutput(this, "ConformancePackName", {
      description:
        "The organization conformance pack; member accounts see it as OrgConformsPack-<name>-<suffix>",
      value: packName,
    });
    const stackSetName = new CfnOutput(this, "MemberRoleStackSetName", {
      description: "The StackSet that creates the member role (first Region of ruleRegions only)",
      value: this.memberRoles.stackSetName,
    });
    stackSetName.condition = this.memberRoles.condition;
  }
}
