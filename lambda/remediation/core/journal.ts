// What an apply run did, kept so that a second run resumes where the first stopped and changes nothing
// twice: the replacement registered for each revision, and each service moved (and whether its rollout
// finished). Pure: loading and saving are a `JournalStore`'s business.
import { InvalidJournalError } from "../../errors";

export interface JournalMove {
  readonly from: string;
  readonly to: string;
  /**
   * `intended`: recorded before UpdateService is sent (it may or may not have reached ECS); `updated`:
   * UpdateService was accepted; `completed`: its deployment finished. A later run re-checks each against the
   * service.
   */
  readonly state: "intended" | "updated" | "completed";
  readonly at: string;
}

export interface Journal {
  readonly version: 1;
  /** Replacement revision ARN by `accountId/region/revision ARN` of the revision it replaces. */
  readonly registered: Readonly<Record<string, string>>;
  /** By `accountId/region/cluster/service`. */
  readonly moved: Readonly<Record<string, JournalMove>>;
}

export const EMPTY_JOURNAL: Journal = { version: 1, registered: {}, moved: {} };

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

const key = (scope: Scope, ...parts: string[]): string => [scope.accountId, scope.region, ...parts].join("/");

export function registeredReplacement(
  journal: Journal,
  scope: Scope,
  revisionArn: string,
): string | undefined {
  return journal.registered[key(scope, revisionArn)];
}

export function withRegistered(
  journal: Journal,
  scope: Scope,
  revisionArn: string,
  replacementArn: string,
): Journal {
  return { ...journal, registered: { ...journal.registered, [key(scope, revisionArn)]: replacementArn } };
}

export function recordedMove(
  journal: Journal,
  scope: Scope,
  service: { cluster: string; service: string },
): JournalMove | undefined {
  return journal.moved[key(scope, service.cluster, service.service)];
}

export function withMove(
  journal: Journal,
  scope: Scope,
  service: { cluster: string; service: string },
  move: JournalMove,
): Journal {
  return { ...journal, moved: { ...journal.moved, [key(scope, service.cluster, service.service)]: move } };
}

/** The moves of `scope` begun and not seen to finish (`intended` or `updated`), with their service. */
export function pendingMoves(
  journal: Journal,
  scope: Scope,
): { cluster: string; service: string; move: JournalMove }[] {
  const prefix = key(scope, "");
  return Object.entries(journal.moved).flatMap(([name, move]) => {
    if (!name.startsWith(prefix) || move.state === "completed") return [];
    const [cluster, service, ...rest] = name.slice(prefix.length).split("/");
    if (!cluster || !service || rest.length > 0) return [];
    return [{ cluster, service, move }];
  });
}

/** A journal read back from disk, checked field by field; an error names what is wrong. */
export function parseJournal(document: unknown): Journal {
  const fail = (what: string): never => {
    throw new InvalidJournalError(`journal: ${what}`);
  };
  if (typeof document !== "object" || document === null || Array.isArray(document))
    fail("must be a JSON object");
  const value = document as Record<string, unknown>;
  if (value.version !== 1) fail(`version must be 1, got ${JSON.stringify(value.version)}`);
  const registered = value.registered ?? {};
  const moved = value.moved ?? {};
  if (typeof registered !== "object" || registered === null || Array.isArray(registered))
    fail("registered must be an object");
  for (const [name, arn] of Object.entries(registered as object)) {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) fail(`registered.${name} must be an ARN`);
  }
  if (typeof moved !== "object" || moved === null || Array.isArray(moved)) fail("moved must be an object");
  for (const [name, move] of Object.entries(moved as object)) {
    const entry = move as Partial<JournalMove> | null;
    if (
      typeof entry !== "object" ||
      entry === null ||
      typeof entry.from !== "string" ||
      typeof entry.to !== "string" ||
      typeof entry.at !== "string" ||
      (entry.state !== "intended" && entry.state !== "updated" && entry.state !== "completed")
    )
      fail(`moved.${name} must be {from, to, state: "intended" | "updated" | "completed", at}`);
  }
  return {
    version: 1,
    registered: registered as Record<string, string>,
    moved: moved as Record<string, JournalMove>,
  };
}
