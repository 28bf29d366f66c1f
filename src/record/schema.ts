/**
 * The record's zod schema, built once per rules file from its field declarations: every field
 * optional (absent = unknown), null only where declared, messages that say what was expected
 * (each given here, so no message catalogue is needed).
 */
import { boolean, enum as oneOf, gt, int, minimum, maximum, nullable, number, object, optional, string, unknown, ZodMiniType } from "zod/mini";
import type { CompiledRules } from "../rules/compiled.js";
import type { FieldDecl } from "../rules/schema.js";
import { expectation, shown } from "./describe.js";

type Shape = { [key: string]: Shape | ZodMiniType };

const expected = (what: string) => ({ error: (iss: { input?: unknown }) => `expected ${what}, got ${shown(iss.input)}` });

function leaf(decl: FieldDecl): ZodMiniType {
  const e = expected(expectation(decl));
  let schema: ZodMiniType;
  switch (decl.type) {
    case "string":
      schema = string(e);
      break;
    case "boolean":
      schema = boolean(e);
      break;
    case "integer":
      schema = int(e).check(minimum(decl.min, e), maximum(decl.max, e));
      break;
    case "enum":
      schema = oneOf(decl.values as [string, ...string[]], e);
      break;
    case "timestamp":
    case "date":
      // The text is parsed in normalisation, where the time zone and screening date are known.
      schema = string(e);
      break;
  }
  return decl.nullable ? nullable(schema) : schema;
}

function labLeaf(label: string, unitless: boolean, readsUln: boolean): ZodMiniType {
  const nonNegative = expected(`a number ≥ 0 (the ${label} result)`);
  return object(
    {
      value: number(nonNegative).check(minimum(0, nonNegative)),
      unit: unitless ? optional(unknown()) : string(expected(`the ${label} unit as a string`)),
      // A lab whose ULN is never read ignores whatever stands there (with a warning), as the contract says.
      uln: readsUln
        ? optional(number(expected("a number > 0 (upper limit of normal, in the value's unit)")).check(gt(0, expected("a number > 0 (upper limit of normal)"))))
        : optional(unknown()),
    },
    expected(`an object { value, unit, uln? } with the ${label} result`),
  );
}

function toZod(shape: Shape, at: string): ZodMiniType {
  const entries: Record<string, ZodMiniType> = {};
  for (const [key, child] of Object.entries(shape)) {
    entries[key] = optional(child instanceof ZodMiniType ? child : toZod(child, at ? `${at}.${key}` : key));
  }
  return object(entries, expected(at ? `an object (the ${at} group)` : "a JSON object (one patient record)"));
}

/** The schema (a zod type: record/wording.ts calls it RecordSchema, and loads this module when a record needs it). */
export function buildRecordSchema(rules: CompiledRules): ZodMiniType {
  const root: Shape = {};
  const put = (path: string, schema: ZodMiniType) => {
    const keys = path.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Shape;
    node[keys[keys.length - 1]!] = schema;
  };
  for (const [path, decl] of rules.fields) put(path, leaf(decl));
  for (const lab of rules.labs.values()) put(lab.path, labLeaf(lab.decl.label, lab.units.size === 0, lab.decl.readsUln === true));
  return toZod(root, "");
}
