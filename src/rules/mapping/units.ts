/**
 * Units as laboratories write them → the record's units, through the mapping's tables: the lab's
 * own unit table as written, then the alias table (`10+3/ul` → `10*3/uL`), then ignoring case.
 * One lookup for every reader of lab values (FHIR Observations; a sheet's unit cells may use it too).
 */
import type { FhirMapping, LabMap, UnitRule } from "./fhir.js";

/** The first written form (e.g. a UCUM code, then a printed unit) that the lab's table knows, and its rule. */
export function lookupUnit(lab: LabMap, written: readonly string[], mapping: Pick<FhirMapping, "unitAlias">): { key: string; rule: UnitRule } | undefined {
  for (const k of written) {
    const rule = lab.units.get(k);
    if (rule) return { key: k, rule };
  }
  for (const k of written) {
    const to = mapping.unitAlias(k);
    const rule = to === undefined ? undefined : lab.units.get(to);
    if (rule) return { key: k, rule };
  }
  for (const k of written) {
    for (const [name, rule] of lab.units) if (name.toLowerCase() === k.toLowerCase()) return { key: k, rule };
  }
  return undefined;
}

/** The same for a lab named by its record path: the first of its tables that knows the unit. */
export function lookupUnitByPath(mapping: FhirMapping, path: string, written: readonly string[]): { key: string; rule: UnitRule } | undefined {
  for (const lab of mapping.labs) {
    if (lab.path !== path) continue;
    const found = lookupUnit(lab, written, mapping);
    if (found) return found;
  }
  return undefined;
}
