import { join } from "node:path";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import {
  type ApprovedException,
  type Clock,
  DEFAULT_PRODUCTION_RULES,
  type ProductionRule,
  ProductionRuleError,
  parseProductionRule,
} from "../../lambda/index";
import { EXIT } from "../command";
import {
  accountAndRegions,
  loadApprovedExceptions,
  requireKnownProfile,
  usageErrorText,
} from "../commandStart";
import { debugStack, failureOutcome, hintFor } from "../failures";
import { type Connection, connectionOf } from "../remediate/clients";
import { errorsOnly, NO_TERMINAL, paintVerdicts, presentationFor, type Terminal } from "../terminal";
import {
  type AccountOutcome,
  combinedExitCode,
  formatAccounts,
  type ScanTarget,
  targetsOf,
} from "./accounts";
import { HELP, parseScanArguments, type ScanOptions, USAGE, UsageError } from "./arguments";
import { planDocument, registerFileName } from "./fixPlan";
import { exitCodeOf, formatScanAs, formatScanTable, type ScanResult, unreadWarnings } from "./output";
import { ProgressLine, type ProgressStream } from "./progress";
import { type RegionScan, scanRegion } from "./scanRegion";

/** SDK clients for one profile (`undefined`: the default credential chain) and Region (`undefined`: the SDK's). */
export interface ScanClients {
  ecs(region: string): Pick<ECSClient, "send">;
  sts(region: string): Pick<STSClient, "send">;
  /** The fix plan's reads of load balancers and public IPs. */
  elb(region: string): Pick<ElasticLoadBalancingV2Client, "send">;
  ec2(region: string): Pick<EC2Client, "send">;
  /** The Region the SDK would use when none is given; rejects when there is none. */
  defaultRegion(): Promise<string>;
  /** Lists the organization's accounts for `--organization-role`. @default - none: that option fails */
  organizations?(region: string): Pick<OrganizationsClient, "send">;
}

export interface ScanEnvironment {
  readonly clientsFor: (profile: string | undefined, connection?: Connection) => ScanClients;
  /** Where stdout goes: colour and table width. @default NO_TERMINAL */
  readonly terminal?: Terminal;
  readonly knownProfiles: () => Promise<Set<string>>;
  /** AWS_PROFILE, which the SDK uses when no --profile is given. */
  readonly envProfile: string | undefined;
  readonly readTextFile: (path: string) => Promise<string>;
  /** Writes a file, creating its directory (`--out`). */
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
  readonly clock: Clock;
  readonly stdout: (text: string) => void;
  readonly stderr: ProgressStream;
}

export function productionRulesOf(options: readonly string[]): readonly ProductionRule[] {
  try {
    return options.length === 0 ? DEFAULT_PRODUCTION_RULES : options.map(parseProductionRule);
  } catch (error) {
    if (error instanceof ProductionRuleError) throw new UsageError(`--production: ${error.message}`);
    throw error;
  }
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

/** `ecs-pid-mode scan`: returns the exit status. Writes nothing but stdout, stderr and the `--out` files. */
export async function runScan(argv: readonly string[], env: ScanEnvironment): Promise<number> {
  let profile: string | undefined;
  try {
    const options = parseScanArguments(argv);
    if (options.help) {
      env.stdout(`${HELP}\n`);
      return EXIT.ok;
    }
    profile = options.profile ?? env.envProfile;
    const io = options.quiet ? { ...env, stderr: errorsOnly(env.stderr) } : env;
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
  } catch (error) {
    if (error instanceof UsageError) {
      env.stderr.write(usageErrorText(error, USAGE, "scan"));
      return EXIT.usage;
    }
    const { line, exitCode } = failureOutcome(error, profile);
    env.stderr.write(`error: ${line}\n${debugStack(argv, error)}`);
    return exitCode;
  }
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
      for (const replacement of scan.plan.replacements.values()) {
        await env.writeTextFile(
          join(directory, registerFileName(replacement)),
          `${JSON.stringify(replacement.input, null, 2)}\n`,
        );
      }
      await env.writeTextFile(
        join(directory, "plan.json"),
        `${JSON.stringify(planDocument(scan.plan), null, 2)}\n`,
      );
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
