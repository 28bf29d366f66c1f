export { screen, parseAsOf, machineTimeZone, UsageError } from "./screen.js";
export type { ScreenOptions, ScreeningResult, ScreenedResult, ErrorResult } from "./screen.js";
export { loadRules, compileRules, RulesError, DEFAULT_RULES_PATH } from "./rules/load.js";
export type { CompiledRules, RulesMeta } from "./rules/compiled.js";
export type { CriterionOutcome } from "./engine/evaluate.js";
export type { Problem } from "./record/normalise.js";
export type { Outcome, Verdict } from "./logic/kleene.js";
export { rulesJsonSchema } from "./rules/schema.js";
export { exitCodeFor } from "./exit-codes.js";
// Adapters (issue 7): spreadsheets and FHIR R4 in, ResearchSubject out, with provenance.
export { bundleToRecords } from "./input/fhir/bundle.js";
export type { FhirContext, BundleResult } from "./input/fhir/context.js";
export type { AdaptedRecord } from "./input/fhir/evidence.js";
export { readHeader, rowToRecord, recordToRow, csvTemplate, templateColumns } from "./adapters/csv.js";
export { loadFhirMapping } from "./rules/mapping/fhir.js";
export { loadCsvMapping } from "./rules/mapping/csv.js";
export { researchSubject, fhirOutOptions } from "./report/fhir.js";
export type { SourceMap, SourceRef } from "./adapters/provenance.js";
