import { cmp, div, formatShort, mul } from "../../numbers/rational.js";
import type { LabLimitCondition } from "../../rules/conditions/types.js";
import { type Evaluator, known, needsField } from "../types.js";
import { orderWords, withUnit } from "../words.js";
import { holdsOrder } from "./order.js";
import { factAt } from "../../record/facts.js";

/** A lab value against a fixed limit, both brought to the lab's base unit exactly. */
export const labLimit: Evaluator<LabLimitCondition> = (cond, ctx) => {
  const lab = ctx.rules.labs.get(cond.lab)!;
  const fact = factAt(ctx.facts, lab.path);
  if (fact === undefined || fact.kind !== "lab") return needsField(ctx, lab.path);
  const limit = cond.limit;
  let value = fact.value;
  let shown = withUnit(fact.valueText, fact.unit);
  if (cond.unit !== undefined && fact.unit !== undefined && fact.unit !== cond.unit) {
    const from = lab.units.get(fact.unit)!.factor;
    const to = lab.units.get(cond.unit)!.factor;
    value = div(mul(value, from), to);
    if (cmp(from, to) !== 0) shown += ` (= ${withUnit(formatShort(value), cond.unit)})`;
  }
  const truth = holdsOrder(cond.op, cmp(value, limit));
  return known(truth, `${lab.decl.label} ${shown} ${orderWords(cond.op, truth)} ${withUnit(cond.value, cond.unit)}`);
};
