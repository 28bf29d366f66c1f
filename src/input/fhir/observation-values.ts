/** An Observation's value as a record value: a lab (exact unit conversion, ULN), a score, a coded answer. */
import { format, fromNumber, mul, type Rational } from "../../numbers/rational.js";
import type { CompiledRules } from "../../rules/compiled.js";
import type { AnswerSpec } from "../../rules/mapping/fhir-schema.js";
import type { FhirMapping, LabMap, UnitRule } from "../../rules/mapping/fhir.js";
import { lookupUnit } from "../../rules/mapping/units.js";
import { arr, concepts, isObject, shortJson, statusCode, str, type Json } from "./values.js";

/** A scalar from the Bundle as written; anything else briefly. */
const written = (v: unknown): string => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : shortJson(v));

export type Read = { value: unknown; element: string; notes: string[] } | { problem: string };

type UnitAlias = Pick<FhirMapping, "unitAlias">;

/** Reads a unit the table knows: the UCUM code first, then the printed unit (see lookupUnit). */
function unitRule(q: Json, lab: LabMap, alias: UnitAlias): { key: string; rule: UnitRule } | undefined {
  const keys = [str(q.code), str(q.unit)].filter((k): k is string => k !== undefined);
  return lookupUnit(lab, keys.length ? keys : [""], alias);
}

/** An exact product as a JSON number, or undefined when it has no finite decimal form. */
function exactTimes(value: number, factor: Rational): number | undefined {
  const text = format(mul(fromNumber(value), factor));
  return text.startsWith("≈") ? undefined : Number(text);
}

/** The lab report's own upper limit of normal, when one reference range stands alone in the value's unit. */
function readUln(json: Json, lab: LabMap, unit: { key: string; rule: UnitRule }, alias: UnitAlias, notes: string[]): number | undefined {
  const ranges = arr(json.referenceRange).filter((r): r is Json => isObject(r) && isObject(r.high));
  const plain = ranges.filter((r) => r.appliesTo === undefined && r.age === undefined && (r.type === undefined || concepts(r.type).some((c) => c.code === "normal")));
  const range = ranges.length === 1 ? ranges[0] : plain.length === 1 ? plain[0] : undefined;
  if (ranges.length > 1 && !range) notes.push(`${ranges.length} reference ranges and none stands alone; its ULN is not read (the site's reference range applies)`);
  if (!range) return undefined;
  const high = range.high as Json;
  const highUnit = high.code === undefined && high.unit === undefined ? unit : unitRule(high, lab, alias);
  if (high.comparator !== undefined || typeof high.value !== "number" || !(high.value > 0)) {
    notes.push(`referenceRange.high ${shortJson(high.value)} is not a positive number; ULN not read`);
    return undefined;
  }
  if (!highUnit || highUnit.rule.unit !== unit.rule.unit) {
    notes.push(`referenceRange.high is in ${shortJson(str(high.code) ?? str(high.unit))}, not the value's unit; ULN not read`);
    return undefined;
  }
  return exactTimes(high.value, highUnit.rule.factor);
}

export function readLab(json: Json, lab: LabMap, rules: CompiledRules, alias: UnitAlias): Read {
  const q = json.valueQuantity;
  if (!isObject(q)) {
    const reason = statusCode(json.dataAbsentReason);
    return { problem: reason ? `no value (dataAbsentReason ${reason})` : `no valueQuantity` };
  }
  if (q.comparator !== undefined) return { problem: `the value is "${written(q.comparator)}${written(q.value)}", a bound, not a measured number` };
  if (typeof q.value !== "number" || !Number.isFinite(q.value)) return { problem: `valueQuantity.value ${shortJson(q.value)} is not a number` };
  const unit = unitRule(q, lab, alias);
  if (!unit) return { problem: `unit ${shortJson(str(q.code) ?? str(q.unit) ?? "")} is not mapped for ${lab.path} (add it to the mapping table)` };
  const value = exactTimes(q.value, unit.rule.factor);
  if (value === undefined) return { problem: `${q.value} ${unit.key} has no exact value in ${unit.rule.unit}` };
  const out: Json = { value };
  if (unit.rule.unit !== null) out.unit = unit.rule.unit;
  const notes: string[] = [];
  const converted = unit.key !== unit.rule.unit && !(unit.rule.unit === null);
  if (converted && format(unit.rule.factor) !== "1") notes.push(`${q.value} ${unit.key} converted to ${value} ${unit.rule.unit}`);
  if (unit.rule.warning) notes.push(`${q.value} ${unit.key}: ${unit.rule.warning}`);
  let element = "valueQuantity";
  if (rules.labs.get(lab.lab)?.decl.readsUln) {
    const uln = readUln(json, lab, unit, alias, notes);
    if (uln !== undefined) {
      out.uln = uln;
      element = "valueQuantity, referenceRange.high";
    }
  }
  return { value: out, element, notes };
}

export function readScore(json: Json, units: readonly string[]): Read {
  let n: unknown;
  let element: string;
  if (json.valueInteger !== undefined) {
    n = json.valueInteger;
    element = "valueInteger";
  } else if (isObject(json.valueQuantity)) {
    const q = json.valueQuantity;
    const u = str(q.code) ?? str(q.unit) ?? "";
    if (!units.includes(u) && !units.includes(str(q.unit) ?? "")) return { problem: `unit ${shortJson(u)} is not a score unit the table knows` };
    if (q.comparator !== undefined) return { problem: `the value is a bound ("${written(q.comparator)}${written(q.value)}")` };
    n = q.value;
    element = "valueQuantity";
  } else {
    const kind = Object.keys(json).find((k) => k.startsWith("value"));
    return { problem: kind ? `${kind} is not read for a score (valueInteger or valueQuantity is)` : "no value" };
  }
  if (typeof n !== "number" || !Number.isInteger(n)) return { problem: `${shortJson(n)} is not a whole number` };
  return { value: n, element, notes: [] };
}

export function readAnswer(json: Json, spec: AnswerSpec, mapping: FhirMapping): Read {
  const codings = concepts(json.valueCodeableConcept);
  const texts = [str(json.valueString), isObject(json.valueCodeableConcept) ? str(json.valueCodeableConcept.text) : undefined].filter((t): t is string => t !== undefined);
  for (const [value, match] of Object.entries(spec.values)) {
    const matcher = mapping.matcher(match.codes);
    const coding = codings.find((c) => matcher(c));
    if (coding) return { value, element: "valueCodeableConcept", notes: [] };
  }
  if (!codings.length || codings.every((c) => !c.code)) {
    for (const [value, match] of Object.entries(spec.values)) {
      const words = (match.text ?? []).map((w) => w.toLowerCase());
      if (texts.some((t) => words.includes(t.trim().toLowerCase()))) return { value, element: json.valueString !== undefined ? "valueString" : "valueCodeableConcept.text", notes: [] };
    }
  }
  const shown = codings.length ? codings.map((c) => `${mapping.label(c.system)} ${c.code}`).join(" / ") : texts.length ? shortJson(texts[0]) : "no value";
  return { problem: `the result ${shown} is not mapped to ${Object.keys(spec.values).join("/")}` };
}
