import { MissingPermissionError, RefusedReplacementError } from "../../errors";
import type { Clock } from "../../util/clock";
import {
  type Journal,
  type JournalMove,
  pendingMoves,
  registeredReplacement,
  type Scope,
  withMove,
  withRegistered,
} from "../core/journal";
import { type Replacement, replacementDifferences, replacementFor } from "../core/replacement";
import { describeLookAlike, differenceText } from "../core/replacementChoice";
import { type RolloutOutcome, rolloutOutcome } from "../core/rollout";
import { targetLabel, type WorkItem } from "../core/waves";
import type { JournalStore, RemediationEcs } from "../ports";
import { chooseReplacement } from "./replacementChoice";

export interface ApplySettings {
  readonly scope: Scope;
  /** How long one service's deployment is waited for; one still running then is "in progress". */
  readonly rolloutTimeoutMs: number;
  /** How often a deployment is read while waiting; each read reports a line of progress. */
  readonly pollIntervalMs: number;
  /**
   * The roles (names) a registration may pass to ECS: a replacement whose task or execution role is not
   * among them is a manual step. Absent: any role (the caller's own permissions decide).
   */
  readonly passableRoles?: ReadonlySet<string>;
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

/** What a person (or another system) must do, because ECS's APIs do not let this tool do it. */
export type ManualStep =
  /** A CODE_DEPLOY service: a CodeDeploy deployment of the replacement (ECS's APIs name no application). */
  | { readonly kind: "codedeploy-deployment"; readonly item: WorkItem; readonly replacementArn: string }
  /** An EXTERNAL service: a new task set with the replacement, made by its external controller. */
  | { readonly kind: "task-set"; readonly item: WorkItem; readonly replacementArn: string }
  /** Standalone tasks: whoever starts them starts the replacement; this tool never stops or starts tasks. */
  | { readonly kind: "run-task"; readonly item: WorkItem; readonly replacementArn: string }
  /** The replacement could not be registered here (its roles may not be passed): register it by hand. */
  | { readonly kind: "register"; readonly item: WorkItem; readonly why: string };

export type ServiceOutcome =
  | { readonly kind: "moved"; readonly to: string }
  | { readonly kind: "already moved"; readonly to: string }
  /** The deployment was still running when the wait ended: the next run checks it again. */
  | { readonly kind: "in progress"; readonly to: string; readonly detail: string }
  | { readonly kind: "manual step"; readonly step: ManualStep }
  | { readonly kind: "not touched"; readonly why: string };

export interface ServiceResult {
  readonly item: WorkItem;
  readonly outcome: ServiceOutcome;
}

/** A move a journal records as begun by an earlier run (its target not among this run's items). */
export interface ReconciledMove {
  readonly service: string;
  readonly move: JournalMove;
  /** `failed`: the deployment failed or was rolled back; `other`: nothing to finish here. */
  readonly state: "completed" | "in progress" | "failed" | "other";
  readonly outcome: string;
}

export interface ApplyResult {
  readonly registrations: readonly Registration[];
  readonly services: readonly ServiceResult[];
  /** Moves an earlier run began (the journal's intents), checked against what each service runs now. */
  readonly reconciled: readonly ReconciledMove[];
  /** The first deployment that failed or was rolled back; nothing after it was touched. */
  readonly stoppedAt?: { readonly item: WorkItem; readonly why: string };
  /** A deployment still running when the wait ended; nothing after it was touched, the next run re-checks. */
  readonly inProgressAt?: { readonly item: WorkItem; readonly detail: string };
  /** What remains for people: CodeDeploy and external services, standalone tasks, registrations refused. */
  readonly manualSteps: readonly ManualStep[];
}

/** `arn:aws:iam::111122223333:role/path/app-task` and `app-task` both name the role `app-task`. */
export function roleName(role: string): string {
  return role.slice(role.lastIndexOf("/") + 1);
}

/** The roles registering `replacement` passes to ECS that `passable` does not allow. */
function unpassableRoles(replacement: Replacement, passable: ReadonlySet<string> | undefined): string[] {
  if (passable === undefined) return [];
  return [replacement.input.taskRoleArn, replacement.input.executionRoleArn]
    .filter((role): role is string => role !== undefined && role !== "")
    .filter((role) => !passable.has(roleName(role)));
}

type Resolved = { readonly arn: string } | { readonly manual: string };

/**
 * Carries out one batch: settles each offending revision's replacement (a verified one registered before, or a
 * new registration), then moves each ECS-controlled service to that exact ARN with one UpdateService and waits
 * for its deployment, stopping at the first that fails. The journal records the intent before UpdateService,
 * so a run killed at any point leaves what the next run needs to finish: it reconciles every recorded intent
 * with what the service runs. CodeDeploy and external services, standalone tasks and replacements that may not
 * be registered here become manual steps; the run goes on with the rest.
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
  const manualSteps: ManualStep[] = [];
  const resolved = new Map<string, Resolved>();
  const replacements = new Map<string, Replacement>();

  const replacementOf = async (revisionArn: string): Promise<Replacement> => {
    const known = replacements.get(revisionArn);
    if (known !== undefined) return known;
    const replacement = replacementFor(await deps.ecs.describeRevision(revisionArn));
    replacements.set(revisionArn, replacement);
    return replacement;
  };

  /**
   * The replacement of one revision: the journal's (verified, else the run is refused), a tagged revision that
   * is exactly the replacement, or a new registration, recorded in the journal before it is used.
   */
  const ensureReplacement = async (item: WorkItem): Promise<Resolved> => {
    const known = resolved.get(item.revisionArn);
    if (known !== undefined) return known;
    const replacement = await replacementOf(item.revisionArn);
    const journaled = registeredReplacement(journal, settings.scope, item.revisionArn);
    const choice = await chooseReplacement(replacement, journaled, deps.ecs);
    for (const lookAlike of choice.lookAlikes)
      deps.report(`${item.revision}: ${describeLookAlike(lookAlike)}`);
    let result: Resolved;
    if (choice.kind === "reuse") {
      const how = choice.source === "journal" ? "reused from the journal" : "reused (tagged replacement)";
      registrations.push({ revision: item.revision, replacementArn: choice.arn, how });
      deps.report(`${item.revision}: ${how} ${choice.arn}`);
      result = { arn: choice.arn };
    } else {
      const unpassable = unpassableRoles(replacement, settings.passableRoles);
      if (unpassable.length > 0) {
        result = {
          manual: `its replacement passes ${unpassable.join(" and ")}, which the remediation may not pass to ECS: register it by hand`,
        };
      } else {
        try {
          const arn = await deps.ecs.register(replacement.input);
          registrations.push({ revision: item.revision, replacementArn: arn, how: "registered" });
          deps.report(`${item.revision}: registered ${arn}`);
          result = { arn };
        } catch (error) {
          // Registering passes the task and execution roles: a denied PassRole leaves it to a person.
          if (!(error instanceof MissingPermissionError && error.permission === "iam:PassRole")) throw error;
          result = {
            manual: `registering its replacement was denied iam:PassRole (${error.detail}): register it by hand`,
          };
        }
      }
    }
    if ("arn" in result && journaled !== result.arn)
      await save(withRegistered(journal, settings.scope, item.revisionArn, result.arn));
    if ("manual" in result) deps.report(`${item.revision}: ${result.manual}`);
    resolved.set(item.revisionArn, result);
    return result;
  };

  const now = () => new Date(deps.clock.now()).toISOString();
  const serviceItems = items.filter((item) => item.target.kind === "service");
  const inItems = new Set(serviceItems.map((item) => targetLabel(item.target)));

  // Every replacement is settled (and every journal entry verified) before the first service moves.
  for (const item of items) await ensureReplacement(item);
  // Moves an earlier run began and did not see finish: verified like a registration, then checked.
  const reconciled: ReconciledMove[] = [];
  for (const pending of pendingMoves(journal, settings.scope)) {
    if (inItems.has(`${pending.cluster}/${pending.service}`)) continue;
    reconciled.push(await reconcile(pending, deps, settings, replacementOf, save, () => journal, now));
  }

  for (const item of serviceItems) {
    if (item.target.kind !== "service") continue;
    const target = item.target;
    const label = targetLabel(target);
    const replacement = resolved.get(item.revisionArn);
    if (replacement === undefined || "manual" in replacement) {
      const step: ManualStep = { kind: "register", item, why: replacement?.manual ?? "no replacement" };
      manualSteps.push(step);
      services.push({ item, outcome: { kind: "manual step", step } });
      continue;
    }
    const replacementArn = replacement.arn;
    const state = await deps.ecs.describeService(target.cluster, target.service);
    if (state === undefined) {
      services.push({ item, outcome: { kind: "not touched", why: "the service no longer exists" } });
      deps.report(`${label}: not touched, the service no longer exists`);
      continue;
    }
    const controller = state.deploymentController ?? "ECS";
    if (controller === "CODE_DEPLOY" || controller === "EXTERNAL") {
      const step: ManualStep = {
        kind: controller === "CODE_DEPLOY" ? "codedeploy-deployment" : "task-set",
        item,
        replacementArn,
      };
      manualSteps.push(step);
      services.push({ item, outcome: { kind: "manual step", step } });
      deps.report(
        `${label}: not moved here (deployment controller ${controller}): ${controller === "CODE_DEPLOY" ? "start a CodeDeploy deployment" : "create a task set"} with ${replacementArn}`,
      );
      continue;
    }
    if (controller !== "ECS") {
      services.push({
        item,
        outcome: { kind: "not touched", why: `unknown deployment controller ${controller}` },
      });
      deps.report(`${label}: not touched, unknown deployment controller ${controller}`);
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
      // Write-ahead: the intent is on disk before ECS is asked, so a kill at any point leaves it behind.
      const move = { from: item.revisionArn, to: replacementArn, at: now() };
      await save(withMove(journal, settings.scope, target, { ...move, state: "intended" }));
      await deps.ecs.updateService(target.cluster, target.service, replacementArn);
      await save(withMove(journal, settings.scope, target, { ...move, state: "updated", at: now() }));
      deps.report(`${label}: UpdateService to ${replacementArn}, waiting for the deployment`);
    } else {
      deps.report(`${label}: already deploys ${replacementArn}, waiting for the deployment`);
    }
    const outcome = await waitForRollout(target.cluster, target.service, replacementArn, deps, settings);
    if (outcome.state === "in-progress") {
      const detail = `the deployment was still running after ${Math.round(settings.rolloutTimeoutMs / 1000)} s (${outcome.detail}); run again to check it`;
      services.push({ item, outcome: { kind: "in progress", to: replacementArn, detail } });
      deps.report(`${label}: in progress, ${detail}`);
      return result({ inProgressAt: { item, detail } });
    }
    if (outcome.state !== "completed") {
      const why = `the deployment ${outcome.state === "failed" ? "failed" : "was rolled back"}: ${outcome.why}`;
      deps.report(`${label}: stopped, ${why}`);
      return result({ stoppedAt: { item, why } });
    }
    await save(
      withMove(journal, settings.scope, target, {
        from: item.revisionArn,
        to: replacementArn,
        state: "completed",
        at: now(),
      }),
    );
    services.push({ item, outcome: { kind: alreadyMoved ? "already moved" : "moved", to: replacementArn } });
    deps.report(`${label}: deployment completed`);
  }

  for (const item of items) {
    if (item.target.kind !== "standalone") continue;
    const replacement = resolved.get(item.revisionArn);
    manualSteps.push(
      replacement === undefined || "manual" in replacement
        ? { kind: "register", item, why: replacement?.manual ?? "no replacement" }
        : { kind: "run-task", item, replacementArn: replacement.arn },
    );
  }
  return result({});

  function result(end: Pick<ApplyResult, "stoppedAt" | "inProgressAt">): ApplyResult {
    return { registrations, services, reconciled, manualSteps, ...end };
  }
}

/**
 * One intent an earlier run recorded for a service this run does not move: its `to` must still be the
 * verified replacement of its `from` (else the run is refused, as for a registration), then the service says
 * what happened: it deploys `to` (wait for it, then record it completed), still `from` (UpdateService never
 * took effect: the wave that has it moves it), or something else (left alone).
 */
async function reconcile(
  pending: { cluster: string; service: string; move: JournalMove },
  deps: ApplyDependencies,
  settings: ApplySettings,
  replacementOf: (revisionArn: string) => Promise<Replacement>,
  save: (journal: Journal) => Promise<void>,
  journal: () => Journal,
  now: () => string,
): Promise<ReconciledMove> {
  const label = `${pending.cluster}/${pending.service}`;
  const { move } = pending;
  const replacement = await replacementOf(move.from);
  const differences = replacementDifferences(replacement, await deps.ecs.describeRevision(move.to));
  if (differences.length > 0) {
    throw new RefusedReplacementError(
      `the journal records moving ${label} from ${move.from} to ${move.to}, but ${move.to} is not the replacement of ${replacement.replaces} (family ${replacement.family}): it differs in ${differenceText(differences)}; nothing was moved: remove the entry (or the journal) and run again`,
    );
  }
  const done = (outcome: string, state: ReconciledMove["state"] = "other"): ReconciledMove => {
    deps.report(`${label}: ${outcome}`);
    return { service: label, move, state, outcome };
  };
  const state = await deps.ecs.describeService(pending.cluster, pending.service);
  if (state === undefined) return done("the journal records a move begun, but the service no longer exists");
  if (state.taskDefinition === move.from)
    return done(
      `the journal records a move begun, but the service still deploys ${move.from}: its wave moves it`,
    );
  if (state.taskDefinition !== move.to)
    return done(
      `the journal records a move to ${move.to}, but the service deploys ${state.taskDefinition ?? "no revision"} now: left alone`,
    );
  deps.report(
    `${label}: the journal records a move begun to ${move.to}, which the service deploys: waiting for it`,
  );
  const outcome = await waitForRollout(pending.cluster, pending.service, move.to, deps, settings);
  if (outcome.state === "completed") {
    await save(withMove(journal(), settings.scope, pending, { ...move, state: "completed", at: now() }));
    return done("deployment completed (a move an earlier run began)", "completed");
  }
  return outcome.state === "in-progress"
    ? done(`in progress (${outcome.detail}); run again to check it`, "in progress")
    : done(
        `the deployment ${outcome.state === "failed" ? "failed" : "was rolled back"}: ${outcome.why}`,
        "failed",
      );
}

async function waitForRollout(
  cluster: string,
  service: string,
  taskDefinitionArn: string,
  deps: ApplyDependencies,
  settings: ApplySettings,
): Promise<RolloutOutcome> {
  const started = deps.clock.now();
  const deadline = started + settings.rolloutTimeoutMs;
  for (;;) {
    const state = await deps.ecs.describeService(cluster, service);
    const outcome: RolloutOutcome =
      state === undefined
        ? { state: "failed", why: "the service disappeared during its deployment" }
        : rolloutOutcome(state, taskDefinitionArn);
    if (outcome.state !== "in-progress" || deps.clock.now() >= deadline) return outcome;
    deps.report(
      `${cluster}/${service}: waiting for the deployment of ${taskDefinitionArn}: ${outcome.detail} (${Math.round((deps.clock.now() - started) / 1000)} s)`,
    );
    await deps.clock.sleep(Math.min(settings.pollIntervalMs, Math.max(0, deadline - deps.clock.now())));
  }
}

/** One line a person reads for a manual step, in the domain's words (the command line adds the commands). */
export function describeManualStep(step: ManualStep): string {
  const label = targetLabel(step.item.target);
  switch (step.kind) {
    case "codedeploy-deployment":
      return `${label} (deployment controller CODE_DEPLOY): start a CodeDeploy deployment of ${step.replacementArn} in the service's application and deployment group (ECS does not name them)`;
    case "task-set":
      return `${label} (deployment controller EXTERNAL): create a task set with ${step.replacementArn}, then make it the primary one`;
    case "run-task":
      return `${label} runs ${step.item.revision} in ${step.item.runningTasks} standalone task(s): whoever starts them starts ${step.replacementArn} instead; nothing here stops or starts tasks`;
    case "register":
      return `${label} runs ${step.item.revision}: ${step.why}`;
  }
}
