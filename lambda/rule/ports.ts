import type { CachedInUseSource } from "../adapters/cachedInUseSource";
import type { Clock } from "../adapters/clock";
import type { ComplianceStore } from "../adapters/configGateway";
import type { ExceptionsSource } from "../adapters/exceptionsSource";
import type { RevisionSource } from "../adapters/revisionDescriber";

/** The adapters that act in one account: reads of ECS and Config there, writes to Config there. */
export interface AccountPorts {
  readonly accountId: string;
  readonly inUse: Pick<CachedInUseSource, "read">;
  readonly revisions: RevisionSource;
  readonly config: ComplianceStore;
}

export interface RuleDependencies {
  /** The ports for an account: the function's own, or a member account's through its execution role. */
  portsFor(accountId: string, executionRoleName: string | undefined): Promise<AccountPorts>;
  readonly exceptions: ExceptionsSource;
  readonly clock: Clock;
  /** Time kept back at the end of an invocation to write what is certain and fail loudly. */
  readonly reserveMs?: number;
}
