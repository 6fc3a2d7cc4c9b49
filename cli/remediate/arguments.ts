import { type AccountCommandSurface, COMMON_EXIT_CODES, EXIT, UsageError } from "../shared/command";
import {
  ACCOUNT_OPTIONS,
  ACCOUNT_OPTIONS_HELP,
  type AccountOptions,
  accountOptionsOf,
  HELP_OPTION_HELP,
  parseBatchSize,
  parseCommandLine,
  wholeNumber,
} from "../shared/commandLine";

export interface RemediateOptions extends AccountOptions {
  readonly journalFile: string;
  readonly wave: 1 | 2 | 3 | 4;
  readonly batch: number | undefined;
  readonly batchSize: number;
  readonly production: readonly string[];
  readonly apply: boolean;
  readonly yes: boolean;
  readonly outDirectory: string | undefined;
  readonly rolloutTimeoutMinutes: number;
}

/** The remediation's own exit statuses, beside the shared ones. */
export const REMEDIATE_EXIT = {
  /** Everything this tool may do is done; people must take the steps it printed. */
  manualSteps: 3,
  /** A deployment was still running when the wait ended; nothing after it was touched. */
  inProgress: 4,
} as const;

export const DEFAULT_JOURNAL = "ecs-pid-mode-remediation.journal.json";

export const USAGE = [
  "usage: ecs-pid-mode remediate --wave N [--batch K] [--batch-size N] [--region REGION ...] [--profile NAME]",
  "         [--exceptions FILE] [--max-exception-days N] [--production RULE ...] [--journal FILE] [--out DIR] [--rollout-timeout MINUTES]",
  "         [--apply [--yes]]",
].join("\n");

export const HELP = `${USAGE}

Moves the services of one wave of the fix plan (the scan's --fix-plan) to revisions without pidMode, batch by
batch, waiting for each deployment. Without --apply it prints what it would do and changes nothing.

Options:
${ACCOUNT_OPTIONS_HELP}
  --wave N                the wave to work on, 1 to 4 (required)
  --batch K               only batch K of the wave (default: every batch)
  --batch-size N          services per batch (default 10)
  --production RULE       what counts as production, tag:KEY=REGEX or cluster:REGEX; repeat it
  --journal FILE          where each step is recorded, so a stopped run resumes
                          (default ${DEFAULT_JOURNAL})
  --out DIR               write the register files and plan.json into DIR
  --rollout-timeout MIN   how long to wait for one deployment, 1 to 1440 minutes (default 30)
  --apply                 carry it out (asks first)
  -y, --yes               with --apply: do not ask
${HELP_OPTION_HELP}

Exit codes:
  ${EXIT.ok}    done (or, without --apply, planned)
  ${EXIT.failed}    a step failed, a deployment failed or was rolled back (the journal says where), or not confirmed
  ${REMEDIATE_EXIT.manualSteps}    done, but manual steps remain (CodeDeploy or external services, standalone tasks,
       replacements the caller may not register): they are printed with their commands
  ${REMEDIATE_EXIT.inProgress}    a deployment was still in progress when the wait ended: run again to check it
${COMMON_EXIT_CODES}

Examples:
  ecs-pid-mode remediate --wave 1 --region eu-west-1
  ecs-pid-mode remediate --wave 1 --batch 1 --region eu-west-1 --apply
  ecs-pid-mode remediate --wave 2 --profile prod --region eu-west-1 --apply --yes`;

/** Every option the command takes; its help names each. */
export const REMEDIATE_OPTIONS = {
  ...ACCOUNT_OPTIONS,
  journal: { type: "string" },
  wave: { type: "string" },
  batch: { type: "string" },
  "batch-size": { type: "string" },
  production: { type: "string", multiple: true },
  apply: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  out: { type: "string" },
  "rollout-timeout": { type: "string" },
} as const;

/** Reads the remediation's command line; anything it does not know is a UsageError. */
export function parseRemediateArguments(argv: readonly string[]): RemediateOptions {
  const values = parseCommandLine(argv, REMEDIATE_OPTIONS);
  const account = accountOptionsOf(values);
  // Moving services is done one account at a time, with that account's journal: never spread over profiles.
  if (account.profiles.length > 1)
    throw new UsageError(
      `--profile given ${account.profiles.length} times: remediate acts on one account at a time`,
    );
  if (values.wave === undefined && !account.help) throw new UsageError("--wave N is required (1 to 4)");
  if (values.yes && !values.apply) throw new UsageError("--yes goes with --apply");
  return {
    ...account,
    journalFile: values.journal ?? DEFAULT_JOURNAL,
    wave: wholeNumber("--wave", values.wave, 1, { min: 1, max: 4 }) as 1 | 2 | 3 | 4,
    batch: values.batch === undefined ? undefined : wholeNumber("--batch", values.batch, 1, { min: 1 }),
    batchSize: parseBatchSize(values["batch-size"]),
    production: values.production ?? [],
    apply: values.apply ?? false,
    yes: values.yes ?? false,
    outDirectory: values.out,
    rolloutTimeoutMinutes: wholeNumber("--rollout-timeout", values["rollout-timeout"], 30, {
      min: 1,
      max: 24 * 60,
    }),
  };
}

/** `ecs-pid-mode remediate` as its user meets it. */
export const REMEDIATE_COMMAND: AccountCommandSurface<RemediateOptions> = {
  name: "remediate",
  usage: USAGE,
  help: HELP,
  parse: parseRemediateArguments,
};
