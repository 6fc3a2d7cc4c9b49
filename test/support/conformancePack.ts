/**
 * The InputParameters a conformance pack gives its rule: `flags`, with the execution role's name only when the
 * pack's ExecutionRoleName parameter is set.
 */
export function packRuleInputParameters(flags: { EvaluateServices: string; EvaluateDaemons: string }) {
  return {
    "Fn::If": ["HasExecutionRoleName", { ...flags, ExecutionRoleName: { Ref: "ExecutionRoleName" } }, flags],
  };
}
