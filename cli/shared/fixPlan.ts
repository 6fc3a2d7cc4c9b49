import { join } from "node:path";
import {
  describeExposure,
  type Production,
  type RegionPlan,
  type Replacement,
  targetLabel,
  type Wave,
  type WorkItem,
} from "../../lambda/remediation/index";

/** What every printed command carries, so it acts on the account and Region that were read. */
export interface CommandTarget {
  readonly region: string;
  readonly profile: string | undefined;
}

/** A word the shell takes as it is, quoted when it holds anything else. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'"'"'`)}'`;
}

function awsFlags(target: CommandTarget): string {
  return `--region ${shellWord(target.region)}${target.profile === undefined ? "" : ` --profile ${shellWord(target.profile)}`}`;
}

/** `register-web-3.json`: the file `--out` writes for a revision's RegisterTaskDefinition input. */
export function registerFileName(replacement: Pick<Replacement, "replaces">): string {
  return `register-${replacement.replaces.replace(":", "-")}.json`;
}

/** The shell variable that holds the ARN registered to replace a revision (`NEW_WEB_3`). */
export function variableFor(revision: string): string {
  return `NEW_${revision.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

export function registerCommand(replacement: Replacement, target: CommandTarget, directory = "."): string {
  const file =
    directory === "." ? registerFileName(replacement) : `${directory}/${registerFileName(replacement)}`;
  return `${variableFor(replacement.replaces)}=$(aws ecs register-task-definition ${awsFlags(target)} --cli-input-json ${shellWord(`file://${file}`)} --query taskDefinition.taskDefinitionArn --output text)`;
}

/** How a command names the replacement: its ARN when known, else the variable the register command sets. */
function replacementWord(item: WorkItem, replacementArn: string | undefined): string {
  return replacementArn === undefined ? `"$${variableFor(item.revision)}"` : shellWord(replacementArn);
}

type ServiceTarget = Extract<WorkItem["target"], { kind: "service" }>;

function updateServiceCommand(
  item: WorkItem,
  service: ServiceTarget,
  target: CommandTarget,
  replacementArn?: string,
): string {
  return `aws ecs update-service ${awsFlags(target)} --cluster ${shellWord(service.cluster)} --service ${shellWord(service.service)} --task-definition ${replacementWord(item, replacementArn)}`;
}

/**
 * A CODE_DEPLOY service moves by a CodeDeploy deployment whose AppSpec names the new revision. ECS's APIs do
 * not name the service's CodeDeploy application and deployment group: the command carries placeholders.
 */
export function codeDeployCommand(item: WorkItem, target: CommandTarget, replacementArn?: string): string {
  const container = item.loadBalancerContainer;
  const properties = {
    TaskDefinition: replacementArn ?? `$${variableFor(item.revision)}`,
    ...(container === undefined
      ? {}
      : { LoadBalancerInfo: { ContainerName: container.name, ContainerPort: container.port } }),
  };
  const appSpec = JSON.stringify({
    version: 0.0,
    Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: properties } }],
  });
  const revision = JSON.stringify({ revisionType: "AppSpecContent", appSpecContent: { content: appSpec } });
  // Double quotes, so that the shell puts the registered ARN in when it is a variable.
  const quoted = `"${revision.replace(/["\\`]/g, (character) => `\\${character}`)}"`;
  return `aws deploy create-deployment ${awsFlags(target)} --application-name '<APPLICATION>' --deployment-group-name '<DEPLOYMENT_GROUP>' --revision ${replacementArn === undefined ? quoted : shellWord(revision)}`;
}

/** An EXTERNAL service moves by a new task set (then made primary by its controller). */
function taskSetCommand(
  item: WorkItem,
  service: ServiceTarget,
  target: CommandTarget,
  replacementArn?: string,
): string {
  return `aws ecs create-task-set ${awsFlags(target)} --cluster ${shellWord(service.cluster)} --service ${shellWord(service.service)} --task-definition ${replacementWord(item, replacementArn)}`;
}

/** Standalone tasks: the command that starts the replacement as the running tasks were started. */
export function runTaskCommand(item: WorkItem, target: CommandTarget, replacementArn?: string): string {
  const launch = item.launch;
  const parts = [
    `aws ecs run-task ${awsFlags(target)} --cluster ${shellWord(item.target.cluster)} --task-definition ${replacementWord(item, replacementArn)} --count ${Math.max(1, item.runningTasks)}`,
  ];
  if (launch?.capacityProvider !== undefined)
    parts.push(`--capacity-provider-strategy capacityProvider=${shellWord(launch.capacityProvider)}`);
  else if (launch?.launchType !== undefined) parts.push(`--launch-type ${shellWord(launch.launchType)}`);
  if (launch?.network !== undefined) {
    const { subnets, securityGroups, assignPublicIp } = launch.network;
    parts.push(
      `--network-configuration ${shellWord(`awsvpcConfiguration={subnets=[${subnets.join(",")}],securityGroups=[${securityGroups.join(",")}],assignPublicIp=${assignPublicIp}}`)}`,
    );
  }
  if (launch?.group !== undefined && !launch.group.startsWith("family:"))
    parts.push(`--group ${shellWord(launch.group)}`);
  return parts.join(" ");
}

/** The command that moves one item to its replacement, by the service's deployment controller. */
export function moveCommand(item: WorkItem, target: CommandTarget, replacementArn?: string): string {
  if (item.target.kind === "standalone") return runTaskCommand(item, target, replacementArn);
  if (item.deploymentController === "CODE_DEPLOY") return codeDeployCommand(item, target, replacementArn);
  if (item.deploymentController === "EXTERNAL")
    return taskSetCommand(item, item.target, target, replacementArn);
  return updateServiceCommand(item, item.target, target, replacementArn);
}

export function describeProduction(production: Production): string {
  if (production.status === "production") return `production (${production.evidence})`;
  if (production.status === "not-production") return `not production (${production.evidence})`;
  return `production unknown (${production.why})`;
}

function itemLine(item: WorkItem): string {
  const tasks = `${item.runningTasks} task${item.runningTasks === 1 ? "" : "s"}`;
  return `${targetLabel(item.target)}  ${item.revision}  ${tasks}; ${describeExposure(item.exposure)}; ${describeProduction(item.production)}`;
}

/** One wave (or one of its batches) as a person reads it, with the commands that carry it out. */
export function formatWave(wave: Wave, target: CommandTarget, onlyBatch?: number): string[] {
  const lines = [`Wave ${wave.number}: ${wave.title}`];
  for (const batch of wave.batches) {
    if (onlyBatch !== undefined && batch.number !== onlyBatch) continue;
    lines.push(
      `  Batch ${batch.number} (${batch.services.length} service${batch.services.length === 1 ? "" : "s"}):`,
    );
    for (const item of batch.services) {
      const controller =
        item.deploymentController !== undefined && item.deploymentController !== "ECS"
          ? ` (deployment controller ${item.deploymentController}: not moved by UpdateService${item.deploymentController === "CODE_DEPLOY" ? "; ECS does not name the CodeDeploy application and deployment group, fill them in" : ""})`
          : "";
      lines.push(`    ${itemLine(item)}${controller}`, `      ${moveCommand(item, target)}`);
    }
  }
  if (wave.standalone.length > 0) {
    lines.push(
      "  Standalone tasks (never stopped or started here: whoever starts them starts the replacement, for example so):",
    );
    for (const item of wave.standalone) {
      const who =
        item.startedBy !== undefined && item.startedBy.length > 0
          ? `; started by ${item.startedBy.join(", ")}`
          : "";
      lines.push(`    ${itemLine(item)}${who}`, `      ${runTaskCommand(item, target)}`);
    }
  }
  return lines;
}

export interface FixPlanText {
  /** With `--out`: where the register files are; without, the JSON is printed. */
  readonly outDirectory?: string;
}

/** The fix plan of one Region: registrations, waves, exemptions; read-only. */
export function formatRegionPlan(plan: RegionPlan, target: CommandTarget, options: FixPlanText = {}): string {
  const lines = [`Fix plan for ${plan.accountId} in ${plan.region} (read-only: nothing was changed)`];
  if (plan.replacements.size === 0 && plan.waves.length === 0) lines.push("  Nothing to fix.");
  if (plan.replacements.size > 0) {
    lines.push(
      "",
      "Register each replacement once (the same definition without pidMode, its tags, and a tag naming the",
      "revision it replaces), and keep its ARN: each service moves to the exact revision registered for it.",
    );
    for (const replacement of plan.replacements.values())
      lines.push(`  ${registerCommand(replacement, target, options.outDirectory)}`);
  }
  for (const wave of plan.waves) lines.push("", ...formatWave(wave, target));
  if (plan.exempted.length > 0) {
    lines.push("", "Exempted (approved exceptions; never in a wave):");
    for (const entry of plan.exempted) {
      const where = [
        ...new Set(
          entry.placements.map((p) =>
            p.service ? `${p.cluster}/${p.service}` : `${p.cluster} (standalone tasks)`,
          ),
        ),
      ].sort();
      lines.push(
        `  ${entry.revision}  owner ${entry.owner}, expires ${entry.expires}: ${entry.reason} (${where.join(", ")})`,
      );
    }
  }
  if (plan.unreadParts.length > 0) {
    lines.push(
      "",
      "Not read for the plan (what they decide is shown as unknown):",
      ...plan.unreadParts.map((part) => `  ${part}`),
    );
  }
  if (options.outDirectory === undefined && plan.replacements.size > 0) {
    // Without --out nothing is written: the commands above read files the person saves from here.
    lines.push(
      "",
      "No file was written (no --out DIR): save each block below under the name above it, where you run the",
      "commands, or run the plan again with --out DIR to have them written.",
    );
    for (const replacement of plan.replacements.values()) {
      lines.push("", `# ${registerFileName(replacement)}`, JSON.stringify(replacement.input, null, 2));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The plan as data (`plan.json`, and `fixPlan` in `--json`). */
export function planDocument(plan: RegionPlan) {
  return {
    region: plan.region,
    accountId: plan.accountId,
    replacements: [...plan.replacements.entries()].map(([revisionArn, replacement]) => ({
      revision: replacement.replaces,
      revisionArn,
      file: registerFileName(replacement),
      registerTaskDefinitionInput: replacement.input,
    })),
    waves: plan.waves,
    exempted: plan.exempted,
    unreadParts: plan.unreadParts,
  };
}

/**
 * `--out DIR`: one account and Region write into DIR; several Regions each into DIR/<region>; several accounts
 * each into DIR/<account>[/<region>], so files never collide.
 */
export function outDirectoryFor(
  directory: string,
  region: string,
  regionCount: number,
  accountId?: string,
): string {
  const accountDirectory = accountId === undefined ? directory : join(directory, accountId);
  return regionCount > 1 ? join(accountDirectory, region) : accountDirectory;
}

/** `--out`: each replacement's register file, then `plan.json`, into `directory`. */
export async function writePlanFiles(
  plan: RegionPlan,
  directory: string,
  writeTextFile: (path: string, text: string) => Promise<void>,
): Promise<void> {
  for (const replacement of plan.replacements.values()) {
    await writeTextFile(
      join(directory, registerFileName(replacement)),
      `${JSON.stringify(replacement.input, null, 2)}\n`,
    );
  }
  await writeTextFile(join(directory, "plan.json"), `${JSON.stringify(planDocument(plan), null, 2)}\n`);
}
