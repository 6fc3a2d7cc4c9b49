import * as path from "node:path";
import { packageRoot } from "../packageRoot";

/** The rule in `guard/ecs-pid-mode.guard`; resources listing it in `Metadata.guard.SuppressedRules` are skipped. */
export const ECS_PID_MODE_GUARD_RULE_NAME = "ECS_TASK_DEFINITION_NO_HOST_PID_MODE";

/** Absolute path of the rule file, for `new CfnGuardValidator({ rules: [ECS_PID_MODE_GUARD_RULE_FILE] })`. */
export const ECS_PID_MODE_GUARD_RULE_FILE = path.join(packageRoot(), "guard", "ecs-pid-mode.guard");
