/** Task definitions are named three ways: `family`, `family:revision`, or the revision ARN. */

export interface TaskDefinitionRef {
  readonly family: string;
  /** Absent when the reference names the whole family. */
  readonly revision?: number;
}

const FAMILY = "[A-Za-z0-9_-]{1,255}";
const ARN_PATTERN = new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\\d*:task-definition/(${FAMILY}):(\\d+)$`);
const FAMILY_REVISION_PATTERN = new RegExp(`^(${FAMILY}):(\\d+)$`);
const FAMILY_PATTERN = new RegExp(`^${FAMILY}$`);

/** Parses any of the three forms; `undefined` when the text is none of them. */
export function parseTaskDefinitionRef(text: string): TaskDefinitionRef | undefined {
  const withRevision = ARN_PATTERN.exec(text) ?? FAMILY_REVISION_PATTERN.exec(text);
  if (withRevision) {
    const revision = Number(withRevision[2]);
    return revision >= 1 ? { family: withRevision[1] as string, revision } : undefined;
  }
  return FAMILY_PATTERN.test(text) ? { family: text } : undefined;
}

export function refCovers(ref: TaskDefinitionRef, revision: { family: string; revision: number }): boolean {
  return ref.family === revision.family && (ref.revision === undefined || ref.revision === revision.revision);
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
