import type { DescribeTaskDefinitionCommandOutput } from "@aws-sdk/client-ecs";
import { revisionLabel } from "../../lambda/core/taskDefinitionRef";
import type { Placement } from "../../lambda/core/types";

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

export interface ServicePlacement {
  readonly cluster: string;
  readonly service: string;
}

/** What to do about one revision that shares the host PID namespace. Nothing here is executed. */
export interface RevisionFix {
  /** `family:revision` of the offending revision. */
  readonly revision: string;
  /** Input for `aws ecs register-task-definition --cli-input-json`: the same revision without `pidMode`. */
  readonly registerTaskDefinitionInput: Record<string, unknown>;
  /** Services whose RUNNING tasks use the revision: point them at the new one. */
  readonly services: readonly ServicePlacement[];
  /** Clusters where standalone tasks use the revision: whoever starts them must start the new one. */
  readonly standaloneTaskClusters: readonly string[];
}

/**
 * The fix for one revision, from its DescribeTaskDefinition answer (asked with `include: ["TAGS"]`) and
 * where it runs. Without `pidMode` every container gets its own process namespace, which is what ECS.3 wants.
 */
export function planRevisionFix(
  described: Pick<DescribeTaskDefinitionCommandOutput, "taskDefinition" | "tags">,
  placements: readonly Placement[],
): RevisionFix {
  const definition = described.taskDefinition;
  if (definition?.family === undefined || definition.revision === undefined) {
    throw new Error("DescribeTaskDefinition returned no family and revision");
  }
  const input: Record<string, unknown> = { ...definition };
  for (const field of READ_ONLY_FIELDS) delete input[field];
  delete input.pidMode;
  if (described.tags !== undefined && described.tags.length > 0) input.tags = described.tags;

  const services = new Map<string, ServicePlacement>();
  const standalone = new Set<string>();
  for (const placement of placements) {
    if (placement.service === undefined) standalone.add(placement.cluster);
    else
      services.set(`${placement.cluster}/${placement.service}`, {
        cluster: placement.cluster,
        service: placement.service,
      });
  }
  return {
    revision: revisionLabel({ family: definition.family, revision: definition.revision }),
    registerTaskDefinitionInput: input,
    services: [...services.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, service]) => service),
    standaloneTaskClusters: [...standalone].sort(),
  };
}

/** The shell variable that holds the ARN of the revision registered to replace this one. */
function variableFor(fix: RevisionFix): string {
  return `NEW_${fix.revision.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

/** The fix plan as a person reads it: the commands, then the JSON to feed them. */
export function formatFixPlan(fixes: readonly RevisionFix[]): string {
  if (fixes.length === 0) return "Fix plan: nothing to fix.\n";
  const sections = fixes.map((fix) => {
    const moves = [
      ...fix.services.map(
        (placement) =>
          `  aws ecs update-service --cluster ${placement.cluster} --service ${placement.service} --task-definition "$${variableFor(fix)}"`,
      ),
      ...fix.standaloneTaskClusters.map(
        (cluster) => `  standalone tasks in cluster ${cluster}: start them from the new revision`,
      ),
    ];
    const file = `${fix.revision.replace(":", "-")}.json`;
    const variable = variableFor(fix);
    return [
      `# ${fix.revision}: register it again without pidMode "host" (save the JSON below as ${file}).`,
      "# Keep the new revision's ARN: with several revisions of one family to fix, the family name alone would",
      "# move every service to whichever was registered last.",
      `  ${variable}=$(aws ecs register-task-definition --cli-input-json file://${file} --query taskDefinition.taskDefinitionArn --output text)`,
      "# then move what runs it to the new revision:",
      ...moves,
      JSON.stringify(fix.registerTaskDefinitionInput, null, 2),
    ].join("\n");
  });
  return `Fix plan (read-only: nothing was changed)\n\n${sections.join("\n\n")}\n`;
}
