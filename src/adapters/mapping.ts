/**
 * Kept for the spreadsheet reader's imports until it moves to src/input/: the mapping tables are
 * loaded in src/rules/mapping/.
 */
export { knownColumns, columnsOf, loadCsvMapping, type CsvMapping } from "../rules/mapping/csv.js";
export { loadFhirMapping, type FhirMapping, type LabMap, type UnitRule } from "../rules/mapping/fhir.js";
export { MappingError, mappingPath, DEFAULT_MAPPINGS_DIR } from "../rules/mapping/read.js";
export type { Coding, CodeMatcher } from "../rules/mapping/codes.js";
