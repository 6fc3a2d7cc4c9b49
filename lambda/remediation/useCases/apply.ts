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
import { type RolloutOutcome, rolloutOutcome, type ServiceRollout } from "../core/rollout";
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

type ServiceTarget = Extract<WorkItem["target"], { kind: "service" }>;

/** Why a run ends before the end of its batch; `{}` when it goes through. */
type RunEnd = Pick<ApplyResult, "stoppedAt" | "inProgressAt">;

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
  return new BatchRun(await deps.journal.load(), deps, settings).apply(items);
}

/** One batch being applied: the journal as it stands, and what the run has settled and done so far. */
class BatchRun {
  private readonly registrations: Registration[] = [];
  private readonly services: ServiceResult[] = [];
  private readonly manualSteps: ManualStep[] = [];
  private readonly reconciled: ReconciledMove[] = [];
  private readonly resolved = new Map<string, Resolved>();
  private readonly replacements = new Map<string, Replacement>();

  constructor(
    private journal: Journal,
    private readonly deps: ApplyDependencies,
    private readonly settings: ApplySettings,
  ) {}

  async apply(items: readonly WorkItem[]): Promise<ApplyResult> {
    const serviceItems = items.filter((item) => item.target.kind === "service");
    // Every replacement is settled (and every journal entry verified) before the first service moves.
    for (const item of items) await this.ensureReplacement(item);
    await this.reconcileEarlierMoves(new Set(serviceItems.map((item) => targetLabel(item.target))));
    for (const item of serviceItems) {
      const end = await this.moveService(item);
      if (end !== undefined) return this.result(end);
    }
    this.addStandaloneSteps(items);
    return this.result({});
  }

  private result(end: RunEnd): ApplyResult {
    const { registrations, services, reconciled, manualSteps } = this;
    return { registrations, services, reconciled, manualSteps, ...end };
  }

  private async save(next: Journal): Promise<void> {
    this.journal = next;
    await this.deps.journal.save(next);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private async replacementOf(revisionArn: string): Promise<Replacement> {
    const known = this.replacements.get(revisionArn);
    if (known !== undefined) return known;
    const replacement = replacementFor(await this.deps.ecs.describeRevision(revisionArn));
    this.replacements.set(revisionArn, replacement);
    return replacement;
  }

  /**
   * The replacement of one revision: the journal's (verified, else the run is refused), a tagged revision that
   * is exactly the replacement, or a new registration, recorded in the journal before it is used.
   */
  private async ensureReplacement(item: WorkItem): Promise<Resolved> {
    const known = this.resolved.get(item.revisionArn);
    if (known !== undefined) return known;
    const { deps, settings } = this;
    const replacement = await this.replacementOf(item.revisionArn);
    const journaled = registeredReplacement(this.journal, settings.scope, item.revisionArn);
    const choice = await chooseReplacement(replacement, journaled, deps.ecs);
    for (const lookAlike of choice.lookAlikes)
      deps.report(`${item.revision}: ${describeLookAlike(lookAlike)}`);
    let result: Resolved;
    if (choice.kind === "reuse") {
      const how = choice.source === "journal" ? "reused from the journal" : "reused (tagged replacement)";
      this.registrations.push({ revision: item.revision, replacementArn: choice.arn, how });
      deps.report(`${item.revision}: ${how} ${choice.arn}`);
      result = { arn: choice.arn };
    } else {
      result = await this.registerReplacement(item, replacement);
    }
    if ("arn" in result && journaled !== result.arn)
      await this.save(withRegistered(this.journal, settings.scope, item.revisionArn, result.arn));
    if ("manual" in result) deps.report(`${item.revision}: ${result.manual}`);
    this.resolved.set(item.revisionArn, result);
    return result;
  }

  /** A new registration, unless it would pass a role the remediation may not pass: then a manual step. */
  private async registerReplacement(item: WorkItem, replacement: Replacement): Promise<Resolved> {
    const unpassable = unpassableRoles(replacement, this.settings.passableRoles);
    if (unpassable.length > 0) {
      return {
        manual: `its replacement passes ${unpassable.join(" and ")}, which the remediation may not pass to ECS: register it by hand`,
      };
    }
    try {
      const arn = await this.deps.ecs.register(replacement.input);
      this.registrations.push({ revision: item.revision, replacementArn: arn, how: "registered" });
      this.deps.report(`${item.revision}: registered ${arn}`);
      return { arn };
    } catch (error) {
      // Registering passes the task and execution roles: a denied PassRole leaves it to a person.
      if (!(error instanceof MissingPermissionError && error.permission === "iam:PassRole")) throw error;
      return {
        manual: `registering its replacement was denied iam:PassRole (${error.detail}): register it by hand`,
      };
    }
  }

  /** Moves an earlier run began and did not see finish: verified like a registration, then checked. */
  private async reconcileEarlierMoves(movedByThisRun: ReadonlySet<string>): Promise<void> {
    for (const pending of pendingMoves(this.journal, this.settings.scope)) {
      if (movedByThisRun.has(`${pending.cluster}/${pending.service}`)) continue;
      this.reconciled.push(
        await reconcile(
          pending,
          this.deps,
          this.settings,
          (revisionArn) => this.replacementOf(revisionArn),
          (next) => this.save(next),
          () => this.journal,
          () => this.now(),
        ),
      );
    }
  }

  /** One service moved to its replacement and its deployment waited for; what ends the run, if it must end. */
  private async moveService(item: WorkItem): Promise<RunEnd | undefined> {
    const target = item.target;
    if (target.kind !== "service") return undefined;
    const label = targetLabel(target);
    const replacement = this.resolved.get(item.revisionArn);
    if (replacement === undefined || "manual" in replacement) {
      const step: ManualStep = { kind: "register", item, why: replacement?.manual ?? "no replacement" };
      this.manualSteps.push(step);
      this.services.push({ item, outcome: { kind: "manual step", step } });
      return undefined;
    }
    const replacementArn = replacement.arn;
    const state = await this.deps.ecs.describeService(target.cluster, target.service);
    if (!this.checkMovable(item, label, state, replacementArn)) return undefined;
    const alreadyMoved = state.taskDefinition === replacementArn;
    if (!alreadyMoved) {
      if (state.taskDefinition !== item.revisionArn) {
        const why = `the service deploys ${state.taskDefinition ?? "no revision"} now, not ${item.revision}`;
        this.services.push({ item, outcome: { kind: "not touched", why } });
        this.deps.report(`${label}: not touched, ${why}`);
        return undefined;
      }
      await this.updateService(item, target, replacementArn);
    } else {
      this.deps.report(`${label}: already deploys ${replacementArn}, waiting for the deployment`);
    }
    return this.awaitDeployment(item, target, replacementArn, alreadyMoved);
  }

  /**
   * Whether this tool moves the service: it exists and ECS controls its deployments. When not, its outcome is
   * recorded here: a CodeDeploy or external service is a manual step; one gone or with an unknown controller is
   * not touched.
   */
  private checkMovable(
    item: WorkItem,
    label: string,
    state: ServiceRollout | undefined,
    replacementArn: string,
  ): state is ServiceRollout {
    if (state === undefined) {
      this.services.push({ item, outcome: { kind: "not touched", why: "the service no longer exists" } });
      this.deps.report(`${label}: not touched, the service no longer exists`);
      return false;
    }
    const controller = state.deploymentController ?? "ECS";
    if (controller === "CODE_DEPLOY" || controller === "EXTERNAL") {
      const step: ManualStep = {
        kind: controller === "CODE_DEPLOY" ? "codedeploy-deployment" : "task-set",
        item,
        replacementArn,
      };
      this.manualSteps.push(step);
      this.services.push({ item, outcome: { kind: "manual step", step } });
      this.deps.report(
        `${label}: not moved here (deployment controller ${controller}): ${controller === "CODE_DEPLOY" ? "start a CodeDeploy deployment" : "create a task set"} with ${replacementArn}`,
      );
      return false;
    }
    if (controller !== "ECS") {
      this.services.push({
        item,
        outcome: { kind: "not touched", why: `unknown deployment controller ${controller}` },
      });
      this.deps.report(`${label}: not touched, unknown deployment controller ${controller}`);
      return false;
    }
    return true;
  }

  private async updateService(item: WorkItem, target: ServiceTarget, replacementArn: string): Promise<void> {
    const { scope } = this.settings;
    // Write-ahead: the intent is on disk before ECS is asked, so a kill at any point leaves it behind.
    const move = { from: item.revisionArn, to: replacementArn, at: this.now() };
    await this.save(withMove(this.journal, scope, target, { ...move, state: "intended" }));
    await this.deps.ecs.updateService(target.cluster, target.service, replacementArn);
    await this.save(withMove(this.journal, scope, target, { ...move, state: "updated", at: this.now() }));
    this.deps.report(
      `${targetLabel(target)}: UpdateService to ${replacementArn}, waiting for the deployment`,
    );
  }

  /** Waits for the service's deployment: completed is recorded, anything else ends the run. */
  private async awaitDeployment(
    item: WorkItem,
    target: ServiceTarget,
    replacementArn: string,
    alreadyMoved: boolean,
  ): Promise<RunEnd | undefined> {
    const { deps, settings } = this;
    const label = targetLabel(target);
    const outcome = await waitForRollout(target.cluster, target.service, replacementArn, deps, settings);
    if (outcome.state === "in-progress") {
      const detail = `the deployment was still running after ${Math.round(settings.rolloutTimeoutMs / 1000)} s (${outcome.detail}); run again to check it`;
      this.services.push({ item, outcome: { kind: "in progress", to: replacementArn, detail } });
      deps.report(`${label}: in progress, ${detail}`);
      return { inProgressAt: { item, detail } };
    }
    if (outcome.state !== "completed") {
      const why = `the deployment ${outcome.state === "failed" ? "failed" : "was rolled back"}: ${outcome.why}`;
      deps.report(`${label}: stopped, ${why}`);
      return { stoppedAt: { item, why } };
    }
    await this.save(
      withMove(this.journal, settings.scope, target, {
        from: item.revisionArn,
        to: replacementArn,
        state: "completed",
        at: this.now(),
      }),
    );
    this.services.push({
      item,
      outcome: { kind: alreadyMoved ? "already moved" : "moved", to: replacementArn },
    });
    deps.report(`${label}: deployment completed`);
    return undefined;
  }

  /** Standalone tasks are never stopped or started here: each is a manual step with its replacement. */
  private addStandaloneSteps(items: readonly WorkItem[]): void {
    for (const item of items) {
      if (item.target.kind !== "standalone") continue;
      const replacement = this.resolved.get(item.revisionArn);
      this.manualSteps.push(
        replacement === undefined || "manual" in replacement
          ? { kind: "register", item, why: replacement?.manual ?? "no replacement" }
          : { kind: "run-task", item, replacementArn: replacement.arn },
      );
    }
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
