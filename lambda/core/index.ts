// The public surface of the pure core: facts in, verdicts out, and the names and defaults the deployment
// shares with the function. infra/ (whose synth must not load the SDK), cli/ and bench/ import the core
// through this file only; nothing here imports an SDK or a Node.js module.

export {
  type ApprovedException,
  DEFAULT_MAX_EXCEPTION_DAYS,
  daysLeft,
  EXPIRY_WARNING_DAYS,
  type ExceptionEntry,
  type ExceptionList,
  type ExceptionReview,
  exceptionLabel,
  exceptionTarget,
  expiredWarning,
  expiringSoon,
  expiringSoonWarning,
  invalidEntryLines,
  isExpired,
  matchException,
  NO_EXCEPTIONS,
  type ReviewOptions,
  reviewExceptions,
  reviewWarnings,
} from "./approvedExceptions";
export {
  ACCOUNT_DIMENSION,
  FREQUENCY_SECONDS,
  QUIET_ACCOUNTS_METRIC,
  QUIET_AFTER_FREQUENCIES,
  SWEEP_HEARTBEAT_METRIC,
  SYNC_SERVICE_NAME,
} from "./heartbeat";
export {
  ACCOUNT_ID_PATTERN,
  CLUSTER_TYPE,
  FAMILY_SHAPE,
  MessageType,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
  SERVICE_TYPE,
  TASK_DEFINITION_TYPE,
} from "./identifiers";
export type { InUseRevision } from "./inUseView";
export { configInvokePolicy, MAX_INVOKE_POLICY_ACCOUNTS } from "./invokePolicy";
export { judgeCluster, judgeTaskDefinition, type VerdictInputs } from "./judgeResources";
export { sharesHostPid } from "./judgeRevisions";
export {
  DEFAULT_ECS_RATE_SHARE,
  DEFAULT_VIEW_CACHE_SECONDS,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from "./ruleDefaults";
export { type JudgedScope, scopeParameters, scopeTypes } from "./scope";
export { type DefinitionKind, nameFromArn } from "./taskDefinitionRef";
export type { ComplianceType } from "./verdicts";
