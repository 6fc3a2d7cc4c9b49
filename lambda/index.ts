// The public surface of lambda/: what the command line (cli/), the benchmark (bench/) and the simulated
// account (sim/) may use, sorted by module: adapters (ECS reads paced by ECS's token buckets), the pure
// core, errors, the event parser, remediation, the rule, utilities with no AWS in them, and the wiring.
// Everything else in lambda/ is internal. The entry point, lambda/handler.ts, is not exported: importing
// it builds the function's logger and metrics.

export { EcsDaemonReader } from "./adapters/daemonReader";
export { EcsCaller } from "./adapters/ecsCalls";
export { ecsLimiters } from "./adapters/ecsReadBuckets";
export { EcsInUseReader } from "./adapters/inUseReader";
export { EcsRevisionDescriber, RevisionFactsCache } from "./adapters/revisionDescriber";
export { type HttpTimeouts, httpTimeouts } from "./adapters/sdkClientOptions";
export { judgeCluster, judgeTaskDefinition, type VerdictInputs } from "./core/evaluate";
export {
  type ApprovedException,
  DEFAULT_MAX_EXCEPTION_DAYS,
  daysLeft,
  EXPIRY_WARNING_DAYS,
  type ExceptionList,
  type ExceptionReview,
  exceptionLabel,
  exceptionTarget,
  expiredWarning,
  isExpired,
  matchException,
  NO_EXCEPTIONS,
  type ReviewOptions,
  reviewExceptions,
  reviewWarnings,
} from "./core/exceptions";
export {
  ACCOUNT_ID_PATTERN,
  CLUSTER_TYPE,
  MessageType,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
  SERVICE_TYPE,
  TASK_DEFINITION_TYPE,
} from "./core/identifiers";
export { sharesHostPid } from "./core/judge";
export {
  DEFAULT_ECS_RATE_SHARE,
  DEFAULT_VIEW_CACHE_SECONDS,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from "./core/ruleDefaults";
export { nameFromArn } from "./core/taskDefinitionRef";
export type { ComplianceType, InUseRevision } from "./core/types";
export {
  EcsPidModeError,
  IncompleteEvaluationError,
  MissingPermissionError,
  ProductionRuleError,
  RefusedReplacementError,
} from "./errors";
export { parseRuleEvent } from "./event";
export { type InUseProgress, type InUseState, readInUseState } from "./inUseReading";
export { describeExposure } from "./remediation/core/exposure";
export {
  EMPTY_JOURNAL,
  type Journal,
  parseJournal,
  pendingMoves,
} from "./remediation/core/journal";
export {
  DEFAULT_PRODUCTION_RULES,
  type Production,
  type ProductionRule,
  parseProductionRule,
} from "./remediation/core/production";
export type { Replacement } from "./remediation/core/replacement";
export { describeChoice } from "./remediation/core/replacementChoice";
export { targetLabel, type Wave, type WorkItem } from "./remediation/core/waves";
export type { JournalStore } from "./remediation/ports";
export {
  type ApplyResult,
  applyBatch,
  describeManualStep,
} from "./remediation/useCases/apply";
export { planRegion, type RegionPlan } from "./remediation/useCases/plan";
export {
  familyVerdicts,
  REMEDIATION_RATE_SHARE,
} from "./remediation/useCases/verdicts";
export { type RemediationClients, remediationPorts } from "./remediation/wiring";
export { DEFAULT_RESERVE_MS, type PidModeRule } from "./rule/pidModeRule";
export type { ReadProgress } from "./rule/ports";
export { failureOf, type InvocationReport } from "./rule/writeAndReport";
export { type Clock, systemClock } from "./util/clock";
export { forEachConcurrently } from "./util/concurrency";
export { errorText } from "./util/errorText";
export { everyPage } from "./util/paging";
export { type BucketRate, sharedRate } from "./util/tokenBucket";
export { type ClientFactory, createRule, ruleSettings, sdkClients } from "./wiring";
