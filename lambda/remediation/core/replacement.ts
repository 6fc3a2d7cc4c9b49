import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { revisionLabel } from "../../core/taskDefinitionRef";
import { EcsAnswerError, ReplacementError } from "../../errors";
import { registerInputDifferences, registerInputOf, type Tag } from "./registerInput";

/** The tag on a replacement revision that names the revision it replaces (`family:revision`). */
export const REPLACES_TAG = "ecs-pid-mode:replaces";

/** ECS allows 50 tags a resource, each value at most 256 characters; `aws:` keys are AWS's own. */
const MAX_TAGS = 50;
const MAX_TAG_VALUE = 256;

export interface Replacement {
  /** `family:revision` of the revision to replace. */
  readonly replaces: string;
  readonly family: string;
  /** The number of the revision it replaces. */
  readonly revision: number;
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
  const input: Record<string, unknown> = { ...registerInputOf(definition, undefined) };
  delete input.pidMode;
  // A replacement of a replacement keeps only the newest replaces tag; aws: tags cannot be set by anyone.
  const tags = settableTags(described.tags).filter((tag) => tag.key !== REPLACES_TAG);
  if (tags.length + 1 > MAX_TAGS) {
    throw new ReplacementError(
      `${replaces} has ${tags.length} tags: with the ${REPLACES_TAG} tag the replacement would exceed ECS's ${MAX_TAGS}`,
    );
  }
  input.tags = [...tags, { key: REPLACES_TAG, value: replaces }];
  return {
    replaces,
    family: definition.family,
    revision: definition.revision,
    input: input as unknown as RegisterTaskDefinitionCommandInput,
  };
}

/** Tags anyone can set: `aws:` keys are AWS's own (CloudFormation's, for one) and never register input. */
function settableTags(tags: readonly Tag[] | undefined): Tag[] {
  return (tags ?? []).filter((tag) => !tag.key?.toLowerCase().startsWith("aws:"));
}

/**
 * What makes a described revision other than `replacement`'s register input, as paths
 * (`containerDefinitions[0].privileged`); empty when registering the input again would define the same
 * revision: same family, images, roles, privileges, volumes, tags, everything, with ECS's defaults set aside.
 */
export function replacementDifferences(
  replacement: Replacement,
  candidate: Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">,
): string[] {
  if (candidate.taskDefinition === undefined) return ["(no task definition in the answer)"];
  let actual: RegisterTaskDefinitionCommandInput;
  try {
    actual = registerInputOf(candidate.taskDefinition, settableTags(candidate.tags));
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  return registerInputDifferences(replacement.input, actual);
}
