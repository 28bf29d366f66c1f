import type { Truth } from "../logic/kleene.js";
import type { Facts } from "../record/facts.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { Condition } from "../rules/conditions/types.js";

/** What every condition returns: its truth, why, and (when unknown) which fields would decide it. */
export interface Finding {
  readonly truth: Truth;
  readonly reason: string;
  readonly needs: readonly string[];
}

export interface EvalContext {
  readonly rules: CompiledRules;
  readonly facts: Facts;
}

export type Evaluate = (cond: Condition, ctx: EvalContext) => Finding;

export type Evaluator<C extends Condition> = (cond: C, ctx: EvalContext, evaluate: Evaluate) => Finding;

export type { Condition };

/** Shared by every decided finding: nothing is needed, and nothing may add to it. */
export const NO_NEEDS: readonly string[] = Object.freeze([]);

export const known = (truth: boolean, reason: string): Finding => ({ truth, reason, needs: NO_NEEDS });

export const unknown = (reason: string, needs: readonly string[]): Finding => ({ truth: null, reason, needs });

/** "needs labs.aptt (aPTT)": names the record path, so the reader knows what to fill in. */
export function needsField(ctx: EvalContext, path: string): Finding {
  return unknown(`needs ${path} (${labelOf(ctx, path)})`, [path]);
}

export function labelOf(ctx: EvalContext, path: string): string {
  return ctx.rules.labels.get(path) ?? path;
}
