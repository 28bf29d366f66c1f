export { screen, parseAsOf, machineTimeZone, UsageError } from "./screen.js";
export type { ScreenOptions, ScreeningResult, ScreenedResult, ErrorResult } from "./screen.js";
export { loadRules, compileRules, RulesError, DEFAULT_RULES_PATH } from "./rules/load.js";
export type { CompiledRules, RulesMeta } from "./rules/compiled.js";
export type { CriterionOutcome } from "./engine/evaluate.js";
export type { Problem } from "./record/normalise.js";
export type { Outcome, Verdict } from "./logic/kleene.js";
export { rulesJsonSchema } from "./rules/schema.js";
export { exitCodeFor } from "./exit-codes.js";
