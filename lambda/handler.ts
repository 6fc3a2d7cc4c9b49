import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { DEFAULT_MAX_EXCEPTION_DAYS, exceptionTarget } from "./core/approvedExceptions";
import { ACCOUNT_DIMENSION, SWEEP_HEARTBEAT_METRIC } from "./core/heartbeat";
import {
  DEFAULT_ECS_RATE_SHARE,
  DEFAULT_VIEW_CACHE_SECONDS,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from "./core/ruleDefaults";
import { IncompleteEvaluationError, InvalidSettingError } from "./errors";
import { parseRuleEvent } from "./event";
import type { PidModeRule } from "./rule/pidModeRule";
import { failureOf, type InvocationReport } from "./rule/writeAndReport";
import { systemClock } from "./util/clock";
import { createRule, ruleSettings } from "./wiring";

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
});

/** Built on the first event and kept for the container's life: clients, caches, token buckets. */
let rule: PidModeRule | undefined;

function positiveNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!(value > 0))
    throw new InvalidSettingError(
      `environment variable ${name} must be a positive number, got ${JSON.stringify(text)}`,
    );
  return value;
}

function wholeNumber(name: string, fallback: number): number {
  const value = positiveNumber(name, fallback);
  if (!Number.isInteger(value))
    throw new InvalidSettingError(`environment variable ${name} must be a whole number, got ${value}`);
  return value;
}

function flag(name: string): boolean {
  const text = process.env[name];
  if (text === undefined || text === "" || text === "false") return false;
  if (text === "true") return true;
  throw new InvalidSettingError(
    `environment variable ${name} must be true or false, got ${JSON.stringify(text)}`,
  );
}

function ruleFor(context: Context): PidModeRule {
  if (rule === undefined) {
    // arn:aws:lambda:us-east-1:111111111111:function:name
    const [, partition, , , ownAccountId] = context.invokedFunctionArn.split(":");
    rule = createRule(
      ruleSettings(
        { ownAccountId: ownAccountId ?? "", clock: systemClock },
        {
          partition: partition ?? "aws",
          exceptionsParameterName: process.env.EXCEPTIONS_PARAMETER_NAME || undefined,
          exceptionsSha256: process.env.EXCEPTIONS_SHA256 || undefined,
          maxExceptionDays: wholeNumber("MAX_EXCEPTION_DAYS", DEFAULT_MAX_EXCEPTION_DAYS),
          organizationExceptions: flag("EXCEPTIONS_ORGANIZATION_MODE"),
          ecsRateShare: positiveNumber("ECS_RATE_SHARE", DEFAULT_ECS_RATE_SHARE),
          viewCacheMs: positiveNumber("VIEW_CACHE_SECONDS", DEFAULT_VIEW_CACHE_SECONDS) * 1000,
        },
      ),
    );
  }
  return rule;
}

/** Metrics and warnings of one invocation, whether it finished or stopped with part of the account unread. */
function logAndMeasure(report: InvocationReport): void {
  metrics.addMetric("EvaluationsWritten", MetricUnit.Count, report.evaluationsWritten);
  metrics.addMetric("ExceptionsExpiringSoon", MetricUnit.Count, report.expiringSoon.length);
  metrics.addMetric("InvalidExceptions", MetricUnit.Count, report.invalidExceptions.length);
  const unverifiable = report.unverifiableExceptions;
  metrics.addMetric("ExceptionsTampered", MetricUnit.Count, unverifiable?.problem === "tampered" ? 1 : 0);
  metrics.addMetric("ExceptionsUnreadable", MetricUnit.Count, unverifiable?.problem === "unreadable" ? 1 : 0);
  if (unverifiable !== undefined) {
    logger.error("the exceptions list cannot be verified: no exception was applied", { ...unverifiable });
  }
  metrics.addMetric("UnjudgedServices", MetricUnit.Count, report.unjudgedServiceIds.length);
  if (report.unjudgedServiceIds.length > 0) {
    logger.warn("service verdicts whose ids name no cluster (old-format ARNs) cannot be judged", {
      serviceIds: report.unjudgedServiceIds.slice(0, 50),
    });
  }
  if (report.unrecognisedArns.length > 0) {
    logger.warn("RUNNING tasks reference task definition ARNs of no known kind", {
      taskDefinitionArns: report.unrecognisedArns.slice(0, 50),
    });
  }
  for (const exception of report.expiringSoon) {
    logger.warn("exception expires soon", {
      target: exceptionTarget(exception),
      owner: exception.owner,
      expires: exception.expires,
    });
  }
  for (const invalid of report.invalidExceptions) {
    logger.error("invalid exception ignored", { index: invalid.index, problems: invalid.problems });
  }
}

/**
 * The account's sweep completed: one point of a per-account metric, so an account whose sweeps stop (role
 * removed, recorder off, Lambda refusing its Config) can be noticed by its silence.
 */
function emitHeartbeat(accountId: string): void {
  const heartbeat = metrics.singleMetric();
  heartbeat.addDimension(ACCOUNT_DIMENSION, accountId);
  heartbeat.addMetric(SWEEP_HEARTBEAT_METRIC, MetricUnit.Count, 1);
}

/** AWS Config invokes this asynchronously: a thrown error makes Lambda retry and the error alarm fire. */
export const handler = async (event: unknown, context: Context): Promise<InvocationReport> => {
  const invocation = parseRuleEvent(event);
  logger.appendKeys({ accountId: invocation.accountId, trigger: invocation.trigger.kind });
  try {
    const report = await ruleFor(context).handle(invocation, () => context.getRemainingTimeInMillis());
    logAndMeasure(report);
    const failure = failureOf(report);
    const incomplete = failure instanceof IncompleteEvaluationError;
    metrics.addMetric("IncompleteEvaluations", MetricUnit.Count, incomplete ? 1 : 0);
    if (incomplete) {
      logger.error("part of the account could not be read", { unreadParts: report.unreadParts.slice(0, 50) });
    }
    if (failure !== undefined) throw failure;
    if (invocation.trigger.kind === "scheduled") emitHeartbeat(invocation.accountId);
    logger.info("evaluated", { written: report.evaluationsWritten, unchanged: report.unchanged });
    return report;
  } finally {
    metrics.publishStoredMetrics();
  }
};
