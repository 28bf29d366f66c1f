/**
 * The FHIR mapping table: read, validated against the rules' declared fields (every path a field
 * the rules declare, every value one the field takes, every code system declared), and compiled
 * into matchers. Cached per file and rules.
 */
import { parseRational, type Rational } from "../../numbers/rational.js";
import { parseDuration } from "../../time/instant.js";
import type { CompiledRules } from "../compiled.js";
import { compileMatcher, type CodeMatcher, type SystemInfo } from "./codes.js";
import { fhirSchema, type FhirMappingFile, type LabSpec } from "./fhir-schema.js";
import { describeIssue, invalidMapping, mappingPath, readMappingJson } from "./read.js";

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
  /** The oldest a result may be at screening (ms) and still be used; its text for messages. */
  readonly maxAge: { readonly ms: number; readonly text: string };
}

export interface FhirMapping {
  readonly file: FhirMappingFile;
  readonly source: string;
  /** The system label ("LOINC") for a system URI, for messages. */
  readonly label: (system: string | undefined) => string;
  readonly matcher: (codes: Record<string, string[]> | undefined) => CodeMatcher;
  readonly labs: readonly LabMap[];
  /** A unit as written → the key the labs' unit tables use (exact, else ignoring case). */
  readonly unitAlias: (unit: string) => string | undefined;
}

interface Decl {
  readonly type: string;
  readonly values?: readonly string[];
  readonly nullable?: boolean;
}

/** Every record path the rules declare (fields, and labs as labs.<name>), with what it holds. */
function declared(rules: CompiledRules): Map<string, Decl> {
  const out = new Map<string, Decl>();
  for (const [p, decl] of rules.fields) {
    out.set(p, { type: decl.type, ...(decl.type === "enum" ? { values: decl.values } : {}), ...(decl.nullable ? { nullable: true } : {}) });
  }
  for (const lab of rules.labs.values()) out.set(lab.path, { type: "lab" });
  return out;
}

function fits(decl: Decl, value: unknown): boolean {
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

/** Collects the problems of a mapping table against the rules, each with its place in the file. */
class Checker {
  readonly problems: string[] = [];
  private readonly paths: Map<string, Decl>;
  constructor(
    rules: CompiledRules,
    private readonly m: FhirMappingFile,
  ) {
    this.paths = declared(rules);
  }
  path(where: string, p: string | undefined, kind?: string): void {
    if (p === undefined) return;
    const decl = this.paths.get(p);
    if (!decl) this.problems.push(`${where}: "${p}" is not a field the rules declare`);
    else if (kind && decl.type !== kind) this.problems.push(`${where}: "${p}" is a ${decl.type} field, expected ${kind}`);
  }
  value(where: string, p: string, value: unknown): void {
    const decl = this.paths.get(p);
    if (decl && !fits(decl, value)) this.problems.push(`${where}: ${JSON.stringify(value)} does not fit the field ${p}`);
  }
  codes(where: string, codes: Record<string, string[]> | undefined): void {
    for (const alias of Object.keys(codes ?? {})) if (!this.m.systems[alias]) this.problems.push(`${where}: unknown code system "${alias}" (declare it under "systems")`);
  }
}

function checkLab(c: Checker, rules: CompiledRules, l: LabSpec, where: string, defaultAge: string): { name: string; units: Map<string, UnitRule>; maxAge: LabMap["maxAge"] } {
  c.path(where, l.path, "lab");
  c.codes(where, l.codes);
  const lab = [...rules.labs.values()].find((x) => x.path === l.path);
  const units = new Map<string, UnitRule>();
  for (const [from, rule] of Object.entries(l.units)) {
    const at = `${where}.units["${from}"]`;
    const factor = parseRational(rule.factor ?? "1");
    if (!factor || factor.n <= 0n) c.problems.push(`${at}: factor ${JSON.stringify(rule.factor)} is not a positive number`);
    if (lab && rule.unit !== null && !lab.units.has(rule.unit)) c.problems.push(`${at}: "${rule.unit}" is not a unit of ${l.path} (${[...lab.units.keys()].join(", ") || "none"})`);
    if (lab && rule.unit === null && lab.units.size > 0) c.problems.push(`${at}: ${l.path} needs a unit`);
    if (factor) units.set(from, { unit: rule.unit, factor, ...(rule.warning !== undefined ? { warning: rule.warning } : {}) });
  }
  const ageText = l.maxAge ?? defaultAge;
  const ms = parseDuration(ageText);
  if (ms === null || ms <= 0) c.problems.push(`${l.maxAge !== undefined ? `${where}.maxAge` : "labMaxAge"}: ${JSON.stringify(ageText)} is not a duration such as "14d", "36h" or "90min"`);
  return { name: lab?.name ?? l.path, units, maxAge: { ms: ms ?? 0, text: ageText } };
}

function checkObservationTables(c: Checker, m: FhirMappingFile): void {
  m.scores.forEach((s, i) => {
    c.path(`scores[${i}]`, s.path, "integer");
    c.path(`scores[${i}].onlyBefore`, s.onlyBefore, "timestamp");
    c.codes(`scores[${i}]`, s.codes);
  });
  m.answers.forEach((a, i) => {
    c.path(`answers[${i}]`, a.path);
    c.codes(`answers[${i}]`, a.codes);
    for (const [v, spec] of Object.entries(a.values)) {
      c.value(`answers[${i}].values`, a.path, v);
      c.codes(`answers[${i}].values.${v}`, spec.codes);
    }
  });
}

function checkConditionTables(c: Checker, m: FhirMappingFile): void {
  m.conditionOnsets.forEach((o, i) => {
    c.path(`conditionOnsets[${i}]`, o.path, "timestamp");
    c.codes(`conditionOnsets[${i}]`, o.codes);
  });
  m.conditions.forEach((cond, i) => {
    c.path(`conditions[${i}]`, cond.path);
    c.codes(`conditions[${i}]`, cond.codes);
    c.value(`conditions[${i}].present`, cond.path, cond.present);
    if (cond.refuted !== undefined) c.value(`conditions[${i}].refuted`, cond.path, cond.refuted);
  });
}

function checkTreatmentTables(c: Checker, m: FhirMappingFile): void {
  m.medications.forEach((med, i) => {
    c.path(`medications[${i}]`, med.path, med.sets === "taken-now" ? "boolean" : "timestamp");
    c.codes(`medications[${i}]`, med.codes);
  });
  m.allergies.forEach((a, i) => {
    c.path(`allergies[${i}]`, a.path);
    c.codes(`allergies[${i}]`, a.codes);
    c.codes(`allergies[${i}].rashManifestations`, a.rashManifestations);
    for (const [reading, value] of Object.entries(a.values)) if (value !== undefined) c.value(`allergies[${i}].values.${reading}`, a.path, value);
  });
  m.noAllergyFindings.forEach((n, i) => {
    c.codes(`noAllergyFindings[${i}]`, n.codes);
    for (const [p, v] of Object.entries(n.sets)) {
      c.path(`noAllergyFindings[${i}].sets`, p);
      c.value(`noAllergyFindings[${i}].sets`, p, v);
    }
  });
  m.treatments.forEach((t, i) => {
    c.path(`treatments[${i}]`, t.path, "boolean");
    c.path(`treatments[${i}].after`, t.after, "timestamp");
    c.codes(`treatments[${i}].procedures`, t.procedures);
    c.codes(`treatments[${i}].medications`, t.medications);
  });
}

function compileMapping(m: FhirMappingFile, file: string, labs: { spec: LabSpec; name: string; units: Map<string, UnitRule>; maxAge: LabMap["maxAge"] }[]): FhirMapping {
  const systemOf = new Map<string, SystemInfo>();
  for (const [alias, s] of Object.entries(m.systems)) for (const uri of s.uri) systemOf.set(uri, { alias, match: s.match, label: s.label ?? alias });
  const matcher = (codes: Record<string, string[]> | undefined): CodeMatcher => compileMatcher(codes ?? {}, systemOf);
  const aliases = new Map(Object.entries(m.unitAliases));
  const folded = new Map(Object.entries(m.unitAliases).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    file: m,
    source: file,
    label: (system) => (system === undefined ? "(no system)" : (systemOf.get(system)?.label ?? system)),
    matcher,
    labs: labs.map((l) => ({ path: l.spec.path, lab: l.name, matches: matcher(l.spec.codes), units: l.units, maxAge: l.maxAge })),
    unitAlias: (unit) => aliases.get(unit) ?? folded.get(unit.toLowerCase()),
  };
}

const mappingCache = new Map<string, FhirMapping>();

/** Reads, validates and compiles a FHIR mapping table against the rules; cached per file and rules. */
export function loadFhirMapping(rules: CompiledRules, file = mappingPath(rules, "fhir-r4.json")): FhirMapping {
  const key = `${file}\u0000${rules.meta.sha256}`;
  const cached = mappingCache.get(key);
  if (cached) return cached;
  const parsed = fhirSchema.safeParse(readMappingJson(file));
  if (!parsed.success) invalidMapping(file, parsed.error.issues.map(describeIssue));
  const m = parsed.data;
  const c = new Checker(rules, m);
  c.path("patient.id", m.patient.id);
  c.path("patient.birthDate", m.patient.birthDate, "date");
  c.path("patient.sex", m.patient.sex);
  if (m.patient.sex) for (const [g, v] of Object.entries(m.patient.gender)) c.value(`patient.gender.${g}`, m.patient.sex, v);
  const labs = m.labs.map((spec, i) => ({ spec, ...checkLab(c, rules, spec, `labs[${i}]`, m.labMaxAge) }));
  for (const [from, to] of Object.entries(m.unitAliases)) {
    if (!m.labs.some((l) => Object.hasOwn(l.units, to))) c.problems.push(`unitAliases["${from}"]: "${to}" is not a unit any lab's table lists`);
  }
  checkObservationTables(c, m);
  checkConditionTables(c, m);
  checkTreatmentTables(c, m);
  if (c.problems.length) invalidMapping(file, c.problems);
  const mapping = compileMapping(m, file, labs);
  mappingCache.set(key, mapping);
  return mapping;
}
