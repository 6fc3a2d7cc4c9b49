import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { revisionLabel } from "../core/taskDefinitionRef";
import { EcsAnswerError, ReplacementError } from "../errors";

/** The tag on a replacement revision that names the revision it replaces (`family:revision`). */
export const REPLACES_TAG = "ecs-pid-mode:replaces";

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept: ECS sets them itself. */
const READ_ONLY_FIELDS = [
  "taskDefinitionArn",
  "revision",
  "status",
  "requiresAttributes",
  "compatibilities",
  "registeredAt",
  "registeredBy",
  "deregisteredAt",
] as const;

/** ECS allows 50 tags a resource, each value at most 256 characters; `aws:` keys are AWS's own. */
const MAX_TAGS = 50;
const MAX_TAG_VALUE = 256;

export interface Replacement {
  /** `family:revision` of the revision to replace. */
  readonly replaces: string;
  readonly family: string;
  /** The RegisterTaskDefinition request: the same definition without `pidMode`, its tags and the replaces tag. */
  readonly input: RegisterTaskDefinitionCommandInput;
}

/**
 * The replacement for one revision, from its DescribeTaskDefinition answer (asked with `include: ["TAGS"]`).
 * Without `pidMode` every container gets its own process namespace, which is what ECS.3 wants.
 */
export function replacementFor(
  described: Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">,
): Replacement {
  const definition = described.taskDefinition;
  if (definition?.family === undefined || definition.revision === undefined) {
    throw new EcsAnswerError("DescribeTaskDefinition returned no family and revision");
  }
  const replaces = revisionLabel({ family: definition.family, revision: definition.revision });
  if (replaces.length > MAX_TAG_VALUE) {
    throw new ReplacementError(`${replaces}: the name is longer than a tag value may be (${MAX_TAG_VALUE})`);
  }
  const input: Record<string, unknown> = { ...definition };
  for (const field of READ_ONLY_FIELDS) delete input[field];
  delete input.pidMode;
  // A replacement of a replacement keeps only the newest replaces tag; aws: tags cannot be set by anyone.
  const tags = (described.tags ?? []).filter(
    (tag) => tag.key !== REPLACES_TAG && !tag.key?.toLowerCase().startsWith("aws:"),
  );
  if (tags.length + 1 > MAX_TAGS) {
    throw new ReplacementError(
      `${replaces} has ${tags.length} tags: with the ${REPLACES_TAG} tag the replacement would exceed ECS's ${MAX_TAGS}`,
    );
  }
  input.tags = [...tags, { key: REPLACES_TAG, value: replaces }];
  return {
    replaces,
    family: definition.family,
    input: input as unknown as RegisterTaskDefinitionCommandInput,
  };
}
