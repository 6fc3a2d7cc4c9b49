import { InvalidEventError } from "../../../lambda/errors";
import { parseRuleEvent } from "../../../lambda/event";
import {
  oversizedEvent,
  scheduledEvent,
  serviceChangeEvent,
  taskDefinitionChangeEvent,
} from "../../support/events";

describe("parsing the AWS Config rule event", () => {
  it("reads a task definition change with its PascalCase configuration and capture time", () => {
    const invocation = parseRuleEvent(taskDefinitionChangeEvent());
    expect(invocation).toMatchObject({
      accountId: "111111111111",
      eventLeftScope: false,
      executionRoleName: undefined,
    });
    expect(invocation.trigger.kind).toBe("change");
    if (invocation.trigger.kind !== "change") return;
    expect(invocation.trigger.item).toMatchObject({
      resourceType: "AWS::ECS::TaskDefinition",
      resourceId: "web",
      status: "OK",
    });
    expect(invocation.trigger.item.configuration?.PidMode).toBe("host");
    expect(invocation.trigger.item.captureTime.toISOString()).toBe("2026-11-29T10:15:30.123Z");
  });

  it("reads a change notification's creation time, which tells an item re-sent long after its capture", () => {
    const invocation = parseRuleEvent(taskDefinitionChangeEvent());
    expect(invocation.trigger.kind !== "scheduled" && invocation.trigger.notificationTime).toEqual(
      new Date("2026-11-29T10:16:01.456Z"),
    );
  });

  it("accepts a change notification without a creation time, and names a bad one", () => {
    const decoded = JSON.parse(String(taskDefinitionChangeEvent().invokingEvent)) as Record<string, unknown>;
    const { notificationCreationTime: _dropped, ...withoutTime } = decoded;
    const invocation = parseRuleEvent({
      ...taskDefinitionChangeEvent(),
      invokingEvent: JSON.stringify(withoutTime),
    });
    expect(invocation.trigger.kind !== "scheduled" && invocation.trigger.notificationTime).toBeUndefined();
    const badTime = { ...decoded, notificationCreationTime: "soon" };
    expect(() =>
      parseRuleEvent({ ...taskDefinitionChangeEvent(), invokingEvent: JSON.stringify(badTime) }),
    ).toThrow("invokingEvent.notificationCreationTime: must be an ISO 8601 timestamp");
  });

  it("reads an oversized notification's summary, which has no configuration", () => {
    const invocation = parseRuleEvent(oversizedEvent());
    expect(invocation.trigger.kind).toBe("oversized");
    if (invocation.trigger.kind === "oversized")
      expect(invocation.trigger.item.configuration).toBeUndefined();
  });

  it("reads a scheduled notification's time", () => {
    const invocation = parseRuleEvent(scheduledEvent());
    expect(invocation.trigger).toEqual({
      kind: "scheduled",
      notificationTime: new Date("2026-11-30T06:00:00.000Z"),
    });
  });

  it("takes the execution role name from the rule parameters", () => {
    const invocation = parseRuleEvent(
      scheduledEvent({ ruleParameters: JSON.stringify({ ExecutionRoleName: "EcsPidModeRuleExecution" }) }),
    );
    expect(invocation.executionRoleName).toBe("EcsPidModeRuleExecution");
  });

  it("judges services, task sets and daemons when the rule parameters say nothing of them", () => {
    expect(parseRuleEvent(scheduledEvent()).scope).toEqual({ services: true, daemons: true });
  });

  it("takes what the rule judges from EvaluateServices and EvaluateDaemons", () => {
    const invocation = parseRuleEvent(
      scheduledEvent({
        ruleParameters: JSON.stringify({ EvaluateServices: "false", EvaluateDaemons: "true" }),
      }),
    );
    expect(invocation.scope).toEqual({ services: false, daemons: true });
  });

  it("accepts a deleted resource's item without configuration", () => {
    const invocation = parseRuleEvent(
      serviceChangeEvent({}, { configuration: null, configurationItemStatus: "ResourceDeleted" }),
    );
    expect(invocation.trigger.kind === "change" && invocation.trigger.item.configuration).toBeUndefined();
  });

  it.each([
    [
      "a capture time that is no timestamp",
      taskDefinitionChangeEvent({ configurationItemCaptureTime: "yesterday" }),
      "invokingEvent.configurationItem.configurationItemCaptureTime: must be an ISO 8601 timestamp",
    ],
    [
      "an account id that is not 12 digits",
      scheduledEvent({ accountId: "1234" }),
      "accountId: must be a 12-digit account id",
    ],
    [
      "a role name IAM would refuse",
      scheduledEvent({ ruleParameters: JSON.stringify({ ExecutionRoleName: "a role" }) }),
      "ruleParameters.ExecutionRoleName: must be an IAM role name",
    ],
    [
      "a rule parameter the function does not know",
      scheduledEvent({ ruleParameters: JSON.stringify({ EvaluateService: "false" }) }),
      "ruleParameters.EvaluateService: is not a parameter of this rule",
    ],
    [
      "a flag that is neither true nor false",
      scheduledEvent({ ruleParameters: JSON.stringify({ EvaluateServices: "no" }) }),
      'ruleParameters.EvaluateServices: must be "true" or "false"',
    ],
    [
      "a configuration that is not an object",
      taskDefinitionChangeEvent({ configuration: "PidMode=host" }),
      "invokingEvent.configurationItem.configuration: must be an object",
    ],
    [
      "eventLeftScope that is not a boolean",
      scheduledEvent({ eventLeftScope: "true" }),
      "eventLeftScope: must be a boolean",
    ],
    ["no configRuleName", scheduledEvent({ configRuleName: undefined }), "configRuleName: is required"],
    [
      "no configurationItem",
      {
        ...scheduledEvent(),
        invokingEvent: JSON.stringify({ messageType: "ConfigurationItemChangeNotification" }),
      },
      "invokingEvent.configurationItem: is required",
    ],
  ])("rejects %s, naming the field", (_case, event, message) => {
    expect(() => parseRuleEvent(event)).toThrow(InvalidEventError);
    expect(() => parseRuleEvent(event)).toThrow(message);
  });

  it("names every bad field at once", () => {
    const event = taskDefinitionChangeEvent({ resourceType: 7, resourceId: undefined }, { resultToken: "" });
    expect(() => parseRuleEvent(event)).toThrow(
      "invalid AWS Config rule event: resultToken: must not be empty; invokingEvent.configurationItem.resourceType: must be a string; invokingEvent.configurationItem.resourceId: is required",
    );
  });
});
