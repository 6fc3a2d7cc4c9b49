// What the core concludes: verdicts, how certain each is, and Config's evaluations and resource names.

export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

export interface Verdict {
  readonly complianceType: ComplianceType;
  readonly annotation: string;
}

/** A verdict and whether it holds whatever the unread parts of the account turn out to contain. */
export interface Judgement extends Verdict {
  readonly certain: boolean;
}

export interface Evaluation extends Verdict {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly orderingTimestamp: Date;
}

/** A resource as Config names it. */
export interface ResourceKey {
  readonly resourceType: string;
  readonly resourceId: string;
}

export function verdictKey(resourceType: string, resourceId: string): string {
  return `${resourceType}|${resourceId}`;
}
