// Task definitions are named three ways: `family`, `family:revision`, or the revision ARN. ECS Managed
// Daemons have task definitions of their own, whose ARNs say `daemon-task-definition/` instead.
import { FAMILY_SHAPE } from "./identifiers";

export type DefinitionKind = "task" | "daemon";

export interface TaskDefinitionRef {
  readonly family: string;
  /** Absent when the reference names the whole family. */
  readonly revision?: number;
  /** Set only by an ARN, which says whether it names a task definition or a daemon task definition. */
  readonly kind?: DefinitionKind;
}

const ARN_PATTERN = new RegExp(
  `^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\\d*:(task-definition|daemon-task-definition)/(${FAMILY_SHAPE}):(\\d+)$`,
);
const FAMILY_REVISION_PATTERN = new RegExp(`^(${FAMILY_SHAPE}):(\\d+)$`);
const FAMILY_PATTERN = new RegExp(`^${FAMILY_SHAPE}$`);

function withRevision(
  family: string,
  revisionText: string,
  kind?: DefinitionKind,
): TaskDefinitionRef | undefined {
  const revision = Number(revisionText);
  if (revision < 1) return undefined;
  return kind === undefined ? { family, revision } : { family, revision, kind };
}

/** Parses any of the three forms (either kind of ARN); `undefined` when the text is none of them. */
export function parseTaskDefinitionRef(text: string): TaskDefinitionRef | undefined {
  const arn = ARN_PATTERN.exec(text);
  if (arn) {
    return withRevision(
      arn[2] as string,
      arn[3] as string,
      arn[1] === "daemon-task-definition" ? "daemon" : "task",
    );
  }
  const familyRevision = FAMILY_REVISION_PATTERN.exec(text);
  if (familyRevision) return withRevision(familyRevision[1] as string, familyRevision[2] as string);
  return FAMILY_PATTERN.test(text) ? { family: text } : undefined;
}

/** A revision ARN of either kind, with its parts; `undefined` for anything else (a family, another ARN). */
export function parseRevisionArn(
  arn: string,
): { readonly family: string; readonly revision: number; readonly kind: DefinitionKind } | undefined {
  const ref = parseTaskDefinitionRef(arn);
  if (ref?.kind === undefined || ref.revision === undefined) return undefined;
  return { family: ref.family, revision: ref.revision, kind: ref.kind };
}

/** Whether an ARN names a daemon task definition revision. */
export function isDaemonDefinitionArn(arn: string): boolean {
  return parseRevisionArn(arn)?.kind === "daemon";
}

export function refCovers(
  ref: TaskDefinitionRef,
  revision: { family: string; revision: number; arn?: string },
): boolean {
  if (ref.family !== revision.family) return false;
  if (ref.revision !== undefined && ref.revision !== revision.revision) return false;
  if (ref.kind === undefined || revision.arn === undefined) return true;
  return ref.kind === (isDaemonDefinitionArn(revision.arn) ? "daemon" : "task");
}

/** `web:7`: how people name a revision. */
export function revisionLabel(revision: { family: string; revision: number }): string {
  return `${revision.family}:${revision.revision}`;
}

/** The last path segment of an ECS ARN (`arn:...:cluster/prod` gives `prod`); other text is returned as is. */
export function nameFromArn(arnOrName: string): string {
  const slash = arnOrName.lastIndexOf("/");
  return arnOrName.startsWith("arn:") && slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}
