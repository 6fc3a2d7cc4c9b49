// Which AWS errors are AccessDenied, and the permission they name.
import { MissingPermissionError } from "../../errors";

const DENIED_NAMES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
]);

export function isAccessDenied(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return DENIED_NAMES.has(error.name) || /not authorized to perform/i.test(error.message);
}

/**
 * The action the error names (`... is not authorized to perform: iam:PassRole on resource ...`), which is
 * the true one when a call needs a second permission (RegisterTaskDefinition needs iam:PassRole for the
 * task's roles, ecs:TagResource for its tags), else the call's own action.
 */
export function deniedPermission(error: Error, callAction: string): string {
  const named = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(error.message);
  return named?.[1] ?? callAction;
}

/** Runs `call`; AccessDenied becomes a MissingPermissionError naming the permission. */
export async function needing<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && isAccessDenied(error)) {
      throw new MissingPermissionError(deniedPermission(error, action), error.message, { cause: error });
    }
    throw error;
  }
}
