// Names and shapes that AWS defines, named once for the function, the CDK app and the command line: the
// messages Config sends a rule, the resource types the rule reports on, and the shapes of account ids,
// IAM role names and Region names.

/** The `messageType` of each event AWS Config sends a custom rule. */
export const MessageType = {
  CONFIGURATION_ITEM_CHANGE: "ConfigurationItemChangeNotification",
  /** A change whose item is too large for the event: the rule fetches it from the history API. */
  OVERSIZED_CONFIGURATION_ITEM_CHANGE: "OversizedConfigurationItemChangeNotification",
  /** The periodic sweep. */
  SCHEDULED: "ScheduledNotification",
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition";
export const SERVICE_TYPE = "AWS::ECS::Service";
/** A task set of a `CODE_DEPLOY` or `EXTERNAL` service; its configuration names its service, cluster and task definition. */
export const TASK_SET_TYPE = "AWS::ECS::TaskSet";
/** Daemon task definitions have no Config resource type: what RUNNING daemons share is reported on their cluster. */
export const CLUSTER_TYPE = "AWS::ECS::Cluster";

/** A task definition family: 1-255 letters, digits, hyphens and underscores (a pattern without anchors). */
export const FAMILY_SHAPE = "[A-Za-z0-9_-]{1,255}";

/** An AWS account id: twelve digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** An IAM role name (without its path): 1-64 of A-Za-z0-9 and +=,.@_- (the rule's `ExecutionRoleName`). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/**
 * The shape every AWS Region name has (`eu-west-1`, `us-gov-west-1`, `ap-southeast-10`): whether one exists
 * is for the SDK's partition table to say.
 */
export const REGION_PATTERN = /^[a-z]{2,5}(-[a-z]+)+-\d+$/;
