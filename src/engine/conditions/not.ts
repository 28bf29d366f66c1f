import { not as negate } from "../../logic/kleene.js";
import type { NotCondition } from "../../rules/conditions/types.js";
import type { Evaluator, Finding } from "../types.js";

/** Kleene NOT. The part is worded for the opposite wish; a time at which the part turns true does not carry over. */
export const not: Evaluator<NotCondition> = (cond, ctx, evaluate) => {
  const inner = evaluate(cond.part, ctx.flipped);
  const out: Finding = { truth: negate(inner.truth), reason: inner.reason, needs: inner.needs };
  return inner.phrase === undefined ? out : { ...out, phrase: inner.phrase };
};
