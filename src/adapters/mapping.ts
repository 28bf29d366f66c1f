/**
 * The mapping tables (rules/mappings/*.json): FHIR codes → record paths, unit conversions, and the
 * spreadsheet conventions. They are data beside the rules, so a site extends them without code;
 * here they are read, validated against the rules' declared fields, and compiled into matchers.
 */
import { existsSync } from "node:fs";
import { textProblems } from "../text/json.js";
import { readDataFile } from "../text/data-files.js";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { _default, array, enum as oneOf, minLength, nullable, object, optional, record, string, union, unknown, type output } from "zod/mini";
import "../rules/zod-messages.js";
import { parseRational, type Rational } from "../numbers/rational.js";
import type { CompiledRules } from "../rules/compiled.js";
import { UsageError } from "../screen.js";

export const DEFAULT_MAPPINGS_DIR = fileURLToPath(new URL("../../rules/mappings/", import.meta.url));

/** One FHIR Coding, as far as the matchers care. */
export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

const codeSet = record(string(), array(string()));
const path = string().check(minLength(1));

/**
 * What a MedicationStatement's or MedicationRequest's status says of taking the drug now: `taking`
 * (true), `not-taking` (false), `stopped` (false, but an active one overrides it), `ignored` (says
 * nothing either way), `unclear` (records the drug without saying it is not taken: the field stays
 * unknown unless other evidence says it is taken).
 */
export const MEDICATION_MEANINGS = ["taking", "not-taking", "stopped", "unclear", "ignored"] as const;
export type MedicationMeaning = (typeof MEDICATION_MEANINGS)[number];

const fhirSchema = object({
  $comment: optional(union([string(), array(string())])),
  name: string(),
  version: string(),
  systems: record(string(), object({ uri: array(string()).check(minLength(1)), match: oneOf(["exact", "prefix", "icd"]), label: optional(string()) })),
  patient: object({ id: optional(path), birthDate: optional(path), sex: optional(path), gender: _default(record(string(), string()), {}) }),
  observationStatuses: array(string()).check(minLength(1)),
  labs: array(object({ path, codes: codeSet, units: record(string(), object({ unit: nullable(string()), factor: optional(string()), warning: optional(string().check(minLength(1))) })) })),
  scores: array(object({ path, codes: codeSet, units: array(string()), onlyBefore: optional(path) })),
  answers: array(object({ path, codes: codeSet, values: record(string(), object({ codes: optional(codeSet), text: optional(array(string())) })) })),
  strokeOnset: optional(object({ path, codes: codeSet })),
  conditions: array(object({ path, codes: codeSet, present: unknown(), refuted: optional(unknown()) })),
  conditionClinicalStatuses: array(string()).check(minLength(1)),
  medications: array(object({ path, kind: oneOf(["current", "lastDose"]), codes: codeSet })),
  // resource type → status → what it says of taking the drug now; a status not listed is "unclear".
  medicationStatuses: _default(record(string(), record(string(), oneOf(MEDICATION_MEANINGS))), {}),
  allergies: array(
    object({ path, codes: codeSet, severe: unknown(), mildRash: optional(unknown()), refuted: optional(unknown()), rashManifestations: optional(codeSet) }),
  ),
  noAllergyFindings: array(object({ codes: codeSet, sets: record(string(), unknown()) })),
  treatments: array(object({ path, after: optional(path), procedures: optional(codeSet), medications: optional(codeSet) })),
  questionnaire: object({ urls: array(string()), statuses: array(string()).check(minLength(1)), noneWords: array(string()), exclude: _default(array(string()), []) }),
  output: object({ base: string().check(minLength(1)), studyIdentifierSystem: string().check(minLength(1)) }),
});

export type FhirMappingFile = output<typeof fhirSchema>;

const csvSchema = object({
  $comment: optional(union([string(), array(string())])),
  true: array(string()).check(minLength(1)),
  false: array(string()).check(minLength(1)),
  none: array(string()),
  columns: array(string()),
  example: record(string(), unknown()),
});

export type CsvMapping = output<typeof csvSchema>;

/** A compiled code set: true when any coding of a concept matches. */
export type CodeMatcher = (coding: Coding) => boolean;

export interface UnitRule {
  readonly unit: string | null; // the contract's unit, null for a unitless lab (INR)
  readonly factor: Rational; // mapped value = FHIR value × factor
  readonly warning?: string; // said whenever a value is read in this unit (a code/unit mismatch)
}

export interface LabMap {
  readonly path: string;
  readonly lab: string; // name in rules.labs
  readonly matches: CodeMatcher;
  readonly units: ReadonlyMap<string, UnitRule>;
}

export interface FhirMapping {
  readonly file: FhirMappingFile;
  readonly source: string;
  /** The system label ("LOINC") for a system URI, for messages. */
  readonly label: (system: string | undefined) => string;
  readonly matcher: (codes: Record<string, string[]> | undefined) => CodeMatcher;
  readonly labs: readonly LabMap[];
}

export class MappingError extends UsageError {
  override name = "MappingError";
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readDataFile(file);
  } catch (err) {
    throw new MappingError(`cannot read the mapping table ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new MappingError(`mapping table ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const problems = textProblems(text.replace(/^\uFEFF/, ""));
  if (problems.length) throw new MappingError(`invalid mapping table ${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  return json;
}

function invalid(file: string, problems: string[]): never {
  throw new MappingError(`invalid mapping table ${file}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

/** The mapping file beside the rules (mappings/<name> next to the rules file), else the package's own. */
export function mappingPath(rules: CompiledRules, name: string): string {
  const beside = join(dirname(rules.source), "mappings", name);
  return existsSync(beside) ? beside : join(DEFAULT_MAPPINGS_DIR, name);
}

/** Every record path the rules declare (fields, and labs as labs.<name>), with what it holds. */
function declared(rules: CompiledRules): Map<string, { type: string; values?: readonly string[]; nullable?: boolean }> {
  const out = new Map<string, { type: string; values?: readonly string[]; nullable?: boolean }>();
  for (const [p, decl] of rules.fields) {
    out.set(p, { type: decl.type, ...(decl.type === "enum" ? { values: decl.values } : {}), ...(decl.nullable ? { nullable: true } : {}) });
  }
  for (const lab of rules.labs.values()) out.set(lab.path, { type: "lab" });
  return out;
}

function fits(decl: { type: string; values?: readonly string[]; nullable?: boolean }, value: unknown): boolean {
  if (value === null) return decl.nullable === true;
  switch (decl.type) {
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && (decl.values ?? []).includes(value);
    case "integer":
      return Number.isInteger(value);
    default:
      return typeof value === "string";
  }
}

const mappingCache = new Map<string, FhirMapping>();

/** Reads, validates and compiles a FHIR mapping table against the rules; cached per file and rules. */
export function loadFhirMapping(rules: CompiledRules, file = mappingPath(rules, "fhir-r4.json")): FhirMapping {
  const key = `${file}\u0000${rules.meta.sha256}`;
  const cached = mappingCache.get(key);
  if (cached) return cached;
  const parsed = fhirSchema.safeParse(readJson(file));
  if (!parsed.success) invalid(file, parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(top)"}: ${i.message}`));
  const m = parsed.data;
  const paths = declared(rules);
  const problems: string[] = [];
  const needPath = (where: string, p: string | undefined, kind?: string) => {
    if (p === undefined) return;
    const decl = paths.get(p);
    if (!decl) problems.push(`${where}: "${p}" is not a field the rules declare`);
    else if (kind && decl.type !== kind) problems.push(`${where}: "${p}" is a ${decl.type} field, expected ${kind}`);
  };
  const needValue = (where: string, p: string, value: unknown) => {
    const decl = paths.get(p);
    if (decl && !fits(decl, value)) problems.push(`${where}: ${JSON.stringify(value)} does not fit the field ${p}`);
  };
  const needCodes = (where: string, codes: Record<string, string[]> | undefined) => {
    for (const alias of Object.keys(codes ?? {})) if (!m.systems[alias]) problems.push(`${where}: unknown code system "${alias}" (declare it under "systems")`);
  };
  needPath("patient.id", m.patient.id);
  needPath("patient.birthDate", m.patient.birthDate, "date");
  needPath("patient.sex", m.patient.sex);
  if (m.patient.sex) for (const [g, v] of Object.entries(m.patient.gender)) needValue(`patient.gender.${g}`, m.patient.sex, v);
  const labs: LabMap[] = [];
  m.labs.forEach((l, i) => {
    const where = `labs[${i}]`;
    needPath(where, l.path, "lab");
    needCodes(where, l.codes);
    const lab = [...rules.labs.values()].find((x) => x.path === l.path);
    const name = lab?.name ?? l.path;
    const units = new Map<string, UnitRule>();
    for (const [from, rule] of Object.entries(l.units)) {
      const factor = parseRational(rule.factor ?? "1");
      if (!factor || factor.n <= 0n) problems.push(`${where}.units["${from}"]: factor ${JSON.stringify(rule.factor)} is not a positive number`);
      if (lab && rule.unit !== null && !lab.units.has(rule.unit)) problems.push(`${where}.units["${from}"]: "${rule.unit}" is not a unit of ${l.path} (${[...lab.units.keys()].join(", ") || "none"})`);
      if (lab && rule.unit === null && lab.units.size > 0) problems.push(`${where}.units["${from}"]: ${l.path} needs a unit`);
      if (factor) units.set(from, { unit: rule.unit, factor, ...(rule.warning !== undefined ? { warning: rule.warning } : {}) });
    }
    labs.push({ path: l.path, lab: name, matches: () => false, units });
  });
  m.scores.forEach((s, i) => {
    needPath(`scores[${i}]`, s.path, "integer");
    needPath(`scores[${i}].onlyBefore`, s.onlyBefore, "timestamp");
    needCodes(`scores[${i}]`, s.codes);
  });
  m.answers.forEach((a, i) => {
    needPath(`answers[${i}]`, a.path);
    needCodes(`answers[${i}]`, a.codes);
    for (const [v, spec] of Object.entries(a.values)) {
      needValue(`answers[${i}].values`, a.path, v);
      needCodes(`answers[${i}].values.${v}`, spec.codes);
    }
  });
  if (m.strokeOnset) {
    needPath("strokeOnset", m.strokeOnset.path, "timestamp");
    needCodes("strokeOnset", m.strokeOnset.codes);
  }
  m.conditions.forEach((c, i) => {
    needPath(`conditions[${i}]`, c.path);
    needCodes(`conditions[${i}]`, c.codes);
    needValue(`conditions[${i}].present`, c.path, c.present);
    if (c.refuted !== undefined) needValue(`conditions[${i}].refuted`, c.path, c.refuted);
  });
  m.medications.forEach((med, i) => {
    needPath(`medications[${i}]`, med.path, med.kind === "current" ? "boolean" : "timestamp");
    needCodes(`medications[${i}]`, med.codes);
  });
  m.allergies.forEach((a, i) => {
    needPath(`allergies[${i}]`, a.path);
    needCodes(`allergies[${i}]`, a.codes);
    needCodes(`allergies[${i}].rashManifestations`, a.rashManifestations);
    needValue(`allergies[${i}].severe`, a.path, a.severe);
    if (a.mildRash !== undefined) needValue(`allergies[${i}].mildRash`, a.path, a.mildRash);
    if (a.refuted !== undefined) needValue(`allergies[${i}].refuted`, a.path, a.refuted);
  });
  m.noAllergyFindings.forEach((n, i) => {
    needCodes(`noAllergyFindings[${i}]`, n.codes);
    for (const [p, v] of Object.entries(n.sets)) {
      needPath(`noAllergyFindings[${i}].sets`, p);
      needValue(`noAllergyFindings[${i}].sets`, p, v);
    }
  });
  m.treatments.forEach((t, i) => {
    needPath(`treatments[${i}]`, t.path, "boolean");
    needPath(`treatments[${i}].after`, t.after, "timestamp");
    needCodes(`treatments[${i}].procedures`, t.procedures);
    needCodes(`treatments[${i}].medications`, t.medications);
  });
  if (problems.length) invalid(file, problems);

  const systemOf = new Map<string, { alias: string; match: "exact" | "prefix" | "icd"; label: string }>();
  for (const [alias, s] of Object.entries(m.systems)) for (const uri of s.uri) systemOf.set(uri, { alias, match: s.match, label: s.label ?? alias });
  const matcher = (codes: Record<string, string[]> | undefined): CodeMatcher => compileMatcher(codes ?? {}, systemOf);
  for (let i = 0; i < labs.length; i++) labs[i] = { ...labs[i]!, matches: matcher(m.labs[i]!.codes) };
  const mapping: FhirMapping = {
    file: m,
    source: file,
    label: (system) => (system === undefined ? "(no system)" : (systemOf.get(system)?.label ?? system)),
    matcher,
    labs,
  };
  mappingCache.set(key, mapping);
  return mapping;
}

const icdKey = (code: string) => code.replace(/\./g, "").trim().toUpperCase();

function compileMatcher(codes: Record<string, string[]>, systemOf: ReadonlyMap<string, { alias: string; match: "exact" | "prefix" | "icd" }>): CodeMatcher {
  const byAlias = new Map<string, string[]>(Object.entries(codes));
  return (coding) => {
    if (coding.system === undefined || coding.code === undefined) return false;
    const sys = systemOf.get(coding.system);
    if (!sys) return false;
    const list = byAlias.get(sys.alias);
    if (!list) return false;
    const code = coding.code.trim();
    switch (sys.match) {
      case "exact":
        return list.includes(code);
      case "prefix":
        return list.some((c) => code.toUpperCase().startsWith(c.toUpperCase()));
      case "icd": {
        const k = icdKey(code);
        return list.some((c) => {
          const range = /^([A-Z]\d\d)-([A-Z]\d\d)$/i.exec(c.trim());
          if (range) {
            const cat = k.slice(0, 3);
            return cat >= range[1]!.toUpperCase() && cat <= range[2]!.toUpperCase();
          }
          return k.startsWith(icdKey(c));
        });
      }
    }
  };
}

/** True when the coding names exactly one of the listed codes (not a subcode, not a range): used for refutations. */
export function exactlyListed(codes: Record<string, string[]>, coding: Coding, mapping: FhirMapping): boolean {
  if (coding.system === undefined || coding.code === undefined) return false;
  for (const [alias, list] of Object.entries(codes)) {
    const sys = mapping.file.systems[alias];
    if (!sys || !sys.uri.includes(coding.system)) continue;
    const norm = sys.match === "icd" ? icdKey : (s: string) => s.trim().toUpperCase();
    if (list.some((c) => norm(c) === norm(coding.code!))) return true;
  }
  return false;
}

const csvCache = new Map<string, CsvMapping>();

/** The spreadsheet conventions (booleans, none, template columns and example row), checked against the rules. */
export function loadCsvMapping(rules: CompiledRules, file = mappingPath(rules, "csv.json")): CsvMapping {
  const key = `${file}\u0000${rules.meta.sha256}`;
  const cached = csvCache.get(key);
  if (cached) return cached;
  const parsed = csvSchema.safeParse(readJson(file));
  if (!parsed.success) invalid(file, parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(top)"}: ${i.message}`));
  const m = parsed.data;
  const known = new Set(knownColumns(rules));
  const problems = m.columns.filter((c) => !known.has(c)).map((c) => `columns: "${c}" is not a record path the rules declare`);
  const lower = (l: string[]) => l.map((w) => w.toLowerCase());
  const clash = lower(m.true).filter((w) => lower(m.false).includes(w) || lower(m.none).includes(w));
  if (clash.length) problems.push(`true/false/none share the words ${clash.join(", ")}`);
  if (problems.length) invalid(file, problems);
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
