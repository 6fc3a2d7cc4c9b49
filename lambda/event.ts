// The Config rule event, checked field by field before anything is read or written.
import type { ChangedItem } from "./core/changePlan";
import { FieldProblems, isObject, type JsonObject, requiredString, requiredTimestamp } from "./core/fields";
import { ACCOUNT_ID_PATTERN, MessageType, ROLE_NAME_PATTERN } from "./core/identifiers";
import { DEFAULT_SCOPE, type JudgedScope, RuleParameter } from "./core/scope";
import { InvalidEventError } from "./errors";

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
  /** What the rule judges, from its parameters (set by the infrastructure together with its scope). */
  readonly scope: JudgedScope;
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

const KNOWN_PARAMETERS: ReadonlySet<string> = new Set(Object.values(RuleParameter));

function readFlag(parameters: JsonObject, key: string, fallback: boolean, problems: FieldProblems): boolean {
  const value = parameters[key];
  if (value === undefined) return fallback;
  if (value === "true" || value === "false") return value === "true";
  problems.add(`ruleParameters.${key}`, 'must be "true" or "false"');
  return fallback;
}

/** The rule's parameters: every key must be one the function knows, so a misspelt one is never ignored. */
function readRuleParameters(
  event: JsonObject,
  problems: FieldProblems,
): { executionRoleName: string | undefined; scope: JudgedScope } {
  const none = { executionRoleName: undefined, scope: DEFAULT_SCOPE };
  const text = event.ruleParameters;
  if (text !== undefined && typeof text !== "string") {
    problems.add("ruleParameters", "must be a JSON string");
    return none;
  }
  if (text === undefined || text.trim() === "") return none;
  const parameters = parseJsonField(text, "ruleParameters");
  if (!isObject(parameters)) {
    problems.add("ruleParameters", "must be a JSON object");
    return none;
  }
  for (const key of Object.keys(parameters).sort()) {
    if (!KNOWN_PARAMETERS.has(key))
      problems.add(
        `ruleParameters.${key}`,
        `is not a parameter of this rule (${[...KNOWN_PARAMETERS].join(", ")})`,
      );
  }
  const executionRoleName =
    parameters[RuleParameter.EXECUTION_ROLE_NAME] === undefined
      ? undefined
      : requiredString(parameters, RuleParameter.EXECUTION_ROLE_NAME, "ruleParameters", problems, {
          pattern: ROLE_NAME_PATTERN,
          patternMessage: "must be an IAM role name",
        });
  return {
    executionRoleName,
    scope: {
      services: readFlag(parameters, RuleParameter.EVALUATE_SERVICES, DEFAULT_SCOPE.services, problems),
      daemons: readFlag(parameters, RuleParameter.EVALUATE_DAEMONS, DEFAULT_SCOPE.daemons, problems),
    },
  };
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
  const { executionRoleName, scope } = readRuleParameters(event, problems);
  if (problems.problems.length > 0 || !trigger || !resultToken || !configRuleName || !accountId) {
    fail(problems.problems);
  }
  return {
    accountId,
    configRuleName,
    resultToken,
    eventLeftScope: event.eventLeftScope === true,
    executionRoleName,
    scope,
    trigger,
  };
}
