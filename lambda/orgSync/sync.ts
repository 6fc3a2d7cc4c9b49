import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import {
  GetResourcePolicyCommand,
  type LambdaClient,
  PutResourcePolicyCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { type OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import {
  ACCOUNT_DIMENSION,
  QUIET_AFTER_FREQUENCIES,
  quietAccounts,
  SWEEP_HEARTBEAT_METRIC,
} from "../core/heartbeat";
import { ACCOUNT_ID_PATTERN } from "../core/identifiers";
import {
  configInvokePolicy,
  MAX_INVOKE_POLICY_ACCOUNTS,
  policyBytes,
  samePolicy,
} from "../core/invokePolicy";
import { OrganizationSyncError } from "../errors";
import type { Clock } from "../util/clock";
import { everyPage } from "../util/paging";

/** GetMetricData takes at most 500 queries a call. */
const QUERIES_PER_CALL = 500;

export interface OrganizationSyncSettings {
  /** The central rule function whose invoke policy this keeps in step with the organization. */
  readonly functionArn: string;
  /** Accounts the organization conformance pack skips: never admitted. */
  readonly excludedAccounts: readonly string[];
  /** The rule's periodic frequency, in seconds: an account is quiet after twice that without a sweep. */
  readonly frequencySeconds: number;
  /** Where the rule's heartbeat metric lives (namespace and `service` dimension). */
  readonly metricsNamespace: string;
  readonly serviceName: string;
}

export interface OrganizationSyncClients {
  readonly organizations: OrganizationsClient;
  readonly lambda: LambdaClient;
  readonly cloudWatch: CloudWatchClient;
  readonly clock: Clock;
}

export interface SyncReport {
  /** Accounts the policy admits now (the rule account first). */
  readonly admitted: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Whether the policy was written (false: it already said this). */
  readonly written: boolean;
  readonly policyBytes: number;
  /** Admitted accounts, older than the window, without a completed sweep in it. */
  readonly quiet: readonly string[];
}

/**
 * Keeps the central function's invoke policy equal to the organization's ACTIVE accounts minus the excluded
 * ones (plus the rule account), and finds the accounts whose sweeps stopped. Idempotent: it writes only when
 * the policy says something else, with the policy's revision id so that a concurrent writer is not overwritten
 * blindly. It writes nothing it is not sure of: a malformed account id, an organization too large for one
 * policy or an unreadable answer fails the run (Lambda retries, the alarm fires) and leaves the policy as it was.
 */
export class OrganizationSync {
  private readonly ruleAccountId: string;

  constructor(
    private readonly settings: OrganizationSyncSettings,
    private readonly clients: OrganizationSyncClients,
  ) {
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME
    const parts = settings.functionArn.split(":");
    const account = parts[4] ?? "";
    if (
      parts.length < 7 ||
      parts[2] !== "lambda" ||
      parts[5] !== "function" ||
      !ACCOUNT_ID_PATTERN.test(account)
    ) {
      throw new OrganizationSyncError(
        `the rule function ARN is not a Lambda function ARN: "${settings.functionArn}"`,
      );
    }
    if (!(settings.frequencySeconds >= 3_600)) {
      throw new OrganizationSyncError(
        `the rule's frequency must be at least 3600 s, got ${settings.frequencySeconds}`,
      );
    }
    this.ruleAccountId = account;
  }

  async run(): Promise<SyncReport> {
    const now = new Date(this.clients.clock.now());
    const windowSeconds = QUIET_AFTER_FREQUENCIES * this.settings.frequencySeconds;
    const accounts = await this.activeAccounts();
    const excluded = new Set(this.settings.excludedAccounts);
    const members = accounts.filter((account) => !excluded.has(account.id)).map((account) => account.id);
    const wanted = configInvokePolicy(this.settings.functionArn, this.ruleAccountId, members);
    const admitted = wanted.Statement[0].Condition.StringEquals["aws:SourceAccount"];
    if (admitted.length > MAX_INVOKE_POLICY_ACCOUNTS) {
      throw new OrganizationSyncError(
        `the organization has ${admitted.length} accounts to admit (the rule account included); one invoke ` +
          `policy holds ${MAX_INVOKE_POLICY_ACCOUNTS} within Lambda's 20 KB: the policy is left as it was. ` +
          "An organization this large needs the per-account shape (organizationShape=perAccount).",
      );
    }

    const held = await this.heldPolicy();
    const heldAccounts = new Set(accountsOf(held.text));
    const added = admitted.filter((id) => !heldAccounts.has(id));
    const removed = [...heldAccounts].filter((id) => !admitted.includes(id)).sort();
    const written = !samePolicy(held.text, wanted);
    if (written) {
      await this.clients.lambda.send(
        new PutResourcePolicyCommand({
          ResourceArn: this.settings.functionArn,
          Policy: JSON.stringify(wanted),
          RevisionId: held.revisionId,
        }),
      );
    }

    // Accounts that joined within the window have not had the time to sweep twice over: not quiet yet.
    const settled = accounts
      .filter((account) => !excluded.has(account.id))
      .filter(
        (account) =>
          account.joined === undefined || now.getTime() - account.joined.getTime() >= windowSeconds * 1000,
      )
      .map((account) => account.id);
    const expected = [...new Set([this.ruleAccountId, ...settled])];
    const sweeps = await this.completedSweeps(expected, now, windowSeconds);
    return {
      admitted,
      added,
      removed,
      written,
      policyBytes: policyBytes(wanted),
      quiet: quietAccounts(expected, sweeps),
    };
  }

  /** Every ACTIVE account of the organization, each id checked: a malformed one stops the run. */
  private async activeAccounts(): Promise<{ id: string; joined: Date | undefined }[]> {
    const accounts: { id: string; joined: Date | undefined }[] = [];
    for await (const page of paginateListAccounts({ client: this.clients.organizations }, {})) {
      for (const account of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; either may be the one present.
        const state = account.State ?? account.Status;
        if (state !== "ACTIVE") continue;
        if (account.Id === undefined || !ACCOUNT_ID_PATTERN.test(account.Id)) {
          throw new OrganizationSyncError(
            `ListAccounts returned an ACTIVE account whose id is not 12 digits: ${JSON.stringify(account.Id)}`,
          );
        }
        accounts.push({ id: account.Id, joined: account.JoinedTimestamp });
      }
    }
    return accounts;
  }

  private async heldPolicy(): Promise<{ text: string | undefined; revisionId: string | undefined }> {
    try {
      const answer = await this.clients.lambda.send(
        new GetResourcePolicyCommand({ ResourceArn: this.settings.functionArn }),
      );
      return { text: answer.Policy, revisionId: answer.RevisionId };
    } catch (error) {
      // No policy at all: the function admits no one yet.
      if (error instanceof ResourceNotFoundException) return { text: undefined, revisionId: undefined };
      throw error;
    }
  }

  /** Completed sweeps per account over the window, from the heartbeat metric, 500 accounts a call. */
  private async completedSweeps(
    accounts: readonly string[],
    now: Date,
    windowSeconds: number,
  ): Promise<Map<string, number>> {
    const sweeps = new Map<string, number>();
    for (let start = 0; start < accounts.length; start += QUERIES_PER_CALL) {
      const batch = accounts.slice(start, start + QUERIES_PER_CALL);
      const queries: MetricDataQuery[] = batch.map((account, index) => ({
        Id: `a${index}`,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: this.settings.metricsNamespace,
            MetricName: SWEEP_HEARTBEAT_METRIC,
            Dimensions: [
              { Name: "service", Value: this.settings.serviceName },
              { Name: ACCOUNT_DIMENSION, Value: account },
            ],
          },
          Period: windowSeconds,
          Stat: "Sum",
        },
      }));
      const answers = everyPage(
        (nextToken) =>
          this.clients.cloudWatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: queries,
              StartTime: new Date(now.getTime() - windowSeconds * 1000),
              EndTime: now,
              NextToken: nextToken,
            }),
          ),
        (answer) => answer.NextToken,
      );
      for await (const answer of answers) {
        for (const result of answer.MetricDataResults ?? []) {
          const index = Number(result.Id?.slice(1));
          const account = batch[index];
          if (account === undefined || !result.Id?.startsWith("a")) {
            throw new OrganizationSyncError(`GetMetricData answered a query it was not asked: ${result.Id}`);
          }
          const sum = (result.Values ?? []).reduce((total, value) => total + value, 0);
          sweeps.set(account, (sweeps.get(account) ?? 0) + sum);
        }
      }
    }
    return sweeps;
  }
}

/** The accounts a held policy admits through `aws:SourceAccount` (any case), for the report. */
function accountsOf(policyText: string | undefined): string[] {
  if (policyText === undefined) return [];
  try {
    const policy = JSON.parse(policyText) as { Statement?: unknown };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [];
    return statements.flatMap((statement: { Condition?: Record<string, Record<string, unknown>> }) =>
      Object.values(statement?.Condition ?? {}).flatMap((byKey) =>
        Object.entries(byKey ?? {})
          .filter(([key]) => key.toLowerCase() === "aws:sourceaccount")
          .flatMap(([, value]) => ([] as unknown[]).concat(value).map(String)),
      ),
    );
  } catch {
    return [];
  }
}
