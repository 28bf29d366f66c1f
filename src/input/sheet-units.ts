/**
 * A sheet's unit cells as laboratories write them (`mg/dl`, `µmol/L`, `K/uL`, `{cells}/uL`) are
 * read through the same unit table as FHIR Observations (rules/mappings/fhir-r4.json): the unit
 * becomes the record's, and the value (and ULN) is scaled exactly when the unit needs a factor.
 * A unit the table does not know is left as written, so validation names it.
 */
import type { Problem } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import { loadFhirMapping } from "../rules/mapping/fhir.js";
import { lookupUnitByPath } from "../rules/mapping/units.js";
import { cmp, format, fromNumber, mul, parseRational, type Rational } from "../numbers/rational.js";
import { isPlainObject, type JsonRecord } from "../text/paths.js";

const ONE = parseRational("1")!;

/** An exact product as a JSON number, or undefined when it has no finite decimal form. */
function times(value: number, factor: Rational): number | undefined {
  const text = format(mul(fromNumber(value), factor));
  return text.startsWith("≈") ? undefined : Number(text);
}

/** Rewrites each lab's unit in `record` to the record's own, in place; says what it did. */
export function normaliseSheetUnits(record: JsonRecord, rules: CompiledRules): Problem[] {
  const notes: Problem[] = [];
  const labs = record.labs;
  if (!isPlainObject(labs)) return notes;
  for (const lab of rules.labs.values()) {
    const entry = labs[lab.name];
    if (!isPlainObject(entry) || typeof entry.unit !== "string" || lab.units.has(entry.unit)) continue;
    const found = lookupUnitByPath(loadFhirMapping(rules), lab.path, [entry.unit]);
    if (!found || found.rule.unit === null || !lab.units.has(found.rule.unit)) continue;
    const scaled = cmp(found.rule.factor, ONE) !== 0;
    const value = typeof entry.value === "number" && scaled ? times(entry.value, found.rule.factor) : entry.value;
    const uln = typeof entry.uln === "number" && scaled ? times(entry.uln, found.rule.factor) : entry.uln;
    if (value === undefined || (entry.uln !== undefined && uln === undefined)) continue; // no exact decimal: left for validation
    const written = entry.unit;
    entry.unit = found.rule.unit;
    if (entry.value !== undefined) entry.value = value;
    if (entry.uln !== undefined) entry.uln = uln;
    // A spelling of the same unit needs no word; a scaled value does, since it is not what was written.
    if (scaled) notes.push({ path: `${lab.path}.unit`, message: `"${written}" read as ${found.rule.unit}: value × ${format(found.rule.factor)} = ${JSON.stringify(value)}` });
  }
  return notes;
}
