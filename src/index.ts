import { buildRecordSchema } from "./record/schema.js";
import { registerRecordSchema } from "./record/wording.js";

// A library caller screens synchronously, whatever the record: its errors are worded by zod (record/wording.ts).
registerRecordSchema(buildRecordSchema);

export { screen, parseAsOf, machineTimeZone, UsageError } from "./screen.js";
export type { ScreenOptions } from "./screen.js";
export type { ScreeningResult, ScreenedResult, ErrorResult, OutputResult, Position, Problem, RulesMeta, CriterionOutcome, SourceMap, SourceRef } from "./result.js";
export { loadRules, compileRules, RulesError, DEFAULT_RULES_PATH } from "./rules/load.js";
export type { CompiledRules } from "./rules/compiled.js";
export type { Outcome, Verdict } from "./logic/kleene.js";
export { rulesJsonSchema } from "./rules/schema.js";
export { exitCodeFor } from "./exit-codes.js";
// Inputs and outputs beyond JSON records: spreadsheets and FHIR R4 in, ResearchSubject out, with provenance.
export { bundleToRecords } from "./input/fhir/bundle.js";
export type { FhirContext, BundleResult } from "./input/fhir/context.js";
export type { AdaptedRecord } from "./input/fhir/evidence.js";
export { readHeader, rowToRecord, recordToRow, csvTemplate } from "./input/csv.js";
export { templateColumns } from "./rules/mapping/csv.js";
export { loadFhirMapping } from "./rules/mapping/fhir.js";
export { loadCsvMapping } from "./rules/mapping/csv.js";
export { researchSubject, fhirOutOptions } from "./report/fhir.js";
