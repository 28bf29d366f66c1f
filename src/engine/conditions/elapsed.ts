import type { ElapsedCondition } from "../../rules/conditions/types.js";
import { formatDuration, formatInstant } from "../../time/instant.js";
import { type Evaluator, type Finding, known, labelOf, needsField, unknown } from "../types.js";
import { factAt } from "../../record/facts.js";

/**
 * Time from a recorded moment to screening, against an inclusive window, on absolute instants.
 * A date-only value is every instant of its day: decided only when they all agree.
 */
export const elapsed: Evaluator<ElapsedCondition> = (cond, ctx) => {
  const { since } = cond;
  const fact = factAt(ctx.facts, since);
  const decl = ctx.rules.fields.get(since);
  if (fact === undefined) return needsField(ctx, since);
  if (fact.kind === "none") return known(false, decl?.nullMeans ?? `no ${labelOf(ctx, since)}`);
  if (fact.kind !== "time") return needsField(ctx, since);

  const min = cond.minMs;
  const max = cond.maxMs;
  const screening = ctx.facts.screening;
  const shortest = screening.ms - fact.end;
  const longest = screening.ms - fact.start;
  const inside = shortest >= min && longest <= max;
  const outside = longest < min || shortest > max;

  let label = labelOf(ctx, since);
  let fromWhat = "";
  if (decl?.type === "timestamp" && decl.labelWhen) {
    const flag = factAt(ctx.facts, decl.labelWhen.field);
    if (flag?.kind === "boolean" && flag.value) {
      label = decl.labelWhen.label;
      fromWhat = ` (counted from ${decl.labelWhen.label})`;
    }
  }
  const windowText = cond.window;

  if (fact.dateOnly) {
    const span = `${formatDuration(shortest, true)} to ${formatDuration(longest, true)}`;
    const head = `${label} on ${fact.text} (date only) is ${span} before screening${fromWhat}`;
    if (inside) return known(true, `${head}: within ${windowText} at every time of that day`);
    if (outside) return known(false, `${head}: outside ${windowText} at every time of that day`);
    return unknown(`${head}: the date alone cannot decide ${windowText}; needs the time of ${since}`, [since]);
  }

  const ago = `${label} ${formatDuration(shortest)} before screening${fromWhat}`;
  const off = screening.offsetMin;
  if (Number.isFinite(min) && Number.isFinite(max)) {
    const opens = formatInstant(fact.start + min, off);
    const closes = formatInstant(fact.start + max, off);
    const verdict = inside ? "" : shortest < min ? ": not yet open at screening" : ": already closed at screening";
    return notYet(known(inside, `${ago}: the window opens at ${opens} and closes at ${closes}${verdict}`), fact.start + min, shortest < min);
  }
  return notYet(known(inside, `${ago} (${inside ? "within" : "outside"} ${windowText})`), fact.start + min, shortest < min);
};

/**
 * A moment (not a date alone) whose window has not opened yet at screening: the window opens at
 * `opens`, and screening again from then may pass. (The minimum is finite whenever it has not
 * elapsed; a window that never closes or closes later than it opens still holds at that instant.)
 */
function notYet(finding: Finding, opens: number, early: boolean): Finding {
  return early && finding.truth === false ? { ...finding, recheckAt: opens } : finding;
}
