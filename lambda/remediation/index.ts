// The public surface of the remediation, for the command line: its use cases (plan the waves, apply a batch,
// judge the families again), their adapters assembled in one place, and the pure pieces a command formats
// (the journal, production rules, waves, replacements, exposure).

export { describeExposure } from "./core/exposure";
export { EMPTY_JOURNAL, type Journal, parseJournal, pendingMoves } from "./core/journal";
export {
  DEFAULT_PRODUCTION_RULES,
  type Production,
  type ProductionRule,
  parseProductionRule,
} from "./core/production";
export type { Replacement } from "./core/replacement";
export { describeChoice } from "./core/replacementChoice";
export { targetLabel, type Wave, type WorkItem } from "./core/waves";
export type { JournalStore } from "./ports";
export { type ApplyResult, applyBatch, describeManualStep } from "./useCases/apply";
export { planRegion, type RegionPlan } from "./useCases/plan";
export { familyVerdicts, REMEDIATION_RATE_SHARE } from "./useCases/verdicts";
export { type RemediationClients, remediationPorts } from "./wiring";
