import { type ApprovedException, matchException } from "../../core/approvedExceptions";
import type { InUseRevision, InUseView, RevisionFacts } from "../../core/inUseView";
import { revisionLabel } from "../../core/taskDefinitionRef";
import { MissingPermissionError, RefusedReplacementError } from "../../errors";
import { errorText } from "../../util/errorText";
import { classifyExposure } from "../core/exposure";
import { type Journal, registeredReplacement } from "../core/journal";
import { classifyProduction, type ProductionRule } from "../core/production";
import { type Replacement, replacementFor } from "../core/replacement";
import type { ReplacementChoice } from "../core/replacementChoice";
import { planWaves, type Wave, type WorkItem, type WorkTarget } from "../core/waves";
import type { ExposureSource, RemediationEcs, ReplacementLookup } from "../ports";
import { chooseReplacement } from "./replacementChoice";

/** A host-PID revision in use that an unexpired exception covers: listed apart, never in a wave. */
export interface ExemptedRevision {
  readonly revision: string;
  readonly owner: string;
  readonly expires: string;
  readonly reason: string;
  readonly placements: InUseRevision["placements"];
}

export interface RegionPlan {
  readonly region: string;
  readonly accountId: string;
  /** The replacement of each offending revision, by its ARN. */
  readonly replacements: ReadonlyMap<string, Replacement>;
  /** With a journal to plan against: whether each replacement is reused (which ARN) or registered. */
  readonly choices: ReadonlyMap<string, ReplacementChoice>;
  readonly waves: readonly Wave[];
  readonly exempted: readonly ExemptedRevision[];
  readonly unreadParts: readonly string[];
}

export interface PlanInput {
  readonly region: string;
  readonly accountId: string;
  readonly view: InUseView;
  readonly facts: ReadonlyMap<string, RevisionFacts>;
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  readonly productionRules: readonly ProductionRule[];
  readonly batchSize: number;
  /** Only these families (the remediation function's one family); all when absent. */
  readonly families?: ReadonlySet<string>;
  /**
   * Plan what an apply would do with this journal: reuse a verified replacement or register one (a journal
   * entry that is not the true replacement is refused). Without it the plan reads nothing more.
   */
  readonly journal?: Journal;
}

export interface PlanDependencies {
  readonly ecs: Pick<RemediationEcs, "describeRevision"> &
    Partial<Pick<ReplacementLookup, "taggedCandidates">>;
  readonly exposure: ExposureSource;
}

/**
 * The campaign for one account and Region: each host-PID revision in use without a valid exception, who runs
 * it, how exposed and how "production" each of them is, in waves; the exempted ones apart.
 */
export async function planRegion(input: PlanInput, deps: PlanDependencies): Promise<RegionPlan> {
  const { offending, exempted } = sortOutExempted(input);
  const unreadParts: string[] = [];
  const replacements = await readReplacements(offending, input, deps, unreadParts);
  const read = await deps.exposure.read(offending);
  unreadParts.push(...read.unreadParts);
  const labels = new Map(offending.map((revision) => [revision.arn, revisionLabel(revision)]));
  const items: WorkItem[] = read.targets.map((facts) => ({
    revision: labels.get(facts.revisionArn) ?? facts.revisionArn,
    revisionArn: facts.revisionArn,
    target: facts.target,
    runningTasks: facts.runningTasks,
    ...(facts.target.kind === "standalone"
      ? { startedBy: facts.startedBy, ...(facts.launch === undefined ? {} : { launch: facts.launch }) }
      : {
          deploymentController: facts.deploymentController,
          loadBalancerContainer: facts.loadBalancerContainer,
        }),
    exposure: classifyExposure(facts.exposure),
    production: classifyProduction(input.productionRules, {
      cluster: facts.target.cluster,
      serviceTags: facts.target.kind === "service" ? facts.serviceTags : [],
      taskDefinitionTags: replacements.definitionTags.get(facts.revisionArn),
      clusterTags: facts.clusterTags,
    }),
  }));
  items.push(...notFoundAgain(offending, items, input.productionRules));
  return {
    region: input.region,
    accountId: input.accountId,
    replacements: replacements.byArn,
    choices: replacements.choices,
    waves: planWaves(items, input.batchSize),
    exempted: exempted.sort((a, b) => a.revision.localeCompare(b.revision)),
    unreadParts: unreadParts.sort(),
  };
}

/** The host-PID revisions in use (of the families asked for): those a valid exception covers, and the rest. */
function sortOutExempted(input: PlanInput): { offending: InUseRevision[]; exempted: ExemptedRevision[] } {
  const offending: InUseRevision[] = [];
  const exempted: ExemptedRevision[] = [];
  for (const revision of input.view.revisions) {
    if (input.families !== undefined && !input.families.has(revision.family)) continue;
    if (input.facts.get(revision.arn)?.pidMode !== "host") continue;
    const match = matchException(input.exceptions, revision, input.accountId, input.now);
    if (match?.status === "valid") {
      exempted.push({
        revision: revisionLabel(revision),
        owner: match.exception.owner,
        expires: match.exception.expires,
        reason: match.exception.reason,
        placements: revision.placements,
      });
    } else offending.push(revision);
  }
  return { offending, exempted };
}

interface ReplacementsRead {
  readonly byArn: Map<string, Replacement>;
  readonly choices: Map<string, ReplacementChoice>;
  readonly definitionTags: Map<string, readonly { key?: string; value?: string }[]>;
}

/** Each offending revision's replacement (and, with a journal, whether it is reused); a failed read is noted. */
async function readReplacements(
  offending: readonly InUseRevision[],
  input: PlanInput,
  deps: PlanDependencies,
  unreadParts: string[],
): Promise<ReplacementsRead> {
  const read: ReplacementsRead = { byArn: new Map(), choices: new Map(), definitionTags: new Map() };
  for (const revision of offending) {
    try {
      const described = await deps.ecs.describeRevision(revision.arn);
      const replacement = replacementFor(described);
      read.byArn.set(revision.arn, replacement);
      read.definitionTags.set(revision.arn, described.tags ?? []);
      const taggedCandidates = deps.ecs.taggedCandidates?.bind(deps.ecs);
      if (input.journal !== undefined && taggedCandidates !== undefined) {
        const scope = { accountId: input.accountId, region: input.region };
        const journaled = registeredReplacement(input.journal, scope, revision.arn);
        read.choices.set(
          revision.arn,
          await chooseReplacement(replacement, journaled, {
            describeRevision: (arn) => deps.ecs.describeRevision(arn),
            taggedCandidates,
          }),
        );
      }
    } catch (error) {
      if (error instanceof MissingPermissionError || error instanceof RefusedReplacementError) throw error;
      unreadParts.push(`replacement for ${revisionLabel(revision)}: ${errorText(error)}`);
    }
  }
  return read;
}

/**
 * A place the first read saw that the second did not (its cluster unread, or the tasks stopped since): kept,
 * with what decides its wave unknown.
 */
function notFoundAgain(
  offending: readonly InUseRevision[],
  found: readonly WorkItem[],
  productionRules: readonly ProductionRule[],
): WorkItem[] {
  const seen = new Set(found.map((item) => itemKey(item.revisionArn, item.target)));
  const items: WorkItem[] = [];
  for (const revision of offending) {
    for (const placement of revision.placements) {
      const target: WorkTarget =
        placement.service === undefined
          ? { kind: "standalone", cluster: placement.cluster }
          : { kind: "service", cluster: placement.cluster, service: placement.service };
      if (seen.has(itemKey(revision.arn, target))) continue;
      items.push({
        revision: revisionLabel(revision),
        revisionArn: revision.arn,
        target,
        runningTasks: 0,
        exposure: { status: "unknown", unread: ["its tasks were not found when read again"] },
        production: classifyProduction(productionRules, { cluster: placement.cluster }),
      });
    }
  }
  return items;
}

function itemKey(revisionArn: string, target: WorkTarget): string {
  return `${revisionArn}|${target.cluster}|${target.kind === "service" ? target.service : ""}`;
}
