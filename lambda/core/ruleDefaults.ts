// What the rule is when nobody sets anything: the function's defaults and its names in logs and metrics.
// The handler, the CDK construct, the demo, the benchmark and the tests all start from these.

/** The `service` of the function's logs and metrics (`POWERTOOLS_SERVICE_NAME`). */
export const SERVICE_NAME = "ecs-pid-mode-rule";

/** The CloudWatch namespace of the function's metrics (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = "EcsPidModeRule";

/** Share (0, 1] of each ECS read token bucket the rule may use, leaving the rest to the owner's tooling (`ECS_RATE_SHARE`). */
export const DEFAULT_ECS_RATE_SHARE = 0.5;

/** How long a warm container reuses one account-wide view of RUNNING tasks for change notifications (`VIEW_CACHE_SECONDS`). */
export const DEFAULT_VIEW_CACHE_SECONDS = 60;

/**
 * How long a sweep that ran out of time keeps the clusters it read to the end, so Lambda's retries of the
 * same event continue it: an attempt and its two retries (15 minutes each, retried after 1 and 2 minutes)
 * span 33 minutes. Older reads are read again. A reused read is never older than this, far less than the
 * time between two periodic sweeps.
 */
export const RESUME_MAX_AGE_MS = 35 * 60_000;

/**
 * An organization-wide container can be handed events of every member account. Each account's ports hold
 * SDK clients with their sockets and the last account-wide view (a few MB on a 50,000-task account), so
 * only the 32 most recently used stay: enough for a burst that interleaves accounts, small beside the
 * function's memory.
 */
export const DEFAULT_MAX_ACCOUNTS = 32;
