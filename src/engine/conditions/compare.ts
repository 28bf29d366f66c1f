import type { CompareCondition } from "../../rules/conditions/types.js";
import type { ScalarValue } from "../../rules/schema.js";
import { type EvalContext, type Evaluator, type Finding, known, labelOf, needsField, unknown } from "../types.js";
import { factAt } from "../../record/facts.js";

type Compare = CompareCondition;

/** A field compared with a constant. Booleans explain themselves with the field's yes/no words. */
export const compare: Evaluator<Compare> = (cond, ctx) => {
  const fact = factAt(ctx.facts, cond.field);
  const decl = ctx.rules.fields.get(cond.field);
  if (fact === undefined) {
    // An absent field is unknown like a false one: say what would decide it (INC-02: "CTA or MRA").
    const needed = needsField(ctx, cond.field);
    return cond.falseIsUnknown ? unknown(`${needed.reason}: ${cond.falseIsUnknown}`, needed.needs) : needed;
  }
  const label = labelOf(ctx, cond.field);
  if (fact.kind === "none") return known(false, decl?.nullMeans ?? `${label}: none`);

  let value: ScalarValue;
  let shownValue: string;
  if (fact.kind === "boolean") {
    value = fact.value;
    shownValue = "";
  } else if (fact.kind === "text") {
    value = fact.value;
    shownValue = fact.value;
    if (decl?.type === "enum" && decl.unknownValues?.includes(fact.value)) {
      return unknown(`${label} ${fact.value}: needs a definite ${cond.field}`, [cond.field]);
    }
  } else if (fact.kind === "integer") {
    value = fact.value;
    shownValue = fact.display ?? String(fact.value);
  } else {
    return unknown(`${cond.field} cannot be compared`, [cond.field]);
  }

  const truth = holds(cond.op, value, cond.list);
  let reason: string;
  if (fact.kind === "boolean") {
    const yes = decl?.type === "boolean" && decl.yes ? decl.yes : `${label}: yes`;
    const no = decl?.type === "boolean" && decl.no ? decl.no : `${label}: no`;
    reason = fact.value ? yes : no;
  } else if (fact.kind === "integer") {
    reason = `${label} ${shownValue} ${relation(cond.op, truth, cond.list, value)}`;
  } else {
    reason = `${label} ${shownValue}`;
  }
  // "occlusion imaging DSA; the occlusion needs confirming by CTA or MRA": what was shown, then what the protocol asks.
  if (!truth && cond.falseIsUnknown) return unknown(`${reason}; ${cond.falseIsUnknown}`, [cond.field]);
  return known(truth, reason);
};

function holds(op: Compare["op"], value: ScalarValue, list: readonly ScalarValue[]): boolean {
  const one = list[0]!;
  switch (op) {
    case "eq":
      return value === one;
    case "ne":
      return value !== one;
    case "in":
      return list.includes(value);
    case "lt":
      return value < one;
    case "le":
      return value <= one;
    case "gt":
      return value > one;
    case "ge":
      return value >= one;
    case "between":
      return value >= list[0]! && value <= list[1]!;
  }
}

/** The words a clinician would use for where a number stands against its limit. */
function relation(op: Compare["op"], truth: boolean, list: readonly ScalarValue[], value: ScalarValue): string {
  const l = String(list[0]);
  switch (op) {
    case "ge":
      return truth ? `is at least ${l}` : `is below ${l}`;
    case "gt":
      return truth ? `is above ${l}` : `is at most ${l}`;
    case "le":
      return truth ? `is at most ${l}` : `is above ${l}`;
    case "lt":
      return truth ? `is below ${l}` : `is at least ${l}`;
    case "eq":
      return truth ? `is ${l}` : `is not ${l}`;
    case "ne":
      return truth ? `is not ${l}` : `is ${l}`;
    case "in":
      return truth ? `is one of ${list.join(", ")}` : `is not one of ${list.join(", ")}`;
    case "between":
      if (truth) return `is within ${list[0]}–${list[1]}`;
      return value < list[0]! ? `is below ${list[0]}` : `is above ${list[1]}`;
  }
}

export type { EvalContext, Finding };
