import * as path from "node:path";
import { packageRoot } from "../packageRoot";

/**
 * The rules in `guard/ecs-pid-mode.guard`, one per resource type; a resource listing its type's rule in
 * `Metadata.guard.SuppressedRules` is skipped by that rule.
 */
export const ECS_PID_MODE_GUARD_RULE_NAME = "ECS_TASK_DEFINITION_NO_HOST_PID_MODE";
export const ECS_DAEMON_PID_MODE_GUARD_RULE_NAME = "ECS_DAEMON_TASK_DEFINITION_NO_SHARED_PID_MODE";

/** Absolute path of the rule file, for `new CfnGuardValidator({ rules: [ECS_PID_MODE_GUARD_RULE_FILE] })`. */
export const ECS_PID_MODE_GUARD_RULE_FILE = path.join(packageRoot(), "guard", "ecs-pid-mode.guard");
