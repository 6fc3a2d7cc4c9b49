import type { RegionScan } from "./scanRegion";

/** What one account's scan found, in every Region, and how the command ends with it. */
export interface ScanResult {
  readonly accountId: string;
  readonly regions: readonly RegionScan[];
  readonly fixPlan: boolean;
  /** Printed in every command of the fix plan, with each Region. */
  readonly profile?: string | undefined;
  /** `--out`: the register files are there, not printed. */
  readonly outDirectory?: string | undefined;
}

export function isComplete(result: ScanResult): boolean {
  return result.regions.every((region) => region.unreadParts.length === 0);
}

export function hasNonCompliant(result: ScanResult): boolean {
  return result.regions.some((region) =>
    region.verdicts.some((verdict) => verdict.complianceType === "NON_COMPLIANT"),
  );
}

/** 0: nothing NON_COMPLIANT; 2: something is; 1: part of the account could not be read (whatever was found). */
export function exitCodeOf(result: ScanResult): 0 | 1 | 2 {
  if (!isComplete(result)) return 1;
  return hasNonCompliant(result) ? 2 : 0;
}
