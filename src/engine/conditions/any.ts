import { or } from "../../logic/kleene.js";
import type { AnyCondition } from "../../rules/conditions/types.js";
import { type Evaluator, NO_NEEDS } from "../types.js";
import { join, unique } from "./all.js";

/** Kleene OR. A true part decides; when all are false, every part is the reason. */
export const any: Evaluator<AnyCondition> = (cond, ctx, evaluate) => {
  const parts = cond.parts.map((c) => evaluate(c, ctx));
  const truth = or(parts.map((p) => p.truth));
  if (truth === true) return { truth, reason: join(parts.filter((p) => p.truth === true)), needs: NO_NEEDS };
  if (truth === false) return { truth, reason: join(parts), needs: NO_NEEDS };
  const open = parts.filter((p) => p.truth === null);
  return { truth, reason: join(open), needs: unique(open.flatMap((p) => p.needs)) };
};
