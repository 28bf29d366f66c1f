import type { Condition } from "../../rules/compiled.js";
import { formatDuration, formatInstant, parseDuration } from "../../time/instant.js";
import { type Evaluator, known, labelOf, needsField, unknown } from "../types.js";

type Elapsed = Extract<Condition, { elapsed: unknown }>;

/**
 * Time from a recorded moment to screening, against an inclusive window, on absolute instants.
 * A date-only value is every instant of its day: decided only when they all agree.
 */
export const elapsed: Evaluator<Elapsed> = (cond, ctx) => {
  const { since } = cond.elapsed;
  const fact = ctx.facts.values.get(since);
  const decl = ctx.rules.fields.get(since);
  if (fact === undefined) return needsField(ctx, since);
  if (fact.kind === "none") return known(false, decl?.nullMeans ?? `no ${labelOf(ctx, since)}`);
  if (fact.kind !== "time") return needsField(ctx, since);

  const min = cond.elapsed.min ? parseDuration(cond.elapsed.min)! : -Infinity;
  const max = cond.elapsed.max ? parseDuration(cond.elapsed.max)! : Infinity;
  const screening = ctx.facts.screening;
  const shortest = screening.ms - fact.end;
  const longest = screening.ms - fact.start;
  const inside = shortest >= min && longest <= max;
  const outside = longest < min || shortest > max;

  let label = labelOf(ctx, since);
  let fromWhat = "";
  if (decl?.type === "timestamp" && decl.labelWhen) {
    const flag = ctx.facts.values.get(decl.labelWhen.field);
    if (flag?.kind === "boolean" && flag.value) {
      label = decl.labelWhen.label;
      fromWhat = ` (counted from ${decl.labelWhen.label})`;
    }
  }
  const windowText = describeWindow(cond.elapsed.min, cond.elapsed.max);

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
    return known(inside, `${ago}: the window opens at ${opens} and closes at ${closes}${verdict}`);
  }
  return known(inside, `${ago} (${inside ? "within" : "outside"} ${windowText})`);
};

function describeWindow(min?: string, max?: string): string {
  const words = (d: string) => d.replace(/h$/, " h").replace(/d$/, " days").replace(/min$/, " min");
  if (min && max) return `${words(min)} to ${words(max)}`;
  if (max) return `${words(max)}`;
  return `at least ${words(min!)}`;
}
