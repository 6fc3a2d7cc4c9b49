import { Stack } from "aws-cdk-lib";
import {
  CfnConformancePack,
  CustomRule,
  type MaximumExecutionFrequency,
  RuleScope,
} from "aws-cdk-lib/aws-config";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { EcsPidModeRemediation, type EcsPidModeRemediationProps } from "./ecsPidModeRemediation";
import {
  conformancePackYaml,
  DEFAULT_RULE_NAME,
  FUNCTION_ARN_PARAMETER,
  REMEDIATION_DOCUMENT_PARAMETER,
  REMEDIATION_ROLE_PARAMETER,
  RULE_DESCRIPTION,
  requireFrequency,
  scopeResourceTypes,
  scopeRuleParameters,
} from "./ruleDefinition";
import { EcsPidModeRuleFunction, type EcsPidModeRuleFunctionProps } from "./ruleFunction";
import { requirePackName, requireRuleName } from "./validation";

export type RemediationOptions = Omit<
  EcsPidModeRemediationProps,
  | "ruleName"
  | "exceptionsParameter"
  | "exceptionsVerification"
  | "createRemediationConfiguration"
  | "alarmTopic"
>;

export type RuleDeployment = "rule" | "conformancePack" | "function";

export interface EcsPidModeRuleProps
  extends Omit<EcsPidModeRuleFunctionProps, "memberRoleName" | "functionRoleName"> {
  /**
   * A standalone Config rule, the same rule inside an account-level `AWS::Config::ConformancePack`, or only
   * the function (with Config's permission to invoke it) for a pack deployed with the CLI or console from
   * `npm run build:pack`: two rules on one function would write, and bill, every verdict twice.
   * @default "rule"
   */
  readonly deployAs?: RuleDeployment;
  /**
   * The Config rule's name.
   * @default "ecs-in-use-task-definition-pid-mode-check"
   */
  readonly ruleName?: string;
  /**
   * How often the periodic sweep runs (the rule is also change-triggered).
   * @default MaximumExecutionFrequency.SIX_HOURS
   */
  readonly maximumExecutionFrequency?: MaximumExecutionFrequency;
  /**
   * Whether the rule's scope includes `AWS::ECS::Service` as well as
   * `AWS::ECS::TaskDefinition` (and `AWS::ECS::Cluster`, judged on its daemons), so that a service moving to
   * another revision triggers an evaluation at once. The rule's parameters tell the function the same scope.
   * @default true
   */
  readonly evaluateServices?: boolean;
  /**
   * The conformance pack's name, when `deployAs` is `conformancePack`.
   * @default "ecs-in-use-pid-mode"
   */
  readonly conformancePackName?: string;
  /**
   * The Config console's remediation (a runbook and its function that registers revisions, passes the roles
   * in `passRoles` and updates services), manual unless `automatic`. Off unless given: it can change what runs.
   * With `deployAs: "function"` the runbook is deployed and a hand-deployed pack is given its name and role.
   * @default - no remediation
   */
  readonly remediation?: RemediationOptions | false;
}

export const DEFAULT_CONFORMANCE_PACK_NAME = "ecs-in-use-pid-mode";

/**
 * Rules that conformance packs create are named `<ruleName>-conformance-pack-<9 random characters>` in the
 * accounts (27 characters more, seen in the field; AWS does not document the suffix): within the API's 128,
 * a pack's rule name may have at most 101.
 */
export const RULE_NAME_IN_PACK_MAX = 128 - "-conformance-pack-".length - 9;

/** Account conformance pack names: at most 256 characters (PutConformancePack). */
const ACCOUNT_PACK_NAME_MAX = 256;

/**
 * The ECS in-use pidMode rule in one account and Region: its function, and the Config rule that invokes it,
 * standalone or inside a conformance pack.
 */
export class EcsPidModeRule extends Construct {
  readonly ruleFunction: EcsPidModeRuleFunction;
  readonly rule: CustomRule | undefined;
  readonly conformancePack: CfnConformancePack | undefined;
  readonly remediation: EcsPidModeRemediation | undefined;

  constructor(scope: Construct, id: string, props: EcsPidModeRuleProps = {}) {
    super(scope, id);
    const deployAs = props.deployAs ?? "rule";
    if (deployAs !== "rule" && deployAs !== "conformancePack" && deployAs !== "function") {
      throw new Error(`deployAs must be "rule", "conformancePack" or "function", got "${String(deployAs)}"`);
    }
    // A pack deployed by hand from `build:pack` carries the same rule name: only the standalone rule has 128.
    const ruleName = requireRuleName(
      props.ruleName ?? DEFAULT_RULE_NAME,
      deployAs === "rule" ? 128 : RULE_NAME_IN_PACK_MAX,
    );
    const frequency = requireFrequency(props.maximumExecutionFrequency);
    const resourceTypes = scopeResourceTypes(props.evaluateServices ?? true);
    const packName = requirePackName(
      "conformancePackName",
      props.conformancePackName ?? DEFAULT_CONFORMANCE_PACK_NAME,
      ACCOUNT_PACK_NAME_MAX,
    );
    this.ruleFunction = new EcsPidModeRuleFunction(this, "Function", props);
    const fn = this.ruleFunction.function;
    this.remediation =
      props.remediation === false || props.remediation === undefined
        ? undefined
        : new EcsPidModeRemediation(this, "Remediation", {
            ...props.remediation,
            ruleName,
            ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
            exceptionsParameter: this.ruleFunction.exceptionsParameter,
            exceptionsVerification: this.ruleFunction.exceptionsEnvironment,
            // In a pack the RemediationConfiguration is one of the pack's resources.
            createRemediationConfiguration: deployAs === "rule",
          });

    if (deployAs === "rule") {
      this.rule = new CustomRule(this, "Rule", {
        configRuleName: ruleName,
        description: RULE_DESCRIPTION,
        lambdaFunction: fn,
        configurationChanges: true,
        periodic: true,
        maximumExecutionFrequency: frequency,
        ruleScope: RuleScope.fromResources(resourceTypes),
        inputParameters: scopeRuleParameters(resourceTypes),
      });
      this.remediation?.remediationConfiguration?.node.addDependency(this.rule);
      return;
    }
    // Config checks that it may invoke the function when it creates the pack's rule.
    fn.addPermission("ConfigInvokesFromPack", {
      principal: new ServicePrincipal("config.amazonaws.com"),
      sourceAccount: Stack.of(this).account,
    });
    if (deployAs === "function") return;
    this.conformancePack = new CfnConformancePack(this, "Pack", {
      conformancePackName: packName,
      templateBody: conformancePackYaml({
        ruleName,
        resourceTypes,
        frequency,
        ...(this.remediation ? { remediation: this.remediation.packRemediation } : {}),
      }),
      conformancePackInputParameters: [
        { parameterName: FUNCTION_ARN_PARAMETER, parameterValue: fn.functionArn },
        ...(this.remediation
          ? [
              {
                parameterName: REMEDIATION_DOCUMENT_PARAMETER,
                parameterValue: this.remediation.document.ref,
              },
              {
                parameterName: REMEDIATION_ROLE_PARAMETER,
                parameterValue: this.remediation.automationRole.roleArn,
              },
            ]
          : []),
      ],
    });
    this.conformancePack.node.addDependency(fn.permissionsNode.findChild("ConfigInvokesFromPack"));
  }
}
