import type { InUseRevision, InUseView } from "./inUseView";
import type { ServiceName } from "./services";
import { nameFromArn, parseTaskDefinitionRef, refCovers, revisionLabel } from "./taskDefinitionRef";

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
  if (ref === undefined) return undefined;
  return (indexed(revisions).byFamily.get(ref.family) ?? []).filter((revision) => refCovers(ref, revision));
}

/** The revisions the RUNNING tasks of one service use, with only that service's placements. */
export function revisionsOfService(view: InUseView, service: ServiceName): InUseRevision[] {
  return indexed(view.revisions).byService.get(serviceKey(service.cluster, service.name)) ?? [];
}

interface RevisionIndex {
  readonly byFamily: ReadonlyMap<string, InUseRevision[]>;
  /** Per service, its revisions (in the view's order) with that service's placements alone. */
  readonly byService: ReadonlyMap<string, InUseRevision[]>;
}

// A sweep judges every service and task definition of the account against the same view: looking each
// up by scanning the view cost services × revisions (minutes of CPU on a 50,000-task account).
const indexes = new WeakMap<readonly InUseRevision[], RevisionIndex>();

function indexed(revisions: readonly InUseRevision[]): RevisionIndex {
  const known = indexes.get(revisions);
  if (known) return known;
  const byFamily = new Map<string, InUseRevision[]>();
  const byService = new Map<string, InUseRevision[]>();
  for (const revision of revisions) {
    append(byFamily, revision.family, revision);
    const placementsByService = new Map<string, InUseRevision["placements"][number][]>();
    for (const placement of revision.placements) {
      if (placement.service !== undefined)
        append(placementsByService, serviceKey(placement.cluster, placement.service), placement);
    }
    for (const [key, placements] of placementsByService) append(byService, key, { ...revision, placements });
  }
  const index = { byFamily, byService };
  indexes.set(revisions, index);
  return index;
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const serviceKey = (cluster: string, service: string): string => `${cluster}\u0000${service}`;

/** Config names an ECS cluster by its name or by its ARN; a sample of the recorded ids shows which. */
export function clusterResourceId(clusterArn: string, recordedSample: readonly string[]): string {
  return recordedSample.some((id) => id.startsWith("arn:")) ? clusterArn : nameFromArn(clusterArn);
}
