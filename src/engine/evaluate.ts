/**
 * The engine: evaluates compiled conditions through the rules' one dispatch (`visit`), one
 * evaluator per kind (conditions/), and every criterion, always all of them, in the rules' order.
 */
import { outcomeOf } from "../logic/kleene.js";
import type { Facts } from "../record/facts.js";
import type { CompiledCriterion, CompiledRules } from "../rules/compiled.js";
import { visit } from "../rules/conditions/index.js";
import type { Condition, ConditionVisitor } from "../rules/conditions/types.js";
import { all } from "./conditions/all.js";
import { any } from "./conditions/any.js";
import { compare } from "./conditions/compare.js";
import { elapsed } from "./conditions/elapsed.js";
import { labLimit } from "./conditions/lab-limit.js";
import { labUln } from "./conditions/lab-uln.js";
import { not } from "./conditions/not.js";
import { withinMonths } from "./conditions/within-months.js";
import { contextsFor, type EvalContext, type Finding } from "./types.js";
import { isoInOffset } from "./iso.js";
import { memosFor, recall } from "./memo.js";
import type { CriterionOutcome } from "../result.js";

// Adding a condition kind is a type in rules/conditions/types.ts, its compile/check/reads there,
// an evaluator file here and a line below; the compiler names every place that still misses it.
const EVALUATORS: ConditionVisitor<EvalContext, Finding> = {
  all: (c, ctx) => all(c, ctx, evaluateCondition),
  any: (c, ctx) => any(c, ctx, evaluateCondition),
  not: (c, ctx) => not(c, ctx, evaluateCondition),
  compare: (c, ctx) => compare(c, ctx, evaluateCondition),
  elapsed: (c, ctx) => elapsed(c, ctx, evaluateCondition),
  labLimit: (c, ctx) => labLimit(c, ctx, evaluateCondition),
  labUln: (c, ctx) => labUln(c, ctx, evaluateCondition),
  withinMonths: (c, ctx) => withinMonths(c, ctx, evaluateCondition),
};

export function evaluateCondition(cond: Condition, ctx: EvalContext): Finding {
  return visit(cond, EVALUATORS, ctx);
}

export type { CriterionOutcome };

/**
 * One criterion, always evaluated. `ctx` wants the criterion's condition to pass it (true under
 * passWhen); applicability is worded as wanting "does not apply", which never excludes anyone.
 */
export function evaluateCriterion(criterion: CompiledCriterion, ctx: EvalContext): CriterionOutcome {
  const { id, category, text, polarity } = criterion;
  const wanted = ctx.want === (polarity === "passWhen") ? ctx : ctx.flipped;
  let applies: Finding | undefined;
  if (criterion.appliesWhen) {
    applies = evaluateCondition(criterion.appliesWhen, wanted.want ? wanted.flipped : wanted);
    if (applies.truth === false) return { id, category, text, outcome: "not_applicable", reason: `not applicable: ${applies.reason}` };
  }
  let finding = evaluateCondition(criterion.condition, wanted);
  if (applies?.truth === null) finding = openApplicability(finding, applies, polarity);
  const outcome = outcomeOf(finding.truth, polarity);
  // Built as literals (no spreads): this runs 27 times per record on long batches.
  if (outcome === "unknown") return { id, category, text, outcome, reason: finding.reason, needs: finding.needs };
  if (outcome === "fail" && polarity === "passWhen" && finding.recheckAt !== undefined) {
    return { id, category, text, outcome, reason: finding.reason, recheckAt: isoInOffset(finding.recheckAt, ctx.facts.screening.offsetMin) };
  }
  return { id, category, text, outcome, reason: finding.reason };
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
  const { pass } = contextsFor(rules, facts);
  const memos = memosFor(rules);
  return rules.criteria.map((c, i) => {
    const memo = memos[i];
    return memo ? recall(memo, c, facts, () => evaluateCriterion(c, pass)) : evaluateCriterion(c, pass);
  });
}
