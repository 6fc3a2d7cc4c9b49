import type { ServiceName } from "./services";
import { nameFromArn, parseTaskDefinitionRef, refCovers, revisionLabel } from "./taskDefinitionRef";
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

/** The ids under which Config knows a family's in-use revisions (the family itself in the usual form). */
export function familyResourceIds(family: string, view: InUseView, form: TaskDefinitionIdForm): string[] {
  if (form === "family") return [family];
  const ids = view.revisions
    .filter((revision) => revision.family === family)
    .map((revision) => taskDefinitionResourceId(revision, form));
  return [...new Set(ids)].sort();
}

/** The in-use revisions a Config resource id stands for; `undefined` when the id is no task definition name. */
export function revisionsForResource(
  resourceId: string,
  revisions: readonly InUseRevision[],
): InUseRevision[] | undefined {
  const ref = parseTaskDefinitionRef(resourceId);
  return ref === undefined ? undefined : revisions.filter((revision) => refCovers(ref, revision));
}

/** The revisions the RUNNING tasks of one service use, with only that service's placements. */
export function revisionsOfService(view: InUseView, service: ServiceName): InUseRevision[] {
  return view.revisions.flatMap((revision) => {
    const placements = revision.placements.filter(
      (placement) => placement.cluster === service.cluster && placement.service === service.name,
    );
    return placements.length > 0 ? [{ ...revision, placements }] : [];
  });
}

/** Config names an ECS cluster by its name or by its ARN; a sample of the recorded ids shows which. */
export function clusterResourceId(clusterArn: string, recordedSample: readonly string[]): string {
  return recordedSample.some((id) => id.startsWith("arn:")) ? clusterArn : nameFromArn(clusterArn);
}
