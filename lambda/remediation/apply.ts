import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import type { Clock } from "../util/clock";
import {
  type Journal,
  type JournalStore,
  registeredReplacement,
  type Scope,
  withMove,
  withRegistered,
} from "./journal";
import { replacementFor } from "./replacement";
import { chooseReplacement, describeLookAlike, type ReplacementLookup } from "./replacementChoice";
import { type RolloutOutcome, rolloutOutcome, type ServiceState } from "./rollout";
import { targetLabel, type WorkItem } from "./waves";

/** The ECS calls an apply makes, behind a narrow port (the adapter pages, paces and names permissions). */
export interface RemediationEcs extends ReplacementLookup {
  describeRevision(revisionArn: string): Promise<DescribeTaskDefinitionCommandOutput>;
  register(input: RegisterTaskDefinitionCommandInput): Promise<string>;
  /** `undefined` when the service is gone (MISSING, or INACTIVE). */
  describeService(cluster: string, service: string): Promise<ServiceState | undefined>;
  updateService(cluster: string, service: string, taskDefinitionArn: string): Promise<void>;
}

export interface ApplySettings {
  readonly scope: Scope;
  /** How long one service's deployment may take before the run stops. */
  readonly rolloutTimeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface ApplyDependencies {
  readonly ecs: RemediationEcs;
  readonly journal: JournalStore;
  readonly clock: Clock;
  /** One line of progress for a person (or the function's log). */
  readonly report: (line: string) => void;
}

export interface Registration {
  readonly revision: string;
  readonly replacementArn: string;
  readonly how: "registered" | "reused from the journal" | "reused (tagged replacement)";
}

export type ServiceOutcome =
  | { readonly kind: "moved"; readonly to: string }
  | { readonly kind: "already moved"; readonly to: string }
  | { readonly kind: "not touched"; readonly why: string };

export interface ServiceResult {
  readonly item: WorkItem;
  readonly outcome: ServiceOutcome;
}

export interface ApplyResult {
  readonly registrations: readonly Registration[];
  readonly services: readonly ServiceResult[];
  /** The first deployment that failed, was rolled back or did not finish in time; nothing after it was touched. */
  readonly stoppedAt?: { readonly item: WorkItem; readonly why: string };
  /** Standalone task groups: never stopped or started here. */
  readonly standalone: readonly WorkItem[];
}

/**
 * Carries out one batch: registers each offending revision's replacement once (or reuses one registered
 * before), moves each service to that exact ARN with one UpdateService, waits for its deployment, and stops
 * at the first one that fails. The journal is saved after every change, so a rerun resumes.
 */
export async function applyBatch(
  items: readonly WorkItem[],
  deps: ApplyDependencies,
  settings: ApplySettings,
): Promise<ApplyResult> {
  let journal = await deps.journal.load();
  const save = async (next: Journal) => {
    journal = next;
    await deps.journal.save(next);
  };
  const registrations: Registration[] = [];
  const services: ServiceResult[] = [];
  const replacements = new Map<string, string>();

  /**
   * The replacement of one revision: the journal's (verified, else the run is refused), a tagged revision that
   * is exactly the replacement, or a new registration. Recorded in the journal before it is used.
   */
  const ensureReplacement = async (item: WorkItem): Promise<string> => {
    const known = replacements.get(item.revisionArn);
    if (known !== undefined) return known;
    const replacement = replacementFor(await deps.ecs.describeRevision(item.revisionArn));
    const journaled = registeredReplacement(journal, settings.scope, item.revisionArn);
    const choice = await chooseReplacement(replacement, journaled, deps.ecs);
    for (const lookAlike of choice.lookAlikes)
      deps.report(`${item.revision}: ${describeLookAlike(lookAlike)}`);
    const registration: Registration =
      choice.kind === "reuse"
        ? {
            revision: item.revision,
            replacementArn: choice.arn,
            how: choice.source === "journal" ? "reused from the journal" : "reused (tagged replacement)",
          }
        : {
            revision: item.revision,
            replacementArn: await deps.ecs.register(replacement.input),
            how: "registered",
          };
    if (journaled !== registration.replacementArn)
      await save(withRegistered(journal, settings.scope, item.revisionArn, registration.replacementArn));
    deps.report(`${item.revision}: ${registration.how} ${registration.replacementArn}`);
    registrations.push(registration);
    replacements.set(item.revisionArn, registration.replacementArn);
    return registration.replacementArn;
  };

  // Every replacement is settled (and every journal entry verified) before the first service moves.
  for (const item of items) if (item.target.kind === "service") await ensureReplacement(item);

  for (const item of items) {
    if (item.target.kind !== "service") continue;
    const target = item.target;
    const label = targetLabel(target);
    const replacementArn = await ensureReplacement(item);
    const state = await deps.ecs.describeService(target.cluster, target.service);
    if (state === undefined) {
      services.push({ item, outcome: { kind: "not touched", why: "the service no longer exists" } });
      deps.report(`${label}: not touched, the service no longer exists`);
      continue;
    }
    const alreadyMoved = state.taskDefinition === replacementArn;
    if (!alreadyMoved) {
      if (state.taskDefinition !== item.revisionArn) {
        const why = `the service deploys ${state.taskDefinition ?? "no revision"} now, not ${item.revision}`;
        services.push({ item, outcome: { kind: "not touched", why } });
        deps.report(`${label}: not touched, ${why}`);
        continue;
      }
      await deps.ecs.updateService(target.cluster, target.service, replacementArn);
      await save(
        withMove(journal, settings.scope, target, {
          from: item.revisionArn,
          to: replacementArn,
          state: "updated",
          at: new Date(deps.clock.now()).toISOString(),
        }),
      );
      deps.report(`${label}: UpdateService to ${replacementArn}, waiting for the deployment`);
    } else {
      deps.report(`${label}: already deploys ${replacementArn}, waiting for the deployment`);
    }
    const outcome = await waitForRollout(target.cluster, target.service, replacementArn, deps, settings);
    if (outcome.state !== "completed") {
      const why =
        outcome.state === "in-progress"
          ? `the deployment did not finish within ${Math.round(settings.rolloutTimeoutMs / 1000)} s (${outcome.detail})`
          : `the deployment ${outcome.state === "failed" ? "failed" : "was rolled back"}: ${outcome.why}`;
      deps.report(`${label}: stopped, ${why}`);
      return { registrations, services, stoppedAt: { item, why }, standalone: standaloneOf(items) };
    }
    await save(
      withMove(journal, settings.scope, target, {
        from: item.revisionArn,
        to: replacementArn,
        state: "completed",
        at: new Date(deps.clock.now()).toISOString(),
      }),
    );
    services.push({ item, outcome: { kind: alreadyMoved ? "already moved" : "moved", to: replacementArn } });
    deps.report(`${label}: deployment completed`);
  }
  return { registrations, services, standalone: standaloneOf(items) };
}

function standaloneOf(items: readonly WorkItem[]): WorkItem[] {
  return items.filter((item) => item.target.kind === "standalone");
}

async function waitForRollout(
  cluster: string,
  service: string,
  taskDefinitionArn: string,
  deps: ApplyDependencies,
  settings: ApplySettings,
): Promise<RolloutOutcome> {
  const deadline = deps.clock.now() + settings.rolloutTimeoutMs;
  for (;;) {
    const state = await deps.ecs.describeService(cluster, service);
    const outcome: RolloutOutcome =
      state === undefined
        ? { state: "failed", why: "the service disappeared during its deployment" }
        : rolloutOutcome(state, taskDefinitionArn);
    if (outcome.state !== "in-progress" || deps.clock.now() >= deadline) return outcome;
    await deps.clock.sleep(Math.min(settings.pollIntervalMs, Math.max(0, deadline - deps.clock.now())));
  }
}
