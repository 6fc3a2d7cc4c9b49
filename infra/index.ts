export {
  EcsPidModeAspect,
  type EcsPidModeAspectProps,
  EXCEPTION_METADATA_KEY,
} from "./aspects/ecsPidModeAspect";
export { ECS_PID_MODE_GUARD_RULE_FILE, ECS_PID_MODE_GUARD_RULE_NAME } from "./aspects/guardRule";
