import { or } from "../../logic/kleene.js";
import type { AnyCondition } from "../../rules/conditions/types.js";
import { type Evaluator, NO_NEEDS } from "../types.js";
import { evaluateParts, join, open, truths, withRecheck } from "./all.js";

/** Kleene OR. A true part decides; when all are false, every part is the reason. */
export const any: Evaluator<AnyCondition> = (cond, ctx, evaluate) => {
  const parts = evaluateParts(cond.parts, ctx, evaluate);
  const truth = or(truths(parts));
  if (truth === true) return { truth, reason: join(parts.filter((p) => p.truth === true)), needs: NO_NEEDS };
  if (truth === false) return withRecheck({ truth, reason: join(parts), needs: NO_NEEDS }, earliest(parts.map((p) => p.recheckAt)));
  // To hold, any one open part is enough; not to hold, every open part must be false.
  return open(parts, ctx.want ? "or" : "and");
};

/** The first instant at which any part turns true. */
function earliest(times: readonly (number | undefined)[]): number | undefined {
  let at: number | undefined;
  for (const t of times) if (t !== undefined && (at === undefined || t < at)) at = t;
  return at;
}
