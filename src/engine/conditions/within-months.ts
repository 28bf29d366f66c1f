import type { WithinMonthsCondition } from "../../rules/conditions/types.js";
import { compareDates, formatDate, monthsBefore } from "../../time/calendar.js";
import { type Evaluator, known, labelOf, needsField } from "../types.js";
import { factAt } from "../../record/facts.js";

/**
 * A date on or after the same day N calendar months before the screening date (clamped to the
 * month's last day: 31 May → 28/29 Feb). A date after screening counts too (still ongoing).
 */
export const withinMonths: Evaluator<WithinMonthsCondition> = (cond, ctx) => {
  const { field, months } = cond;
  const fact = factAt(ctx.facts, field);
  if (fact === undefined) return needsField(ctx, field);
  if (fact.kind === "none") return known(false, ctx.rules.fields.get(field)?.nullMeans ?? `no ${labelOf(ctx, field)}`);
  if (fact.kind !== "date") return needsField(ctx, field);
  const screeningDate = ctx.facts.screening.date;
  const from = monthsBefore(screeningDate, months);
  const label = labelOf(ctx, field);
  const span = `${months} calendar month${months === 1 ? "" : "s"} before the screening date ${formatDate(screeningDate)}`;
  if (compareDates(fact.date, screeningDate) > 0) {
    return known(true, `${label} ${formatDate(fact.date)} is after the screening date (still ongoing)`);
  }
  const inside = compareDates(fact.date, from) >= 0;
  return known(inside, `${label} ${formatDate(fact.date)} is ${inside ? "on or after" : "before"} ${formatDate(from)} (${span})`);
};
