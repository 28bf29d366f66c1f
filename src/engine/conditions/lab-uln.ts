import { cmp, div, formatShort, mul } from "../../numbers/rational.js";
import type { CompiledSiteRange } from "../../rules/compiled.js";
import type { LabUlnCondition } from "../../rules/conditions/types.js";
import { type Evaluator, known, labelOf, needsField, unknown } from "../types.js";
import { orderWords, withUnit } from "../words.js";
import { holdsOrder } from "./order.js";
import { factAt } from "../../record/facts.js";

/**
 * A lab value against a multiple of its upper limit of normal: the record's own ULN first (same
 * unit, compared as written), else the site's reference ranges. When sex or age is unknown and
 * the candidate ranges disagree, the part is decided only if every candidate agrees (Kleene).
 */
export const labUln: Evaluator<LabUlnCondition> = (cond, ctx) => {
  const lab = ctx.rules.labs.get(cond.lab)!;
  const fact = factAt(ctx.facts, lab.path);
  if (fact === undefined || fact.kind !== "lab") return needsField(ctx, lab.path);
  const times = cond.times;
  const label = lab.decl.label;
  const shown = withUnit(fact.valueText, fact.unit);

  if (fact.uln && fact.ulnText !== undefined) {
    const limit = mul(times, fact.uln);
    const truth = holdsOrder(cond.op, cmp(fact.value, limit));
    return known(truth, `${label} ${shown} ${orderWords(cond.op, truth)} ${cond.timesUln} × ULN ${fact.ulnText} = ${withUnit(formatShort(limit), fact.unit)}`);
  }
  const site = lab.siteUln;
  if (!site) return unknown(`needs ${lab.path}.uln: ${label} has no site reference range`, [`${lab.path}.uln`]);

  const subject = ctx.rules.file.subject;
  const sexFact = factAt(ctx.facts, subject.sex);
  const ageFact = factAt(ctx.facts, subject.age);
  const sex = sexFact?.kind === "text" ? sexFact.value : undefined;
  const age = ageFact?.kind === "integer" ? ageFact.value : undefined;
  const candidates = site.ranges.filter(
    (r) =>
      (sex === undefined || r.sex === undefined || r.sex === sex) &&
      (age === undefined || ((r.ageFrom === undefined || age >= r.ageFrom) && (r.ageBelow === undefined || age < r.ageBelow))),
  );
  if (!candidates.length) return unknown(`needs ${lab.path}.uln: no site reference range fits this patient`, [`${lab.path}.uln`]);

  let value = fact.value;
  let valueShown = shown;
  if (fact.unit !== undefined && fact.unit !== site.unit) {
    const from = lab.units.get(fact.unit)!.factor;
    const to = lab.units.get(site.unit)!.factor;
    value = div(mul(value, from), to);
    valueShown += ` (= ${withUnit(formatShort(value), site.unit)})`;
  }
  const judged = candidates.map((r) => {
    const limit = mul(times, r.uln);
    return { r, limit, holds: holdsOrder(cond.op, cmp(value, limit)) };
  });
  const first = judged[0]!;
  if (judged.every((j) => j.holds === first.holds)) {
    // All candidates agree; name the one that decides (the strictest when passing, the most lenient when failing).
    const byLimit = [...judged].sort((a, b) => cmp(a.limit, b.limit));
    const lenientFirst = (cond.op === "le" || cond.op === "lt") !== first.holds;
    const decisive = lenientFirst ? byLimit[byLimit.length - 1]! : byLimit[0]!;
    const note = judged.length > 1 ? `; holds for every ${rangeNote(candidates)}` : "";
    return known(
      first.holds,
      `${label} ${valueShown} ${orderWords(cond.op, first.holds)} ${cond.timesUln} × ULN ${decisive.r.ulnText} = ${withUnit(formatShort(decisive.limit), site.unit)} (site range${describeRange(decisive.r)}${note})`,
    );
  }
  const options = judged.map((j) => `${withUnit(formatShort(j.limit), site.unit)}${describeRange(j.r, true)}`).join(" or ");
  const needs: string[] = [];
  if (sex === undefined && new Set(candidates.map((r) => r.sex)).size > 1) needs.push(subject.sex);
  if (age === undefined && candidates.some((r) => r.ageFrom !== undefined || r.ageBelow !== undefined)) needs.push(subject.birthDate);
  const needText = needs.map((p) => `${p} (${labelOf(ctx, p)})`).join(" and ");
  return unknown(`needs ${needText}: ${label} ${valueShown} against ${cond.timesUln} × ULN, which is ${options}`, needs);
};

function describeRange(r: CompiledSiteRange, bare = false): string {
  const parts: string[] = [];
  if (r.sex) parts.push(r.sex);
  if (r.ageBelow !== undefined) parts.push(`aged < ${r.ageBelow}`);
  if (r.ageFrom !== undefined) parts.push(`aged ≥ ${r.ageFrom}`);
  if (!parts.length) return "";
  return bare ? ` (${parts.join(", ")})` : `, ${parts.join(", ")}`;
}

function rangeNote(candidates: readonly CompiledSiteRange[]): string {
  const sexUnknown = new Set(candidates.map((r) => r.sex)).size > 1;
  const ageUnknown = new Set(candidates.map((r) => `${r.ageFrom}/${r.ageBelow}`)).size > 1;
  return [sexUnknown ? "sex" : "", ageUnknown ? "age band" : ""].filter(Boolean).join(" and ");
}
