import { ListAccountsCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { everyPage } from "../../lambda/index";
import type { CommandClients, Connection } from "../shared/clients";
import { CommandFailure, EXIT } from "../shared/command";
import { type AccountCommandEnvironment, accountAndRegions } from "../shared/commandStart";
import { type Presentation, paintVerdicts } from "../shared/terminal";
import type { OutputFormat, ScanOptions } from "./arguments";
import { formatScanAsff, partitionOf } from "./formats/asff";
import { formatScanCsv } from "./formats/csv";
import { formatScanJson, formatScanTable } from "./output";
import { exitCodeOf, type ScanResult } from "./scanResult";

// One scan over several accounts (`--profile` repeated, or `--organization-role`): who to scan, and one output.

/** One account to scan: how the output names it, and its clients. */
export interface ScanTarget {
  readonly label: string;
  readonly profile: string | undefined;
  readonly clients: CommandClients;
}

/** A target's outcome: its result, or the one line and exit code of the failure that stopped it. */
export type AccountOutcome =
  | { readonly target: ScanTarget; readonly result: ScanResult }
  | { readonly target: ScanTarget; readonly failure: { readonly line: string; readonly exitCode: number } };

/** The accounts to scan: each --profile, or every ACTIVE account of the organization, or the SDK's default. */
export async function targetsOf(
  options: ScanOptions,
  env: AccountCommandEnvironment,
  connection: Connection,
): Promise<ScanTarget[]> {
  const profiles: (string | undefined)[] = options.profiles.length > 0 ? [...options.profiles] : [undefined];
  if (options.organizationRole === undefined) {
    return profiles.map((name) => ({
      label: name === undefined ? "the default credentials" : `profile ${name}`,
      profile: name ?? env.envProfile,
      clients: env.clientsFor(name, connection),
    }));
  }
  const name = profiles[0];
  const caller = env.clientsFor(name, connection);
  const { accountId: own, regions } = await accountAndRegions(caller, options.regions);
  if (caller.organizations === undefined)
    throw new CommandFailure("no Organizations client to list the accounts");
  const accounts = await organizationAccounts(caller.organizations(regions[0] as string));
  return accounts.map((account) => ({
    label: `account ${account}`,
    profile: name ?? env.envProfile,
    clients:
      account === own
        ? caller
        : env.clientsFor(name, {
            ...connection,
            roleArn: `arn:${partitionOf(regions[0] as string)}:iam::${account}:role/${options.organizationRole}`,
          }),
  }));
}

/** Every ACTIVE account of the organization, page by page, in the order AWS lists them. */
async function organizationAccounts(organizations: Pick<OrganizationsClient, "send">): Promise<string[]> {
  const accounts: string[] = [];
  const pages = everyPage(
    (token) => organizations.send(new ListAccountsCommand({ NextToken: token })),
    (page) => page.NextToken,
  );
  for await (const page of pages) {
    for (const account of page.Accounts ?? []) {
      // Accounts being closed or suspended cannot be read; the API's Status is deprecated for State.
      const state = (account as { State?: string }).State ?? account.Status;
      if (account.Id && (state === undefined || state === "ACTIVE")) accounts.push(account.Id);
    }
  }
  return accounts;
}

/** Several accounts: one section each, headed by the account (and how it was reached). */
function accountsTable(outcomes: readonly AccountOutcome[], presentation: Presentation): string {
  return outcomes
    .map((outcome) => {
      if ("failure" in outcome)
        return `== ${outcome.target.label}: not scanned ==\n${outcome.failure.line}\n`;
      const heading = `== account ${outcome.result.accountId} (${outcome.target.label}) ==`;
      return `${heading}\n${paintVerdicts(formatScanTable(outcome.result, presentation.width), presentation)}`;
    })
    .join("\n");
}

/** Several accounts in one output: a section each (table), one document (json), one header (csv), one array (asff). */
export function formatAccounts(
  format: OutputFormat,
  outcomes: readonly AccountOutcome[],
  presentation: Presentation,
  at: Date,
): string {
  if (format === "table") return accountsTable(outcomes, presentation);
  if (format === "json") return accountsJson(outcomes);
  const results = outcomes.flatMap((outcome) => ("result" in outcome ? [outcome.result] : []));
  return format === "csv" ? formatScanCsv(results) : formatScanAsff(results, at);
}

function accountsJson(outcomes: readonly AccountOutcome[]): string {
  const accounts = outcomes.map((outcome) =>
    "failure" in outcome
      ? {
          source: outcome.target.label,
          complete: false,
          error: outcome.failure.line,
          exitCode: outcome.failure.exitCode,
        }
      : { source: outcome.target.label, ...(JSON.parse(formatScanJson(outcome.result)) as object) },
  );
  return `${JSON.stringify({ accounts }, null, 2)}\n`;
}

/**
 * The status of several accounts: a failure that stopped an account wins (its own code when they agree, else 1),
 * then a part unread (1), then NON_COMPLIANT (2), else 0.
 */
export function combinedExitCode(outcomes: readonly AccountOutcome[]): number {
  const failures = [
    ...new Set(outcomes.flatMap((outcome) => ("failure" in outcome ? [outcome.failure.exitCode] : []))),
  ];
  if (failures.length === 1) return failures[0] as number;
  if (failures.length > 1) return EXIT.failed;
  const codes = outcomes.flatMap((outcome) => ("result" in outcome ? [exitCodeOf(outcome.result)] : []));
  if (codes.includes(EXIT.failed)) return EXIT.failed;
  return codes.includes(EXIT.nonCompliant) ? EXIT.nonCompliant : EXIT.ok;
}
