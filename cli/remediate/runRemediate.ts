import { join } from "node:path";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { STSClient } from "@aws-sdk/client-sts";
import {
  type ApplyResult,
  applyBatch,
  type Clock,
  describeChoice,
  describeManualStep,
  EcsRemediationGateway,
  ExposureReader,
  familyVerdicts,
  type InUseState,
  type JournalStore,
  MissingPermissionError,
  PacedCalls,
  pendingMoves,
  planRegion,
  REMEDIATION_RATE_SHARE,
  RefusedReplacementError,
  type RegionPlan,
  readInUseState,
  targetLabel,
  type WorkItem,
} from "../../lambda/index";
import { EXIT, UsageError } from "../command";
import {
  accountAndRegions,
  loadApprovedExceptions,
  requireKnownProfile,
  usageErrorText,
} from "../commandStart";
import { debugStack, failureOutcome } from "../failures";
import {
  type CommandTarget,
  formatWave,
  moveCommand,
  planDocument,
  registerCommand,
  registerFileName,
  variableFor,
} from "../scan/fixPlan";
import type { ProgressStream } from "../scan/progress";
import { outDirectoryFor, productionRulesOf } from "../scan/runScan";
import { formatTable } from "../table";
import { errorsOnly } from "../terminal";
import { HELP, parseRemediateArguments, REMEDIATE_EXIT, type RemediateOptions, USAGE } from "./arguments";
import { type Connection, connectionOf } from "./clients";

/** What `--apply` needs beyond the scan's read-only permissions. */
export const REMEDIATE_PERMISSIONS =
  "ecs:RegisterTaskDefinition, ecs:TagResource, ecs:UpdateService, iam:PassRole (the task and execution roles), " +
  "ecs:ListTaskDefinitions, ecs:DescribeServices, ecs:DescribeClusters, ecs:DescribeContainerInstances, " +
  "elasticloadbalancing:DescribeTargetGroups, elasticloadbalancing:DescribeLoadBalancers, " +
  "ec2:DescribeNetworkInterfaces and ec2:DescribeInstances";

/** How often a deployment's state is read while waiting for it; each read prints a line on stderr. */
export const POLL_INTERVAL_MS = 5_000;

export interface RemediateClients {
  ecs(region: string): Pick<ECSClient, "send">;
  elb(region: string): Pick<ElasticLoadBalancingV2Client, "send">;
  ec2(region: string): Pick<EC2Client, "send">;
  sts(region: string): Pick<STSClient, "send">;
  defaultRegion(): Promise<string>;
}

export interface RemediateEnvironment {
  readonly clientsFor: (profile: string | undefined, connection?: Connection) => RemediateClients;
  readonly knownProfiles: () => Promise<Set<string>>;
  readonly envProfile: string | undefined;
  readonly readTextFile: (path: string) => Promise<string>;
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
  readonly journalAt: (path: string) => JournalStore;
  /** Asks a person; resolves true only on an explicit yes. */
  readonly confirm: (question: string) => Promise<boolean>;
  readonly clock: Clock;
  readonly stdout: (text: string) => void;
  readonly stderr: ProgressStream;
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
export async function runRemediate(argv: readonly string[], env: RemediateEnvironment): Promise<number> {
  let profile: string | undefined;
  try {
    const options = parseRemediateArguments(argv);
    if (options.help) {
      env.stdout(`${HELP}\n`);
      return EXIT.ok;
    }
    profile = options.profile ?? env.envProfile;
    // --quiet keeps the result on stdout and the error lines on stderr; progress and notes go.
    const io = options.quiet ? { ...env, stderr: errorsOnly(env.stderr) } : env;
    await requireKnownProfile(profile, env);
    const productionRules = productionRulesOf(options.production);
    const exceptions = await loadApprovedExceptions(options, io);
    const clients = env.clientsFor(options.profile, connectionOf(options, env.stderr));
    const { accountId, regions } = await accountAndRegions(clients, options.regions);
    const now = new Date(env.clock.now());
    // The dry run plans against the journal an apply would use: what it reuses (verified) or registers.
    const journal = await env.journalAt(options.journalFile).load();

    const work: RegionWork[] = [];
    for (const region of regions) {
      io.stderr.write(`${region}: reading what RUNNING tasks use ...\n`);
      const state = await readInUseState(clients.ecs(region), env.clock);
      const calls = new PacedCalls(env.clock, REMEDIATION_RATE_SHARE);
      const ecs = clients.ecs(region);
      const plan = await planRegion(
        {
          region,
          accountId,
          view: state.view,
          facts: state.facts,
          exceptions: exceptions.approved,
          now,
          productionRules,
          batchSize: options.batchSize,
          journal,
        },
        {
          ecs: new EcsRemediationGateway(ecs, calls),
          exposure: new ExposureReader({ ecs, elb: clients.elb(region), ec2: clients.ec2(region) }, calls),
        },
      );
      const target = { region, profile };
      work.push({ region, target, state, plan, items: selectedItems(plan, options) });
      await writeOut(plan, options, regions.length, env);
      env.stdout(formatSelection(plan, target, options, state));
    }

    // A Region has work when the selection has items, or when the journal records moves begun and not seen
    // to finish (a run killed after UpdateService): the apply reconciles those.
    const toDo = work.filter(
      (entry) =>
        entry.items.length > 0 || pendingMoves(journal, { accountId, region: entry.region }).length > 0,
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
    const count = (kind: "service" | "standalone") =>
      toDo.reduce((sum, entry) => sum + entry.items.filter((item) => item.target.kind === kind).length, 0);
    const question = `Move ${count("service")} service(s) and register replacements for ${count("standalone")} standalone task group(s) of wave ${options.wave} in account ${accountId}, ${toDo.map((entry) => entry.region).join(", ")}, to revisions without pidMode? [y/N] `;
    if (!options.yes && !(await env.confirm(question))) {
      env.stdout("Not confirmed: nothing was changed.\n");
      return EXIT.failed;
    }

    const journalStore = env.journalAt(options.journalFile);
    let status: number = EXIT.ok;
    for (const entry of toDo) {
      const calls = new PacedCalls(env.clock, REMEDIATION_RATE_SHARE);
      const result = await applyBatch(
        entry.items,
        {
          ecs: new EcsRemediationGateway(clients.ecs(entry.region), calls),
          journal: journalStore,
          clock: env.clock,
          report: (line) => io.stderr.write(`${entry.region}: ${line}\n`),
        },
        {
          scope: { accountId, region: entry.region },
          rolloutTimeoutMs: options.rolloutTimeoutMinutes * 60_000,
          pollIntervalMs: POLL_INTERVAL_MS,
        },
      );
      env.stdout(formatApplyResult(entry.region, result, entry.target));
      const after = await readInUseState(clients.ecs(entry.region), env.clock);
      const families = [
        ...new Set(entry.items.map((item) => item.revision.slice(0, item.revision.lastIndexOf(":")))),
      ];
      const context = { accountId, exceptions: exceptions.approved, now: new Date(env.clock.now()) };
      env.stdout(
        formatBeforeAfter(
          entry.region,
          familyVerdicts(families, entry.state, context),
          familyVerdicts(families, after, context),
        ),
      );
      if (result.stoppedAt !== undefined || result.reconciled.some((move) => move.state === "failed")) {
        status = EXIT.failed;
        break;
      }
      if (result.inProgressAt !== undefined || result.reconciled.some((move) => move.state === "in progress"))
        status = REMEDIATE_EXIT.inProgress;
      else if (result.manualSteps.length > 0 && status === EXIT.ok) status = REMEDIATE_EXIT.manualSteps;
    }
    if (status === REMEDIATE_EXIT.manualSteps)
      env.stdout(
        "Manual steps remain (listed above): the families they concern stay NON_COMPLIANT until done.\n",
      );
    if (status === REMEDIATE_EXIT.inProgress)
      env.stdout("A deployment is still in progress: run the same command again to check it and go on.\n");
    env.stdout(`Journal: ${options.journalFile}\n`);
    return status;
  } catch (error) {
    if (error instanceof UsageError) {
      env.stderr.write(usageErrorText(error, USAGE, "remediate"));
      return EXIT.usage;
    }
    if (error instanceof RefusedReplacementError) {
      env.stderr.write(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof MissingPermissionError) {
      env.stderr.write(
        `error: missing permission ${error.permission} (the remediation needs ${REMEDIATE_PERMISSIONS})\n`,
      );
      return EXIT.serviceError;
    }
    const { line, exitCode } = failureOutcome(error, profile);
    env.stderr.write(`error: ${line}\n${debugStack(argv, error)}`);
    return exitCode;
  }
}

function selectedItems(plan: RegionPlan, options: RemediateOptions): WorkItem[] {
  const wave = plan.waves.find((entry) => entry.number === options.wave);
  if (wave === undefined) return [];
  const batches = wave.batches.filter(
    (batch) => options.batch === undefined || batch.number === options.batch,
  );
  return [...batches.flatMap((batch) => batch.services), ...wave.standalone];
}

async function writeOut(
  plan: RegionPlan,
  options: RemediateOptions,
  regionCount: number,
  env: RemediateEnvironment,
) {
  if (options.outDirectory === undefined) return;
  const directory = outDirectoryFor(options.outDirectory, plan.region, regionCount);
  for (const replacement of plan.replacements.values()) {
    await env.writeTextFile(
      join(directory, registerFileName(replacement)),
      `${JSON.stringify(replacement.input, null, 2)}\n`,
    );
  }
  await env.writeTextFile(join(directory, "plan.json"), `${JSON.stringify(planDocument(plan), null, 2)}\n`);
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
