/**
 * The engine: maps each condition kind to its evaluator (one per file in conditions/) and
 * evaluates every criterion, always all of them, in the rules file's order.
 */
import { type Outcome, outcomeOf } from "../logic/kleene.js";
import type { Facts } from "../record/facts.js";
import type { CompiledRules, Condition } from "../rules/compiled.js";
import type { CriterionDecl } from "../rules/schema.js";
import { all } from "./conditions/all.js";
import { any } from "./conditions/any.js";
import { compare } from "./conditions/compare.js";
import { elapsed } from "./conditions/elapsed.js";
import { labLimit } from "./conditions/lab-limit.js";
import { labUln } from "./conditions/lab-uln.js";
import { not } from "./conditions/not.js";
import { withinMonths } from "./conditions/within-months.js";
import type { EvalContext, Finding } from "./types.js";
import type { CriterionOutcome } from "../result.js";

export type ConditionKind = "all" | "any" | "not" | "compare" | "elapsed" | "labLimit" | "labUln" | "withinMonths";

export function kindOf(cond: Condition): ConditionKind {
  if ("field" in cond) return "compare"; // the most common kind first: this runs for every node
  if ("all" in cond) return "all";
  if ("any" in cond) return "any";
  if ("not" in cond) return "not";
  if ("elapsed" in cond) return "elapsed";
  if ("withinMonths" in cond) return "withinMonths";
  return "timesUln" in cond ? "labUln" : "labLimit";
}

// The operator registry: adding a condition kind is a schema entry, a file, and a line here.
const evaluators: { [K in ConditionKind]: (cond: never, ctx: EvalContext, evaluate: typeof evaluateCondition) => Finding } = {
  all,
  any,
  not,
  compare,
  elapsed,
  labLimit,
  labUln,
  withinMonths,
};

export function evaluateCondition(cond: Condition, ctx: EvalContext): Finding {
  return evaluators[kindOf(cond)](cond as never, ctx, evaluateCondition);
}

export type { CriterionOutcome };

export function evaluateCriterion(criterion: CriterionDecl, ctx: EvalContext): CriterionOutcome {
  const { id, category, text } = criterion;
  let applies: Finding | undefined;
  if (criterion.appliesWhen) {
    applies = evaluateCondition(criterion.appliesWhen, ctx);
    if (applies.truth === false) return { id, category, text, outcome: "not_applicable", reason: `not applicable: ${applies.reason}` };
  }
  const polarity = criterion.category === "inclusion" ? "passWhen" : "failWhen";
  let finding = criterion.category === "inclusion" ? evaluateCondition(criterion.passWhen, ctx) : evaluateCondition(criterion.failWhen, ctx);
  if (applies?.truth === null) finding = openApplicability(finding, applies, polarity);
  const outcome = outcomeOf(finding.truth, polarity);
  // Built as literals (no spreads): this runs 27 times per record on long batches.
  return outcome === "unknown"
    ? { id, category, text, outcome, reason: finding.reason, needs: finding.needs }
    : { id, category, text, outcome, reason: finding.reason };
}

/**
 * Whether the criterion applies is unknown. It still passes when its own condition passes it
 * (an exclusion that cannot fail, an inclusion that holds): pass and not-applicable agree on the
 * verdict. A fail, though, counts only for someone it applies to, so it stays unknown until
 * applicability is known: a criterion that may not apply never excludes a patient.
 */
function openApplicability(finding: Finding, applies: Finding, polarity: "passWhen" | "failWhen"): Finding {
  const failing = polarity === "passWhen" ? finding.truth === false : finding.truth === true;
  if (finding.truth !== null && !failing) return finding;
  const needs = [...new Set([...finding.needs, ...applies.needs])];
  if (failing) return { truth: null, reason: `${finding.reason}, but whether the criterion applies is not known: ${applies.reason}`, needs };
  // Both open: the finding's reason already names what it needs; add applicability only if it needs more.
  const more = applies.needs.some((p) => !finding.needs.includes(p));
  return { truth: null, reason: more ? `${finding.reason}; whether it applies: ${applies.reason}` : finding.reason, needs };
}

export function evaluateAll(rules: CompiledRules, facts: Facts): CriterionOutcome[] {
  const ctx: EvalContext = { rules, facts };
  return rules.criteria.map((c) => evaluateCriterion(c, ctx));
}
