import { parseTaskDefinitionRef, refCovers, revisionLabel } from "./taskDefinitionRef";
import type { InUseRevision, InUseView } from "./types";

/**
 * How Config names AWS::ECS::TaskDefinition resources in an account. The family name is what has been
 * observed; the other two forms are handled in case an account or a future recorder uses them.
 */
export type TaskDefinitionIdForm = "family" | "familyRevision" | "arn";

export function inferTaskDefinitionIdForm(recordedIds: readonly string[]): TaskDefinitionIdForm {
  const sample = recordedIds.find((id) => parseTaskDefinitionRef(id) !== undefined);
  if (sample === undefined) return "family";
  if (sample.startsWith("arn:")) return "arn";
  return sample.includes(":") ? "familyRevision" : "family";
}

export function taskDefinitionResourceId(revision: InUseRevision, form: TaskDefinitionIdForm): string {
  if (form === "arn") return revision.arn;
  return form === "familyRevision" ? revisionLabel(revision) : revision.family;
}

/** The in-use revisions a Config resource id stands for; `undefined` when the id is no task definition name. */
export function revisionsForResource(
  resourceId: string,
  revisions: readonly InUseRevision[],
): InUseRevision[] | undefined {
  const ref = parseTaskDefinitionRef(resourceId);
  return ref === undefined ? undefined : revisions.filter((revision) => refCovers(ref, revision));
}

export interface ServiceName {
  /** Absent for old-format service ARNs, which do not name their cluster. */
  readonly cluster?: string;
  readonly name: string;
}

/** `arn:aws:ecs:r:a:service/prod/api` names cluster and service; `arn:...:service/api` only the service. */
export function parseServiceArn(arn: string): ServiceName | undefined {
  const match = /^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:service\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  return match[1] === undefined
    ? { name: match[2] as string }
    : { cluster: match[1], name: match[2] as string };
}

/** The revisions the RUNNING tasks of one service use, with only that service's placements. */
export function revisionsOfService(view: InUseView, service: Required<ServiceName>): InUseRevision[] {
  return view.revisions.flatMap((revision) => {
    const placements = revision.placements.filter(
      (placement) => placement.cluster === service.cluster && placement.service === service.name,
    );
    return placements.length > 0 ? [{ ...revision, placements }] : [];
  });
}

/** Adds a revision that is about to run (a service is deploying it) to the view, merged with any existing entry. */
export function withRevisionInUse(view: InUseView, extra: InUseRevision): InUseView {
  const existing = view.revisions.find((revision) => revision.arn === extra.arn);
  if (existing === undefined) return { ...view, revisions: [...view.revisions, extra] };
  const merged = { ...existing, placements: [...existing.placements, ...extra.placements] };
  return {
    ...view,
    revisions: view.revisions.map((revision) => (revision === existing ? merged : revision)),
  };
}
