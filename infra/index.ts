export { AccountStack, type AccountStackProps } from "./accountStack";
export {
  checkExceptions,
  type ExceptionEntry,
  InvalidExceptionsError,
  parameterTierFor,
} from "./approvedExceptions";
export {
  EcsPidModeAspect,
  type EcsPidModeAspectProps,
  EXCEPTION_METADATA_KEY,
} from "./aspects/ecsPidModeAspect";
export {
  ECS_DAEMON_PID_MODE_GUARD_RULE_NAME,
  ECS_PID_MODE_GUARD_RULE_FILE,
  ECS_PID_MODE_GUARD_RULE_NAME,
} from "./aspects/guardRule";
export {
  RULE_ARCHITECTURE,
  RULE_ENTRY,
  RULE_HANDLER,
  RULE_RUNTIME,
  ruleBundling,
  ruleEsbuildOptions,
} from "./bundling";
export {
  EcsPidModeRemediation,
  type EcsPidModeRemediationProps,
  REMEDIATION_ENTRY,
} from "./ecsPidModeRemediation";
export {
  EcsPidModeRule,
  type EcsPidModeRuleProps,
  type RemediationOptions,
  type RuleDeployment,
} from "./ecsPidModeRule";
export { DEFAULT_EXECUTION_ROLE_NAME, MemberRoleStack, memberRoleTemplateBody } from "./memberRoleStack";
export {
  MEMBER_FUNCTION_NAME,
  MemberRuleStack,
  type MemberRuleStackProps,
  memberRuleTemplateBody,
} from "./memberRuleStack";
export {
  OrganizationPerAccountStack,
  type OrganizationPerAccountStackProps,
} from "./organizationPerAccountStack";
export { OrganizationStack, type OrganizationStackProps, reservedConcurrencyFor } from "./organizationStack";
export { OrganizationSyncFunction, type OrganizationSyncFunctionProps } from "./organizationSync";
export {
  conformancePackTemplate,
  conformancePackYaml,
  DEFAULT_FREQUENCY,
  DEFAULT_RULE_NAME,
} from "./ruleDefinition";
export { EcsPidModeRuleFunction, type EcsPidModeRuleFunctionProps } from "./ruleFunction";
