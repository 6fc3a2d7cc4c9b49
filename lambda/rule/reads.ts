import type { RevisionFacts } from "../core/inUseView";
import type { ServiceState } from "../core/services";
import { errorText } from "../util/errorText";
import type { AccountPorts } from "./ports";

/**
 * Describes revisions (task definition and daemon ARNs; other references are resolved first) and says
 * which could not be described. Facts are keyed by what was asked for and by the revision's ARN.
 */
export async function describeRevisions(
  ports: AccountPorts,
  references: Iterable<string>,
  shouldStop: () => boolean,
): Promise<{ facts: Map<string, RevisionFacts>; unreadParts: string[] }> {
  const unique = [...new Set(references)];
  const arns = unique.filter((reference) => reference.startsWith("arn:"));
  const others = unique.filter((reference) => !reference.startsWith("arn:"));
  const described = await ports.revisions.describeAll(arns, shouldStop);
  const facts = new Map(described.facts);
  const unreadParts = [...described.unread].map(([arn, why]) => `revision ${arn}: ${why}`);
  await Promise.all(
    others.map(async (reference) => {
      try {
        const resolved = await ports.revisions.describeReference(reference);
        facts.set(reference, resolved);
        facts.set(resolved.arn, resolved);
      } catch (error) {
        unreadParts.push(`task definition ${reference}: ${errorText(error)}`);
      }
    }),
  );
  return { facts, unreadParts };
}

/**
 * The revisions services want to roll out, and their task sets' (while in scope): their verdicts depend on
 * them even before a task runs.
 */
export function wantedReferences(services: Iterable<ServiceState>): string[] {
  const wanted: string[] = [];
  for (const service of services) {
    if (service.wanted !== undefined) wanted.push(service.wanted);
    for (const taskSet of service.taskSets)
      if ((taskSet.wantsTasks || taskSet.runsTasks) && taskSet.taskDefinition)
        wanted.push(taskSet.taskDefinition);
  }
  return wanted;
}
