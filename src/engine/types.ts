import type { Truth } from "../logic/kleene.js";
import type { Facts } from "../record/facts.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { Condition } from "../rules/conditions/types.js";

/** What every condition returns: its truth, why, and (when unknown) which fields would decide it. */
export interface Finding {
  readonly truth: Truth;
  readonly reason: string;
  readonly needs: readonly string[];
  /** Set when the reason is exactly `needs ${phrase.text}`: a phrase a connective can combine. */
  readonly phrase?: NeedPhrase;
  /** A false finding that turns true, all else equal, once this instant (epoch ms) is reached. */
  readonly recheckAt?: number;
}

/** "labs.aptt (aPTT)", or a group of such: "A (a) or B (b)" (join "or", size 2). */
export interface NeedPhrase {
  readonly text: string;
  readonly join?: "and" | "or";
  readonly size: number;
}

export interface EvalContext {
  readonly rules: CompiledRules;
  readonly facts: Facts;
  /**
   * The truth that lets the criterion pass (true under passWhen, false under failWhen; a `not`
   * flips it). It words what an open part needs: for an `all` that should hold, every open part
   * ("A and B"); for one that should not, any one of them ("A or B"), and the reverse for `any`.
   */
  readonly want: boolean;
  /** The same context with `want` flipped (for the part under a `not`). */
  readonly flipped: EvalContext;
}

/** The two contexts of one record, one per wanted truth. */
export function contextsFor(rules: CompiledRules, facts: Facts): { readonly pass: EvalContext; readonly fail: EvalContext } {
  const pass = { rules, facts, want: true } as { rules: CompiledRules; facts: Facts; want: boolean; flipped: EvalContext };
  const fail = { rules, facts, want: false, flipped: pass };
  pass.flipped = fail;
  return { pass, fail };
}

export type Evaluate = (cond: Condition, ctx: EvalContext) => Finding;

export type Evaluator<C extends Condition> = (cond: C, ctx: EvalContext, evaluate: Evaluate) => Finding;

/** Shared by every decided finding: nothing is needed, and nothing may add to it. */
export const NO_NEEDS: readonly string[] = Object.freeze([]);

export const known = (truth: boolean, reason: string): Finding => ({ truth, reason, needs: NO_NEEDS });

export const unknown = (reason: string, needs: readonly string[]): Finding => ({ truth: null, reason, needs });

/** "needs labs.aptt (aPTT)": names the record path, so the reader knows what to fill in. */
export function needsField(ctx: EvalContext, path: string): Finding {
  const text = `${path} (${labelOf(ctx, path)})`;
  return { truth: null, reason: `needs ${text}`, needs: [path], phrase: { text, size: 1 } };
}

export function labelOf(ctx: EvalContext, path: string): string {
  return ctx.rules.labels.get(path) ?? path;
}

export type { Condition };
