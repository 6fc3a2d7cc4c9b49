import type { ApprovedException } from "../../lambda/core/index";
import {
  type InUseState,
  MissingPermissionError,
  RefusedReplacementError,
  readInUseState,
} from "../../lambda/index";
import {
  type ApplyResult,
  applyBatch,
  describeChoice,
  describeManualStep,
  familyVerdicts,
  type Journal,
  type JournalStore,
  type ProductionRule,
  pendingMoves,
  planRegion,
  REMEDIATION_RATE_SHARE,
  type RegionPlan,
  remediationPorts,
  targetLabel,
  type WorkItem,
} from "../../lambda/remediation/index";
import { type CommandClients, connectionOf, regionClients } from "../shared/clients";
import { EXIT } from "../shared/command";
import { productionRulesOf } from "../shared/commandLine";
import {
  type AccountCommandEnvironment,
  accountAndRegions,
  loadApprovedExceptions,
  requireKnownProfile,
} from "../shared/commandStart";
import { runAccountCommand } from "../shared/failures";
import {
  type CommandTarget,
  formatWave,
  moveCommand,
  outDirectoryFor,
  registerCommand,
  variableFor,
  writePlanFiles,
} from "../shared/fixPlan";
import { formatTable } from "../shared/table";
import { quietIf } from "../shared/terminal";
import { REMEDIATE_COMMAND, REMEDIATE_EXIT, type RemediateOptions } from "./arguments";

/** What `--apply` needs beyond the scan's read-only permissions. */
export const REMEDIATE_PERMISSIONS =
  "ecs:RegisterTaskDefinition, ecs:TagResource, ecs:UpdateService, iam:PassRole (the task and execution roles), " +
  "ecs:ListTaskDefinitions, ecs:DescribeServices, ecs:DescribeClusters, ecs:DescribeContainerInstances, " +
  "elasticloadbalancing:DescribeTargetGroups, elasticloadbalancing:DescribeLoadBalancers, " +
  "ec2:DescribeNetworkInterfaces and ec2:DescribeInstances";

/** How often a deployment's state is read while waiting for it; each read prints a line on stderr. */
export const POLL_INTERVAL_MS = 5_000;

export interface RemediateEnvironment extends AccountCommandEnvironment {
  readonly journalAt: (path: string) => JournalStore;
  /** Asks a person; resolves true only on an explicit yes. */
  readonly confirm: (question: string) => Promise<boolean>;
}

/** What every Region of a run shares: the options, the account, the exceptions and rules, the journal read. */
interface RemediateRun {
  readonly options: RemediateOptions;
  readonly profile: string | undefined;
  /** The environment as `--quiet` leaves it: progress and notes go to its stderr. */
  readonly io: RemediateEnvironment;
  readonly clients: CommandClients;
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly exceptions: readonly ApprovedException[];
  readonly productionRules: readonly ProductionRule[];
  /** When the run started: every Region's plan judges exceptions at this instant. */
  readonly now: Date;
  /** The journal an apply would use: the dry run plans against it too (what it reuses, verified, or registers). */
  readonly journal: Journal;
}

interface RegionWork {
  readonly region: string;
  readonly target: CommandTarget;
  readonly state: InUseState;
  readonly plan: RegionPlan;
  /** The selected wave's services (of the selected batch) and its standalone groups. */
  readonly items: readonly WorkItem[];
}

/** `ecs-pid-mode remediate`: returns the exit status. */
export function runRemediate(argv: readonly string[], env: RemediateEnvironment): Promise<number> {
  return runAccountCommand(argv, env, {
    ...REMEDIATE_COMMAND,
    run: (options, profile) => remediate(options, profile, env),
    reportOwn: (error) => reportRefusal(error, env.stderr),
  });
}

async function remediate(
  options: RemediateOptions,
  profile: string | undefined,
  env: RemediateEnvironment,
): Promise<number> {
  const run = await startRun(options, profile, env);
  const work: RegionWork[] = [];
  for (const region of run.regions) work.push(await planRegionWork(region, run, env));
  // A Region has work when the selection has items, or when the journal records moves begun and not seen
  // to finish (a run killed after UpdateService): the apply reconciles those.
  const toDo = work.filter(
    (entry) =>
      entry.items.length > 0 ||
      pendingMoves(run.journal, { accountId: run.accountId, region: entry.region }).length > 0,
  );
  if (!options.apply) {
    env.stdout(
      toDo.length === 0
        ? "Dry run: nothing to do in this wave.\n"
        : "Dry run: nothing was changed. Run again with --apply to carry it out.\n",
    );
    return EXIT.ok;
  }
  if (toDo.length === 0) {
    env.stdout("Nothing to apply: the wave has nothing to move.\n");
    return EXIT.ok;
  }
  if (!options.yes && !(await env.confirm(confirmation(toDo, run)))) {
    env.stdout("Not confirmed: nothing was changed.\n");
    return EXIT.failed;
  }
  const status = await applyRegions(toDo, run, env);
  env.stdout(closingText(status, options.journalFile));
  return status;
}

/** A replacement refused or a permission missing: said in the remediation's words. */
function reportRefusal(error: unknown, stderr: { write(text: string): unknown }): number | undefined {
  if (error instanceof RefusedReplacementError) {
    stderr.write(`error: ${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof MissingPermissionError) {
    stderr.write(
      `error: missing permission ${error.permission} (the remediation needs ${REMEDIATE_PERMISSIONS})\n`,
    );
    return EXIT.serviceError;
  }
  return undefined;
}

/** Before any Region: the profile, the production rules, the exceptions, the account and its Regions, the journal. */
async function startRun(
  options: RemediateOptions,
  profile: string | undefined,
  env: RemediateEnvironment,
): Promise<RemediateRun> {
  const io = quietIf(options.quiet, env);
  await requireKnownProfile(profile, env);
  const productionRules = productionRulesOf(options.production);
  const exceptions = await loadApprovedExceptions(options, io);
  const clients = env.clientsFor(options.profile, connectionOf(options, env.stderr));
  const { accountId, regions } = await accountAndRegions(clients, options.regions);
  const now = new Date(env.clock.now());
  const journal = await env.journalAt(options.journalFile).load();
  return {
    options,
    profile,
    io,
    clients,
    accountId,
    regions,
    exceptions: exceptions.approved,
    productionRules,
    now,
    journal,
  };
}

/** One Region: what runs there, its plan, the wave's selection printed and, with `--out`, its files written. */
async function planRegionWork(
  region: string,
  run: RemediateRun,
  env: RemediateEnvironment,
): Promise<RegionWork> {
  const { options, clients } = run;
  run.io.stderr.write(`${region}: reading what RUNNING tasks use ...\n`);
  const state = await readInUseState(clients.ecs(region), { clock: env.clock });
  const plan = await planRegion(
    {
      region,
      accountId: run.accountId,
      view: state.view,
      facts: state.facts,
      exceptions: run.exceptions,
      now: run.now,
      productionRules: run.productionRules,
      batchSize: options.batchSize,
      journal: run.journal,
    },
    remediationPorts(regionClients(clients, region), env.clock, REMEDIATION_RATE_SHARE),
  );
  const target = { region, profile: run.profile };
  if (options.outDirectory !== undefined)
    await writePlanFiles(
      plan,
      outDirectoryFor(options.outDirectory, region, run.regions.length),
      env.writeTextFile,
    );
  env.stdout(formatSelection(plan, target, options, state));
  return { region, target, state, plan, items: selectedItems(plan, options) };
}

function confirmation(toDo: readonly RegionWork[], run: RemediateRun): string {
  const count = (kind: "service" | "standalone") =>
    toDo.reduce((sum, entry) => sum + entry.items.filter((item) => item.target.kind === kind).length, 0);
  return `Move ${count("service")} service(s) and register replacements for ${count("standalone")} standalone task group(s) of wave ${run.options.wave} in account ${run.accountId}, ${toDo.map((entry) => entry.region).join(", ")}, to revisions without pidMode? [y/N] `;
}

/** Applies Region by Region; a failed or rolled-back move stops the run. The status: failed, in progress, manual steps or ok. */
async function applyRegions(
  toDo: readonly RegionWork[],
  run: RemediateRun,
  env: RemediateEnvironment,
): Promise<number> {
  const journal = env.journalAt(run.options.journalFile);
  let status: number = EXIT.ok;
  for (const entry of toDo) {
    const result = await applyRegion(entry, run, journal, env);
    if (result.stoppedAt !== undefined || result.reconciled.some((move) => move.state === "failed"))
      return EXIT.failed;
    if (result.inProgressAt !== undefined || result.reconciled.some((move) => move.state === "in progress"))
      status = REMEDIATE_EXIT.inProgress;
    else if (result.manualSteps.length > 0 && status === EXIT.ok) status = REMEDIATE_EXIT.manualSteps;
  }
  return status;
}

/** One Region's moves, what they did, and its families' verdicts before and after, read again. */
async function applyRegion(
  entry: RegionWork,
  run: RemediateRun,
  journal: JournalStore,
  env: RemediateEnvironment,
): Promise<ApplyResult> {
  const { accountId, clients } = run;
  const result = await applyBatch(
    entry.items,
    {
      ecs: remediationPorts(regionClients(clients, entry.region), env.clock, REMEDIATION_RATE_SHARE).ecs,
      journal,
      clock: env.clock,
      report: (line) => run.io.stderr.write(`${entry.region}: ${line}\n`),
    },
    {
      scope: { accountId, region: entry.region },
      rolloutTimeoutMs: run.options.rolloutTimeoutMinutes * 60_000,
      pollIntervalMs: POLL_INTERVAL_MS,
    },
  );
  env.stdout(formatApplyResult(entry.region, result, entry.target));
  const after = await readInUseState(clients.ecs(entry.region), { clock: env.clock });
  const families = [
    ...new Set(entry.items.map((item) => item.revision.slice(0, item.revision.lastIndexOf(":")))),
  ];
  const context = { accountId, exceptions: run.exceptions, now: new Date(env.clock.now()) };
  env.stdout(
    formatBeforeAfter(
      entry.region,
      familyVerdicts(families, entry.state, context),
      familyVerdicts(families, after, context),
    ),
  );
  return result;
}

function closingText(status: number, journalFile: string): string {
  const lines = [];
  if (status === REMEDIATE_EXIT.manualSteps)
    lines.push(
      "Manual steps remain (listed above): the families they concern stay NON_COMPLIANT until done.",
    );
  if (status === REMEDIATE_EXIT.inProgress)
    lines.push("A deployment is still in progress: run the same command again to check it and go on.");
  lines.push(`Journal: ${journalFile}`);
  return `${lines.join("\n")}\n`;
}

function selectedItems(plan: RegionPlan, options: RemediateOptions): WorkItem[] {
  const wave = plan.waves.find((entry) => entry.number === options.wave);
  if (wave === undefined) return [];
  const batches = wave.batches.filter(
    (batch) => options.batch === undefined || batch.number === options.batch,
  );
  return [...batches.flatMap((batch) => batch.services), ...wave.standalone];
}

function formatSelection(
  plan: RegionPlan,
  target: CommandTarget,
  options: RemediateOptions,
  state: InUseState,
): string {
  const lines = [`Account ${plan.accountId}, ${plan.region}:`];
  if (state.unreadParts.length > 0) {
    lines.push(
      "  Not read (the plan may miss what runs there):",
      ...state.unreadParts.map((part) => `    ${part}`),
    );
  }
  const wave = plan.waves.find((entry) => entry.number === options.wave);
  if (wave === undefined) {
    lines.push(`  Wave ${options.wave}: nothing to do.`);
  } else if (options.batch !== undefined && !wave.batches.some((batch) => batch.number === options.batch)) {
    lines.push(
      `  Wave ${options.wave} has ${wave.batches.length} batch(es): there is no batch ${options.batch}.`,
    );
  } else {
    const selected = selectedItems(plan, options).filter((item) => item.target.kind === "service");
    const revisions = [...new Set(selected.map((item) => item.revisionArn))];
    if (revisions.length > 0)
      lines.push("  Replacements (one per revision; one registered before is reused only if identical):");
    for (const arn of revisions) {
      const replacement = plan.replacements.get(arn);
      if (replacement === undefined) continue;
      const choice = plan.choices.get(arn);
      lines.push(
        `    ${replacement.replaces}: ${choice === undefined ? "registers a new revision" : describeChoice(choice)}`,
        choice?.kind === "reuse"
          ? `      ${variableFor(replacement.replaces)}=${choice.arn}`
          : `      ${registerCommand(replacement, target, options.outDirectory)}`,
      );
    }
    lines.push(...formatWave(wave, target, options.batch).map((line) => `  ${line}`));
  }
  const others = plan.waves
    .filter((entry) => entry.number !== options.wave)
    .map((entry) => `wave ${entry.number} (${entry.items.length})`);
  if (others.length > 0) lines.push(`  Other waves: ${others.join(", ")}.`);
  if (plan.exempted.length > 0) {
    lines.push("  Exempted (never in a wave):");
    for (const entry of plan.exempted)
      lines.push(`    ${entry.revision}  owner ${entry.owner}, expires ${entry.expires}`);
  }
  if (plan.unreadParts.length > 0)
    lines.push(
      "  Not read for the plan (shown as unknown):",
      ...plan.unreadParts.map((part) => `    ${part}`),
    );
  return `${lines.join("\n")}\n`;
}

function formatApplyResult(region: string, result: ApplyResult, target: CommandTarget): string {
  const lines = [`Applied in ${region}:`];
  for (const registration of result.registrations)
    lines.push(`  ${registration.revision}: ${registration.how} ${registration.replacementArn}`);
  for (const move of result.reconciled) lines.push(`  ${move.service}: ${move.outcome}`);
  for (const service of result.services) {
    const outcome = service.outcome;
    const label = targetLabel(service.item.target);
    if (outcome.kind === "not touched") lines.push(`  ${label}: not touched (${outcome.why})`);
    else if (outcome.kind === "in progress")
      lines.push(`  ${label}: in progress to ${outcome.to} (${outcome.detail})`);
    else if (outcome.kind !== "manual step") lines.push(`  ${label}: ${outcome.kind} to ${outcome.to}`);
  }
  if (result.stoppedAt !== undefined) {
    lines.push(
      `  STOPPED at ${targetLabel(result.stoppedAt.item.target)}: ${result.stoppedAt.why}. Nothing after it was touched; fix the cause and run again to resume.`,
    );
  }
  if (result.inProgressAt !== undefined) {
    lines.push(
      `  IN PROGRESS at ${targetLabel(result.inProgressAt.item.target)}: ${result.inProgressAt.detail}. Nothing after it was touched.`,
    );
  }
  if (result.manualSteps.length > 0) lines.push("  Manual steps (not done here):");
  for (const step of result.manualSteps) {
    const who =
      step.kind === "run-task" && step.item.startedBy !== undefined && step.item.startedBy.length > 0
        ? ` (started by ${step.item.startedBy.join(", ")})`
        : "";
    lines.push(`    ${describeManualStep(step)}${who}`);
    if (step.kind !== "register") lines.push(`      ${moveCommand(step.item, target, step.replacementArn)}`);
  }
  return `${lines.join("\n")}\n`;
}

function formatBeforeAfter(
  region: string,
  before: ReturnType<typeof familyVerdicts>,
  after: ReturnType<typeof familyVerdicts>,
): string {
  const rows = before.map((entry) => {
    const now = after.find((other) => other.family === entry.family);
    return [region, entry.family, entry.complianceType, now?.complianceType ?? "?", now?.annotation ?? ""];
  });
  return `Re-scan:\n${formatTable(["Region", "Task definition", "Before", "After", "Annotation now"], rows)}\n`;
}
