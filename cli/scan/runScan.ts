import type { ApprovedException } from "../../lambda/core/index";
import type { ProductionRule } from "../../lambda/remediation/index";
import { connectionOf } from "../shared/clients";
import { productionRulesOf } from "../shared/commandLine";
import {
  type AccountCommandEnvironment,
  accountAndRegions,
  loadApprovedExceptions,
  requireKnownProfile,
} from "../shared/commandStart";
import { failureOutcome, hintFor, runAccountCommand } from "../shared/failures";
import { outDirectoryFor, writePlanFiles } from "../shared/fixPlan";
import { ProgressLine } from "../shared/progress";
import { NO_TERMINAL, paintVerdicts, presentationFor, quietIf, type Terminal } from "../shared/terminal";
import {
  type AccountOutcome,
  combinedExitCode,
  formatAccounts,
  type ScanTarget,
  targetsOf,
} from "./accounts";
import { SCAN_COMMAND, type ScanOptions } from "./arguments";
import { formatScanAs, formatScanTable, unreadWarnings } from "./output";
import { type RegionScan, scanRegion } from "./scanRegion";
import { exitCodeOf, type ScanResult } from "./scanResult";

export interface ScanEnvironment extends AccountCommandEnvironment {
  /** Where stdout goes: colour and table width. @default NO_TERMINAL */
  readonly terminal?: Terminal;
}

/** `ecs-pid-mode scan`: returns the exit status. Writes nothing but stdout, stderr and the `--out` files. */
export function runScan(argv: readonly string[], env: ScanEnvironment): Promise<number> {
  return runAccountCommand(argv, env, {
    ...SCAN_COMMAND,
    run: (options, profile) => scan(options, profile, env),
  });
}

async function scan(
  options: ScanOptions,
  profile: string | undefined,
  env: ScanEnvironment,
): Promise<number> {
  const io = quietIf(options.quiet, env);
  const presentation = presentationFor(env.terminal ?? NO_TERMINAL, options);
  for (const name of options.profiles) await requireKnownProfile(name, env);
  if (options.profiles.length === 0) await requireKnownProfile(profile, env);
  const exceptions = await loadApprovedExceptions(options, io);
  const productionRules = productionRulesOf(options.production);
  const connection = connectionOf(options, env.stderr);
  const targets = await targetsOf(options, env, connection);
  const severalAccounts = targets.length > 1 || options.organizationRole !== undefined;
  const scanOne = (target: ScanTarget) =>
    scanAccount(target, options, {
      env,
      io,
      exceptions: exceptions.approved,
      productionRules,
      severalAccounts,
    });

  if (!severalAccounts) {
    // One account: the output as it has always been.
    const result = await scanOne(targets[0] as ScanTarget);
    if (options.output === "table")
      env.stdout(paintVerdicts(formatScanTable(result, presentation.width), presentation));
    else {
      env.stdout(formatScanAs(options.output, result, new Date(env.clock.now())));
      if (options.output !== "json") env.stderr.write(unreadWarnings(result));
    }
    reportHints(result, profile, env);
    return exitCodeOf(result);
  }

  const outcomes: AccountOutcome[] = [];
  for (const target of targets) {
    try {
      outcomes.push({ target, result: await scanOne(target) });
    } catch (error) {
      outcomes.push({ target, failure: failureOutcome(error, target.profile) });
    }
  }
  env.stdout(formatAccounts(options.output, outcomes, presentation, new Date(env.clock.now())));
  for (const outcome of outcomes) {
    if ("failure" in outcome)
      env.stderr.write(`error: ${outcome.target.label}: ${outcome.failure.line}
`);
    else {
      if (options.output === "csv" || options.output === "asff")
        env.stderr.write(unreadWarnings(outcome.result));
      reportHints(outcome.result, outcome.target.profile, env);
    }
  }
  return combinedExitCode(outcomes);
}

/** One account, every Region asked for: what the single-account scan always did. */
async function scanAccount(
  target: ScanTarget,
  options: ScanOptions,
  context: {
    readonly env: ScanEnvironment;
    readonly io: Pick<ScanEnvironment, "stderr">;
    readonly exceptions: readonly ApprovedException[];
    readonly productionRules: readonly ProductionRule[];
    /** Several accounts write their `--out` files under DIR/<account>. */
    readonly severalAccounts: boolean;
  },
): Promise<ScanResult> {
  const { env, io } = context;
  const { clients } = target;
  const { accountId, regions } = await accountAndRegions(clients, options.regions);
  const now = new Date(env.clock.now());
  const scans: RegionScan[] = [];
  for (const region of regions) {
    const progress = new ProgressLine(io.stderr, env.clock);
    scans.push(
      await scanRegion(clients.ecs(region), {
        region,
        accountId,
        exceptions: context.exceptions,
        now,
        clock: env.clock,
        ...(options.fixPlan
          ? {
              fixPlan: {
                elb: clients.elb(region),
                ec2: clients.ec2(region),
                productionRules: context.productionRules,
                batchSize: options.batchSize,
              },
            }
          : {}),
        onProgress: (counts) =>
          progress.update(
            `${accountId} ${region}: ${counts.clustersRead}/${counts.clustersListed} clusters read, ${counts.tasksDescribed} tasks described, ${counts.revisionsFound} revisions in use`,
          ),
      }),
    );
    progress.finish();
  }
  if (options.outDirectory !== undefined) {
    for (const scan of scans) {
      if (scan.plan === undefined) continue;
      const directory = outDirectoryFor(
        options.outDirectory,
        scan.region,
        scans.length,
        context.severalAccounts ? accountId : undefined,
      );
      await writePlanFiles(scan.plan, directory, env.writeTextFile);
    }
  }
  return {
    accountId,
    regions: scans,
    fixPlan: options.fixPlan,
    profile: target.profile,
    ...(options.outDirectory === undefined ? {} : { outDirectory: options.outDirectory }),
  };
}

function reportHints(
  result: ScanResult,
  profile: string | undefined,
  env: Pick<ScanEnvironment, "stderr">,
): void {
  const hints = new Set(
    result.regions.flatMap((scan) => scan.unreadParts.flatMap((part) => hintFor(part, profile) ?? [])),
  );
  for (const hint of hints) env.stderr.write(`error: ${hint}\n`);
}
