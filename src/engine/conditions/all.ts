import { and } from "../../logic/kleene.js";
import type { AllCondition } from "../../rules/conditions/types.js";
import { type Evaluator, type Finding, NO_NEEDS } from "../types.js";

/** Kleene AND. A false part decides (and alone explains) the result; unknown parts say what they need. */
export const all: Evaluator<AllCondition> = (cond, ctx, evaluate) => {
  const parts = cond.parts.map((c) => evaluate(c, ctx));
  const truth = and(parts.map((p) => p.truth));
  if (truth === false) return { truth, reason: join(parts.filter((p) => p.truth === false)), needs: NO_NEEDS };
  if (truth === true) return { truth, reason: join(parts), needs: NO_NEEDS };
  const open = parts.filter((p) => p.truth === null);
  const given = parts.filter((p) => p.truth === true);
  const context = given.length ? `: ${join(given)}` : "";
  return { truth, reason: join(open) + context, needs: unique(open.flatMap((p) => p.needs)) };
};

export function join(parts: readonly Finding[]): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) out += i ? `; ${parts[i]!.reason}` : parts[i]!.reason;
  return out;
}

export function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
