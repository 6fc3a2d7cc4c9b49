import type { FamilyReadOptions } from "../adapters/cachedInUseSource";
import type { Clock } from "../adapters/clock";
import type { ComplianceStore } from "../adapters/configGateway";
import type { InvocationDeadline } from "../adapters/deadline";
import type { ExceptionsSource } from "../adapters/exceptionsSource";
import type { ReadOptions } from "../adapters/inUseReader";
import type { RevisionSource } from "../adapters/revisionDescriber";
import type { ServiceSource } from "../adapters/serviceReader";
import type { InUseView } from "../core/types";

/** Views of RUNNING tasks: the whole account (a sweep), or what a change needs (the cheaper read). */
export interface InUseViews {
  readAccount(options?: ReadOptions): Promise<InUseView>;
  readFamilies(families: readonly string[], options?: FamilyReadOptions): Promise<InUseView>;
}

/** The adapters that act in one account: reads of ECS and Config there, writes to Config there. */
export interface AccountPorts {
  readonly accountId: string;
  readonly inUse: InUseViews;
  readonly revisions: RevisionSource;
  readonly services: ServiceSource;
  readonly config: ComplianceStore;
}

export interface RuleDependencies {
  /** The ports for an account: the function's own, or a member account's through its execution role. */
  portsFor(accountId: string, executionRoleName: string | undefined): Promise<AccountPorts>;
  readonly exceptions: ExceptionsSource;
  readonly clock: Clock;
  /** Consulted by the adapters before they retry; the rule sets it at the start of every invocation. */
  readonly deadline?: InvocationDeadline;
  /** Time kept back at the end of an invocation to write what is certain and fail loudly. */
  readonly reserveMs?: number;
}
