import { not as negate } from "../../logic/kleene.js";
import type { Condition } from "../../rules/compiled.js";
import type { Evaluator } from "../types.js";

export const not: Evaluator<Extract<Condition, { not: Condition }>> = (cond, ctx, evaluate) => {
  const inner = evaluate(cond.not, ctx);
  return { ...inner, truth: negate(inner.truth) };
};
