// The public surface of the rule, for the command line (cli/), the benchmark (bench/) and the simulated account
// (sim/): build the rule as the function does and run it on an event, read what runs in an account as the rule
// reads it, and the errors and utilities those take or throw. The pure core has its own surface
// (lambda/core/index.ts), and so has the remediation (lambda/remediation/index.ts). Everything else in lambda/ is
// internal. The entry point, lambda/handler.ts, is not exported: importing it builds the function's logger and
// metrics.

export { type HttpTimeouts, httpTimeouts } from "./adapters/sdkClientOptions";
export {
  EcsPidModeError,
  IncompleteEvaluationError,
  MissingPermissionError,
  ProductionRuleError,
  RefusedReplacementError,
} from "./errors";
export { parseRuleEvent } from "./event";
export {
  type InUseProgress,
  type InUseState,
  inUseReaders,
  readInUseState,
} from "./inUseReading";
export { DEFAULT_RESERVE_MS, type PidModeRule } from "./rule/pidModeRule";
export { failureOf, type InvocationReport } from "./rule/writeAndReport";
export { type Clock, systemClock } from "./util/clock";
export { forEachConcurrently } from "./util/concurrency";
export { errorText } from "./util/errorText";
export { everyPage } from "./util/paging";
export { type BucketRate, sharedRate } from "./util/tokenBucket";
export { type ClientFactory, createRule, ruleSettings, sdkClients } from "./wiring";
