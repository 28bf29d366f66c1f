/** A field compared with a constant: `{"field": "stroke.nihss", "op": "ge", "value": 6}`. */
import type { ConditionDecl } from "../schema.js";
import type { CheckScope, CompareCondition } from "./types.js";

type Raw = Extract<ConditionDecl, { field: string }>;

export function compileCompare(raw: Raw): CompareCondition {
  const list = Array.isArray(raw.value) ? raw.value : [raw.value];
  return {
    kind: "compare",
    field: raw.field,
    op: raw.op,
    value: raw.value,
    list,
    ...(raw.falseIsUnknown !== undefined ? { falseIsUnknown: raw.falseIsUnknown } : {}),
  };
}

export function checkCompare(cond: CompareCondition, at: string, scope: CheckScope): void {
  const { problems } = scope;
  const d = scope.fields.get(cond.field);
  if (!d) {
    problems.push({ path: `${at}.field`, message: `${cond.field} is not a declared field${scope.labPaths.has(cond.field) ? " (compare labs with a lab condition)" : ""}` });
    return;
  }
  const many = cond.op === "in" || cond.op === "between";
  if (many !== Array.isArray(cond.value)) problems.push({ path: `${at}.value`, message: many ? `op ${cond.op} takes an array` : `op ${cond.op} takes a single value` });
  if (cond.op === "between" && cond.list.length !== 2) problems.push({ path: `${at}.value`, message: "between takes [low, high]" });
  const ordered = ["lt", "le", "gt", "ge", "between"].includes(cond.op);
  if (ordered && d.type !== "integer") problems.push({ path: `${at}.op`, message: `${cond.op} needs a numeric field; ${cond.field} is ${d.type}` });
  for (const v of cond.list) {
    const ok =
      d.type === "boolean" ? typeof v === "boolean" :
      d.type === "integer" ? typeof v === "number" :
      d.type === "enum" ? typeof v === "string" && d.values.includes(v) :
      d.type === "string" ? typeof v === "string" : false;
    if (!ok) problems.push({ path: `${at}.value`, message: `${JSON.stringify(v)} does not fit ${cond.field} (${d.type === "enum" ? d.values.map((x) => `"${x}"`).join(", ") : d.type})` });
  }
}

export function readsCompare(cond: CompareCondition): readonly string[] {
  return [cond.field];
}
