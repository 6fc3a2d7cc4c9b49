// The Config rule event, checked field by field before anything is read or written.
import type { ChangedResource } from "./core/changePlan";
import { FieldProblems, isObject, type JsonObject, requiredString, requiredTimestamp } from "./core/fields";
import { ACCOUNT_ID_PATTERN, MessageType, ROLE_NAME_PATTERN } from "./core/identifiers";
import { InvalidEventError } from "./errors";

/** The configuration item of a change notification; its `configuration` is absent for deleted resources and oversized items. */
export type ChangedItem = ChangedResource;

export type Trigger =
  | { readonly kind: "change"; readonly item: ChangedItem; readonly notificationTime: Date | undefined }
  | { readonly kind: "oversized"; readonly item: ChangedItem; readonly notificationTime: Date | undefined }
  | { readonly kind: "scheduled"; readonly notificationTime: Date };

export interface RuleInvocation {
  readonly accountId: string;
  readonly configRuleName: string;
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  /** The role to assume in member accounts (organization deployments). */
  readonly executionRoleName: string | undefined;
  readonly trigger: Trigger;
}

function fail(problems: readonly string[]): never {
  throw new InvalidEventError(`invalid AWS Config rule event: ${problems.join("; ")}`);
}

function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail([`${field} is not JSON`]);
  }
}

function readItem(invoking: JsonObject, key: string, problems: FieldProblems): ChangedItem | undefined {
  const path = `invokingEvent.${key}`;
  const raw = invoking[key];
  if (!isObject(raw)) {
    problems.add(path, "is required");
    return undefined;
  }
  const resourceType = requiredString(raw, "resourceType", path, problems);
  const resourceId = requiredString(raw, "resourceId", path, problems);
  const status = requiredString(raw, "configurationItemStatus", path, problems);
  const captureTime = requiredTimestamp(raw, "configurationItemCaptureTime", path, problems);
  const configuration = raw.configuration;
  if (configuration !== undefined && configuration !== null && !isObject(configuration)) {
    problems.add(`${path}.configuration`, "must be an object");
  }
  if (!resourceType || !resourceId || !status || !captureTime) return undefined;
  return {
    resourceType,
    resourceId,
    status,
    captureTime,
    configuration: isObject(configuration) ? configuration : undefined,
  };
}

/** Documented for change notifications, but only a hint there (see `isResentItem`): absent is accepted. */
function optionalNotificationTime(invoking: JsonObject, problems: FieldProblems): Date | undefined {
  if (invoking.notificationCreationTime === undefined) return undefined;
  return requiredTimestamp(invoking, "notificationCreationTime", "invokingEvent", problems);
}

function readTrigger(invoking: unknown, problems: FieldProblems): Trigger | undefined {
  if (!isObject(invoking)) {
    problems.add("invokingEvent", "must be a JSON object");
    return undefined;
  }
  switch (invoking.messageType) {
    case MessageType.SCHEDULED: {
      const notificationTime = requiredTimestamp(
        invoking,
        "notificationCreationTime",
        "invokingEvent",
        problems,
      );
      return notificationTime && { kind: "scheduled", notificationTime };
    }
    case MessageType.OVERSIZED_CONFIGURATION_ITEM_CHANGE: {
      const item = readItem(invoking, "configurationItemSummary", problems);
      const notificationTime = optionalNotificationTime(invoking, problems);
      return item && { kind: "oversized", item: { ...item, configuration: undefined }, notificationTime };
    }
    case MessageType.CONFIGURATION_ITEM_CHANGE: {
      const item = readItem(invoking, "configurationItem", problems);
      const notificationTime = optionalNotificationTime(invoking, problems);
      return item && { kind: "change", item, notificationTime };
    }
    default:
      problems.add("invokingEvent.messageType", `must be ${Object.values(MessageType).join(", ")}`);
      return undefined;
  }
}

function readExecutionRoleName(event: JsonObject, problems: FieldProblems): string | undefined {
  const text = event.ruleParameters;
  if (text !== undefined && typeof text !== "string") {
    problems.add("ruleParameters", "must be a JSON string");
    return undefined;
  }
  if (text === undefined || text.trim() === "") return undefined;
  const parameters = parseJsonField(text, "ruleParameters");
  if (!isObject(parameters)) {
    problems.add("ruleParameters", "must be a JSON object");
    return undefined;
  }
  if (parameters.ExecutionRoleName === undefined) return undefined;
  return requiredString(parameters, "ExecutionRoleName", "ruleParameters", problems, {
    pattern: ROLE_NAME_PATTERN,
    patternMessage: "must be an IAM role name",
  });
}

/** Reads the whole event or throws one error naming every bad field; never a half-parsed event. */
export function parseRuleEvent(event: unknown): RuleInvocation {
  if (!isObject(event)) fail(["event: must be an object"]);
  const problems = new FieldProblems();
  const invokingText = requiredString(event, "invokingEvent", "", problems);
  const resultToken = requiredString(event, "resultToken", "", problems);
  const configRuleName = requiredString(event, "configRuleName", "", problems);
  const accountId = requiredString(event, "accountId", "", problems, {
    pattern: ACCOUNT_ID_PATTERN,
    patternMessage: "must be a 12-digit account id",
  });
  if (event.eventLeftScope !== undefined && typeof event.eventLeftScope !== "boolean") {
    problems.add("eventLeftScope", "must be a boolean");
  }
  const trigger =
    invokingText === undefined
      ? undefined
      : readTrigger(parseJsonField(invokingText, "invokingEvent"), problems);
  const executionRoleName = readExecutionRoleName(event, problems);
  if (problems.problems.length > 0 || !trigger || !resultToken || !configRuleName || !accountId) {
    fail(problems.problems);
  }
  return {
    accountId,
    configRuleName,
    resultToken,
    eventLeftScope: event.eventLeftScope === true,
    executionRoleName,
    trigger,
  };
}
