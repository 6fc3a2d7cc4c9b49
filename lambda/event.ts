import { z } from "zod";

/** The Config rule event, checked field by field before anything is read or written. */

export interface ChangedItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly status: string;
  readonly captureTime: Date;
  /** Absent for deleted resources and for oversized items until fetched from history. */
  readonly configuration: Record<string, unknown> | undefined;
}

export type Trigger =
  | { readonly kind: "change"; readonly item: ChangedItem }
  | { readonly kind: "oversized"; readonly item: ChangedItem }
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

export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

const nonEmpty = z.string().min(1, "must be a non-empty string");
const timestamp = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 timestamp" })
  .transform((text) => new Date(text));

const envelopeSchema = z.object({
  invokingEvent: nonEmpty,
  ruleParameters: z.string().optional(),
  resultToken: nonEmpty,
  eventLeftScope: z.boolean().optional(),
  accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit account id"),
  configRuleName: nonEmpty,
});

const itemSchema = z.object({
  resourceType: nonEmpty,
  resourceId: nonEmpty,
  configurationItemStatus: nonEmpty,
  configurationItemCaptureTime: timestamp,
  configuration: z.record(z.string(), z.unknown()).nullish(),
});

const summarySchema = itemSchema.omit({ configuration: true });

const invokingEventSchema = z.discriminatedUnion(
  "messageType",
  [
    z.object({
      messageType: z.literal("ConfigurationItemChangeNotification"),
      configurationItem: itemSchema,
    }),
    z.object({
      messageType: z.literal("OversizedConfigurationItemChangeNotification"),
      configurationItemSummary: summarySchema,
    }),
    z.object({ messageType: z.literal("ScheduledNotification"), notificationCreationTime: timestamp }),
  ],
  {
    error:
      "messageType must be ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification or ScheduledNotification",
  },
);

const ruleParametersSchema = z.object({
  ExecutionRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/)
    .optional(),
});

function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].filter(Boolean).join(".");
    return `${path || "event"}: ${issue.message}`;
  });
  throw new InvalidEventError(`invalid AWS Config rule event: ${problems.join("; ")}`);
}

function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidEventError(`invalid AWS Config rule event: ${field} is not JSON`);
  }
}

function toItem(
  raw: z.infer<typeof summarySchema> & { configuration?: Record<string, unknown> | null },
): ChangedItem {
  return {
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    status: raw.configurationItemStatus,
    captureTime: raw.configurationItemCaptureTime,
    configuration: raw.configuration ?? undefined,
  };
}

export function parseRuleEvent(event: unknown): RuleInvocation {
  const envelope = check(envelopeSchema, event, "");
  const invoking = check(
    invokingEventSchema,
    parseJsonField(envelope.invokingEvent, "invokingEvent"),
    "invokingEvent",
  );
  const rawParameters = envelope.ruleParameters?.trim()
    ? parseJsonField(envelope.ruleParameters, "ruleParameters")
    : {};
  const parameters = check(ruleParametersSchema, rawParameters, "ruleParameters");

  let trigger: Trigger;
  if (invoking.messageType === "ScheduledNotification") {
    trigger = { kind: "scheduled", notificationTime: invoking.notificationCreationTime };
  } else if (invoking.messageType === "OversizedConfigurationItemChangeNotification") {
    trigger = { kind: "oversized", item: toItem(invoking.configurationItemSummary) };
  } else {
    trigger = { kind: "change", item: toItem(invoking.configurationItem) };
  }
  return {
    accountId: envelope.accountId,
    configRuleName: envelope.configRuleName,
    resultToken: envelope.resultToken,
    eventLeftScope: envelope.eventLeftScope ?? false,
    executionRoleName: parameters.ExecutionRoleName,
    trigger,
  };
}
