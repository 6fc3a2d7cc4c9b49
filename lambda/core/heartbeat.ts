// The per-account sweep heartbeat: the rule's handler emits it after each completed sweep, the
// organization-sync function reads it back to find the accounts that went quiet. Pure, names shared by both
// and by infra/ (the alarm).

/** One data point (value 1) per completed sweep, with the dimensions below, in the rule's namespace. */
export const SWEEP_HEARTBEAT_METRIC = "SweepCompleted";

/** The dimension naming the account whose sweep completed (beside `service`). */
export const ACCOUNT_DIMENSION = "accountId";

/** The organization-sync function's `service` dimension (its metrics live in the rule's namespace). */
export const SYNC_SERVICE_NAME = "ecs-pid-mode-organization-sync";

/** The count the organization-sync function publishes: accounts without a completed sweep in the window. */
export const QUIET_ACCOUNTS_METRIC = "AccountsWithoutSweep";

/** Config's periodic frequencies (`MaximumExecutionFrequency`), in seconds. */
export const FREQUENCY_SECONDS: Readonly<Record<string, number>> = {
  One_Hour: 3_600,
  Three_Hours: 3 * 3_600,
  Six_Hours: 6 * 3_600,
  Twelve_Hours: 12 * 3_600,
  TwentyFour_Hours: 24 * 3_600,
};

/** An account is quiet when it has completed no sweep within twice the rule's frequency. */
export const QUIET_AFTER_FREQUENCIES = 2;

/**
 * The expected accounts with no completed sweep in the window, sorted. `sweeps` holds the number of completed
 * sweeps each account reported in the window; an account missing from it reported none (missing data is
 * breaching).
 */
export function quietAccounts(expected: readonly string[], sweeps: ReadonlyMap<string, number>): string[] {
  return [...new Set(expected)].filter((account) => !((sweeps.get(account) ?? 0) > 0)).sort();
}
