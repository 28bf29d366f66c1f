/**
 * A quick structural check of a record against the field declarations: the same types, ranges,
 * enum values and nullability the zod schema (schema.ts) enforces, written as plain code. It may
 * only say "valid" where zod would (and is stricter where that is simpler: plain objects only), so
 * a record it passes needs no zod run; any other record goes to zod, which words every error.
 * test/property.test.ts and `npm run fuzz` (property "structure") hold the two to agreement.
 */
import type { CompiledRules } from "../rules/compiled.js";
import type { FieldDecl } from "../rules/schema.js";

export type Check = (value: unknown) => boolean;
interface Group {
  readonly keys: string[];
  readonly checks: (Check | Group)[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The check of one declared field's value (present, so not undefined). */
export function leaf(decl: FieldDecl): Check {
  let check: Check;
  switch (decl.type) {
    case "string":
    case "timestamp":
    case "date":
      check = (v) => typeof v === "string";
      break;
    case "boolean":
      check = (v) => typeof v === "boolean";
      break;
    case "integer": {
      const { min, max } = decl;
      check = (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;
      break;
    }
    case "enum": {
      const values = new Set<unknown>(decl.values);
      check = (v) => typeof v === "string" && values.has(v);
      break;
    }
  }
  return decl.nullable ? (v) => v === null || check(v) : check;
}

/** The check of one lab's object (value, unit, uln) as a whole. */
export function labLeaf(unitless: boolean, readsUln: boolean): Check {
  return (v) => {
    if (!isPlainObject(v)) return false;
    const value = v.value;
    if (typeof value !== "number" || !Number.isFinite(value) || !(value >= 0)) return false;
    if (!unitless && typeof v.unit !== "string") return false;
    if (!readsUln) return true;
    const uln = v.uln;
    return uln === undefined || (typeof uln === "number" && Number.isFinite(uln) && uln > 0);
  };
}

function holds(group: Group, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { keys, checks } = group;
  for (let i = 0; i < keys.length; i++) {
    const child = value[keys[i]!];
    if (child === undefined) continue; // every field is optional: absent is unknown
    const check = checks[i]!;
    if (typeof check === "function" ? !check(child) : !holds(check, child)) return false;
  }
  return true;
}

/** `check(record)` is true only for a record the rules' zod schema accepts. */
export function buildStructureCheck(rules: CompiledRules): (record: unknown) => boolean {
  const root: Group = { keys: [], checks: [] };
  const put = (path: string, check: Check) => {
    const keys = path.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) {
      let i = node.keys.indexOf(key);
      if (i < 0) i = node.keys.push(key) - 1;
      node.checks[i] ??= { keys: [], checks: [] };
      node = node.checks[i] as Group;
    }
    node.keys.push(keys[keys.length - 1]!);
    node.checks.push(check);
  };
  for (const [path, decl] of rules.fields) put(path, leaf(decl));
  for (const lab of rules.labs.values()) put(lab.path, labLeaf(lab.units.size === 0, lab.decl.readsUln === true));
  return (record) => holds(root, record);
}
