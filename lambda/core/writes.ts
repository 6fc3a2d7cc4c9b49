import { type Evaluation, type Judgement, type ResourceKey, type Verdict, verdictKey } from "./verdicts";

export interface CurrentVerdict extends Verdict, ResourceKey {}

export interface JudgedResource extends ResourceKey {
  readonly judgement: Judgement;
}

export interface WritePlan {
  /** New or changed verdicts that are certain: the only ones worth paying Config for. */
  readonly toWrite: readonly Evaluation[];
  readonly unchanged: number;
  /** Resources (by `verdictKey`) whose verdict an unread part of the account could change: left as Config has them. */
  readonly withheld: readonly string[];
}

/**
 * What to write, given what Config holds. Without Config's current verdicts (`undefined`: they could not
 * be read) every certain verdict is written, since nothing shows it unchanged.
 */
export function planWrites(
  judged: readonly JudgedResource[],
  currentVerdicts: ReadonlyMap<string, CurrentVerdict> | undefined,
  orderingTimestamp: Date,
): WritePlan {
  const toWrite: Evaluation[] = [];
  const withheld: string[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const { resourceType, resourceId, judgement } of judged) {
    const key = verdictKey(resourceType, resourceId);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!judgement.certain) {
      withheld.push(key);
      continue;
    }
    const current = currentVerdicts?.get(key);
    if (current?.complianceType === judgement.complianceType && current.annotation === judgement.annotation) {
      unchanged++;
      continue;
    }
    toWrite.push({
      resourceType,
      resourceId,
      complianceType: judgement.complianceType,
      annotation: judgement.annotation,
      orderingTimestamp,
    });
  }
  return { toWrite, unchanged, withheld };
}
