import { type DefinitionKind, TASK_DEFINITION_TYPE } from "../../lambda/core/index";
import { ECS_DAEMON_PID_MODE_GUARD_RULE_NAME, ECS_PID_MODE_GUARD_RULE_NAME } from "./guardRule";

/** What differs between the two ECS definitions whose `PidMode` can share the host's process namespace. */
export interface PidModeKind {
  readonly resourceType: string;
  /** The namespace of exceptions that can cover it (`taskDefinition` or `daemonTaskDefinition` entries). */
  readonly definitionKind: DefinitionKind;
  /** How messages name the resource, e.g. "ECS task definition". */
  readonly noun: string;
  /** The `PidMode` that shares the host's process namespace. */
  readonly hostSharing: string;
  /** The `PidMode` that keeps a namespace of its own; also what an absent `PidMode` means. */
  readonly isolated: string;
  /** Which control asks for it, in parentheses after the problem. */
  readonly control: string;
  /** The Guard rule that judges this type, named in the suppression an exemption writes. */
  readonly guardRuleName: string;
}

export const TASK_DEFINITION_PID_MODE: PidModeKind = {
  resourceType: TASK_DEFINITION_TYPE,
  definitionKind: "task",
  noun: "ECS task definition",
  hostSharing: "host",
  isolated: "task",
  control: "Security Hub ECS.3",
  guardRuleName: ECS_PID_MODE_GUARD_RULE_NAME,
};

/**
 * ECS Managed Daemons: `PidMode` is `none` (the default) or `shared`, with which "the daemon joins the host
 * PID namespace" (CfnDaemonTaskDefinitionProps, DaemonPidMode in @aws-sdk/client-ecs).
 */
export const DAEMON_TASK_DEFINITION_PID_MODE: PidModeKind = {
  resourceType: "AWS::ECS::DaemonTaskDefinition",
  definitionKind: "daemon",
  noun: "ECS daemon task definition",
  hostSharing: "shared",
  isolated: "none",
  control: "Security Hub ECS.3, applied to daemons",
  guardRuleName: ECS_DAEMON_PID_MODE_GUARD_RULE_NAME,
};

/** The kinds the Aspect judges, by CloudFormation resource type. */
export const PID_MODE_KINDS: ReadonlyMap<string, PidModeKind> = new Map(
  [TASK_DEFINITION_PID_MODE, DAEMON_TASK_DEFINITION_PID_MODE].map((kind) => [kind.resourceType, kind]),
);
