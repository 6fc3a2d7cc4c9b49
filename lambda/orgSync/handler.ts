import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { httpTimeouts } from "../adapters/sdkClientOptions";
import { QUIET_ACCOUNTS_METRIC, SYNC_SERVICE_NAME } from "../core/heartbeat";
import { ACCOUNT_ID_PATTERN } from "../core/identifiers";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../core/ruleDefaults";
import { InvalidSettingError } from "../errors";
import { systemClock } from "../util/clock";
import { OrganizationSync, type SyncReport } from "./sync";

// The organization-sync function's entry point: reads its settings, wires the clients, runs one sync, logs
// and measures. Scheduled, and on AWS Organizations' account events.

const logger = new Logger({ serviceName: SYNC_SERVICE_NAME });
const metrics = new Metrics({
  namespace: process.env.RULE_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: SYNC_SERVICE_NAME,
});

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "")
    throw new InvalidSettingError(`environment variable ${name} must be set`);
  return value;
}

/** Settings come from the stack; checked all the same, each refusal naming the variable. */
function settingsFromEnvironment() {
  const excluded = (process.env.EXCLUDED_ACCOUNTS ?? "").split(",").filter((id) => id !== "");
  const bad = excluded.filter((id) => !ACCOUNT_ID_PATTERN.test(id));
  if (bad.length > 0) {
    throw new InvalidSettingError(
      `environment variable EXCLUDED_ACCOUNTS holds ids that are not 12 digits: ${bad.join(", ")}`,
    );
  }
  const frequencySeconds = Number(required("RULE_FREQUENCY_SECONDS"));
  if (!Number.isInteger(frequencySeconds) || frequencySeconds < 3_600) {
    throw new InvalidSettingError(
      `environment variable RULE_FREQUENCY_SECONDS must be a whole number of seconds of at least 3600, got ${process.env.RULE_FREQUENCY_SECONDS}`,
    );
  }
  return {
    functionArn: required("RULE_FUNCTION_ARN"),
    excludedAccounts: excluded,
    frequencySeconds,
    metricsNamespace: process.env.RULE_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: process.env.RULE_SERVICE_NAME ?? SERVICE_NAME,
  };
}

let sync: OrganizationSync | undefined;

function syncer(): OrganizationSync {
  if (sync === undefined) {
    const common = { requestHandler: httpTimeouts() };
    sync = new OrganizationSync(settingsFromEnvironment(), {
      // Organizations answers from one Region (us-east-1 in the commercial partition); the SDK's endpoint
      // rules route the call there whatever the function's Region.
      organizations: new OrganizationsClient(common),
      lambda: new LambdaClient(common),
      cloudWatch: new CloudWatchClient(common),
      clock: systemClock,
    });
  }
  return sync;
}

/** A thrown error makes Lambda retry (asynchronous invocations) and the errors alarm fire. */
export const handler = async (): Promise<SyncReport> => {
  try {
    const report = await syncer().run();
    metrics.addMetric(QUIET_ACCOUNTS_METRIC, MetricUnit.Count, report.quiet.length);
    metrics.addMetric("AdmittedAccounts", MetricUnit.Count, report.admitted.length);
    metrics.addMetric("InvokePolicyBytes", MetricUnit.Bytes, report.policyBytes);
    if (report.written) {
      logger.info("invoke policy rewritten", {
        added: report.added,
        removed: report.removed,
        bytes: report.policyBytes,
      });
    }
    if (report.quiet.length > 0) {
      logger.warn("accounts without a completed sweep in twice the rule's frequency", {
        count: report.quiet.length,
        accounts: report.quiet.slice(0, 200),
      });
    }
    return report;
  } finally {
    metrics.publishStoredMetrics();
  }
};
