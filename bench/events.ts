import { readFileSync } from "node:fs";
import { join } from "node:path";
import { arnOf, type SimAccount } from "../sim/account";

/** The Config events the benchmark sends are the test fixtures (shaped like what AWS sends), re-addressed. */
const FIXTURES = join(__dirname, "..", "test", "fixtures", "config");

type RuleEvent = Record<string, unknown> & { invokingEvent: string };

function fixture(name: string): RuleEvent {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as RuleEvent;
}

const scheduledTemplate = fixture("scheduled.json");
const changeTemplate = fixture("task-definition-change.json");

export function scheduledEvent(account: SimAccount, at: number): RuleEvent {
  const invoking = JSON.parse(scheduledTemplate.invokingEvent) as Record<string, unknown>;
  invoking.awsAccountId = account.accountId;
  invoking.notificationCreationTime = new Date(at).toISOString();
  return { ...scheduledTemplate, accountId: account.accountId, invokingEvent: JSON.stringify(invoking) };
}

/**
 * The change notification Config sends for a recorded task definition family (latest ACTIVE revision), at
 * `at`, for the item it captured at `capturedAt` (earlier when it re-sends recorded items).
 */
export function taskDefinitionChangeEvent(
  account: SimAccount,
  latest: { family: string; revision: number; pidMode?: string },
  at: number,
  capturedAt = at,
): RuleEvent {
  const invoking = JSON.parse(changeTemplate.invokingEvent) as {
    configurationItem: Record<string, unknown> & { configuration: Record<string, unknown> };
    notificationCreationTime: string;
  };
  const name = `${latest.family}:${latest.revision}`;
  const arn = arnOf(account, "task-definition", name);
  const item = invoking.configurationItem;
  const { PidMode: _templatePidMode, ...configuration } = item.configuration;
  item.configuration = {
    ...configuration,
    TaskDefinitionArn: arn,
    Family: latest.family,
    ...(latest.pidMode ? { PidMode: latest.pidMode } : {}),
    Tags: [],
  };
  Object.assign(item, {
    configurationItemStatus: "ResourceDiscovered",
    configurationItemCaptureTime: new Date(capturedAt).toISOString(),
    awsAccountId: account.accountId,
    awsRegion: account.region,
    resourceId: latest.family,
    resourceName: name,
    ARN: arn,
    tags: {},
  });
  invoking.notificationCreationTime = new Date(at).toISOString();
  return { ...changeTemplate, accountId: account.accountId, invokingEvent: JSON.stringify(invoking) };
}

const serviceTemplate = fixture("service-change.json");

/** The change notification Config sends for a service (its item as Config records it). */
export function serviceChangeEvent(
  account: SimAccount,
  service: { cluster: string; name: string; taskDefinition: string; desiredCount: number },
  at: number,
): RuleEvent {
  const invoking = JSON.parse(serviceTemplate.invokingEvent) as {
    configurationItem: Record<string, unknown> & { configuration: Record<string, unknown> };
    notificationCreationTime: string;
  };
  const arn = arnOf(account, "service", `${service.cluster}/${service.name}`);
  const item = invoking.configurationItem;
  item.configuration = {
    ...item.configuration,
    ServiceArn: arn,
    ServiceName: service.name,
    Cluster: arnOf(account, "cluster", service.cluster),
    TaskDefinition: arnOf(account, "task-definition", service.taskDefinition),
    DesiredCount: service.desiredCount,
  };
  Object.assign(item, {
    configurationItemCaptureTime: new Date(at).toISOString(),
    awsAccountId: account.accountId,
    awsRegion: account.region,
    resourceId: arn,
    resourceName: service.name,
    ARN: arn,
  });
  invoking.notificationCreationTime = new Date(at).toISOString();
  return { ...serviceTemplate, accountId: account.accountId, invokingEvent: JSON.stringify(invoking) };
}
