export { screen, parseAsOf, machineTimeZone, UsageError } from "./screen.js";
export type { ScreenOptions } from "./screen.js";
export type { ScreeningResult, ScreenedResult, ErrorResult, OutputResult, Position, Problem, RulesMeta, CriterionOutcome, SourceMap, SourceRef } from "./result.js";
export { loadRules, compileRules, RulesError, DEFAULT_RULES_PATH } from "./rules/load.js";
export type { CompiledRules } from "./rules/compiled.js";
export type { Outcome, Verdict } from "./logic/kleene.js";
export { rulesJsonSchema } from "./rules/schema.js";
export { exitCodeFor } from "./exit-codes.js";
// Inputs and outputs beyond JSON records: spreadsheets and FHIR R4 in, ResearchSubject out, with provenance.
export { bundleToRecords } from "./adapters/fhir-in.js";
export type { FhirContext, AdaptedRecord, BundleResult } from "./adapters/fhir-in.js";
export { readHeader, rowToRecord, recordToRow, csvTemplate, templateColumns } from "./input/csv.js";
export { loadFhirMapping, loadCsvMapping } from "./adapters/mapping.js";
export { researchSubject, fhirOutOptions } from "./adapters/fhir-out.js";
