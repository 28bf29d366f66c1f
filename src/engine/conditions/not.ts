import { not as negate } from "../../logic/kleene.js";
import type { NotCondition } from "../../rules/conditions/types.js";
import type { Evaluator } from "../types.js";

export const not: Evaluator<NotCondition> = (cond, ctx, evaluate) => {
  const inner = evaluate(cond.part, ctx);
  return { ...inner, truth: negate(inner.truth) };
};
