/**
 * The spreadsheet conventions (rules/mappings/csv.json): the words for true/false/none, the template's
 * column order and example row; checked against the rules when loaded. Also the record's columns.
 */
import { array, minLength, optional, record, string, strictObject, union, unknown, type output } from "zod/mini";
import "../zod-messages.js";
import type { CompiledRules } from "../compiled.js";
import { describeIssue, invalidMapping, mappingPath, readMappingJson } from "./read.js";

const csvSchema = strictObject({
  $comment: optional(union([string(), array(string())])),
  true: array(string()).check(minLength(1)),
  false: array(string()).check(minLength(1)),
  none: array(string()),
  columns: array(string()),
  example: record(string(), unknown()),
});

export type CsvMapping = output<typeof csvSchema>;

const csvCache = new Map<string, CsvMapping>();

/** The spreadsheet conventions (booleans, none, template columns and example row), checked against the rules. */
export function loadCsvMapping(rules: CompiledRules, file = mappingPath(rules, "csv.json")): CsvMapping {
  const key = `${file}\u0000${rules.meta.sha256}`;
  const cached = csvCache.get(key);
  if (cached) return cached;
  const parsed = csvSchema.safeParse(readMappingJson(file));
  if (!parsed.success) invalidMapping(file, parsed.error.issues.map(describeIssue));
  const m = parsed.data;
  const known = new Set(knownColumns(rules));
  const problems = m.columns.filter((c) => !known.has(c)).map((c) => `columns: "${c}" is not a record path the rules declare`);
  const lower = (l: string[]) => l.map((w) => w.toLowerCase());
  const clash = lower(m.true).filter((w) => lower(m.false).includes(w) || lower(m.none).includes(w));
  if (clash.length) problems.push(`true/false/none share the words ${clash.join(", ")}`);
  if (problems.length) invalidMapping(file, problems);
  csvCache.set(key, m);
  return m;
}

/** Every column a sheet may have: each declared field's path, and `labs.<name>.value`, `.unit`, `.uln` per lab. */
export function knownColumns(rules: CompiledRules): string[] {
  const out = [...rules.fields.keys()];
  for (const lab of rules.labs.values()) for (const part of ["value", "unit", "uln"]) out.push(`${lab.path}.${part}`);
  return out;
}

/**
 * The columns a new sheet starts with: each declared field's path, and per lab `labs.<name>.value`,
 * `.unit` (labs that have units) and `.uln` (labs that read a ULN).
 */
export function columnsOf(rules: CompiledRules): string[] {
  const out = [...rules.fields.keys()];
  for (const lab of rules.labs.values()) {
    out.push(`${lab.path}.value`);
    if (lab.units.size > 0) out.push(`${lab.path}.unit`);
    if (lab.decl.readsUln) out.push(`${lab.path}.uln`);
  }
  return out;
}

/** The template's column order: the table's own order first, then every other column. Also the order FHIR sources are listed in. */
export function templateColumns(rules: CompiledRules, conv = loadCsvMapping(rules)): string[] {
  const all = columnsOf(rules);
  return [...conv.columns.filter((c) => all.includes(c)), ...all.filter((c) => !conv.columns.includes(c))];
}
