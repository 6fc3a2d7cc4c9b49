import { ServiceError } from "../../sim/inProcessHandler";

/**
 * An intercept for a simulated service that answers `action` with AccessDeniedException, for every call or for
 * the calls whose input `when` picks.
 */
export function deny(
  action: string,
  when: (input: Record<string, unknown>) => boolean = () => true,
): (called: string, input: Record<string, unknown>) => void {
  return (called, input) => {
    if (called === action && when(input)) throw new ServiceError("AccessDeniedException", "denied");
  };
}
