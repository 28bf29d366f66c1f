/** A date within N calendar months before screening: `{"withinMonths": {"field": …, "months": 3}}`. */
import type { ConditionDecl } from "../schema.js";
import type { CheckScope, WithinMonthsCondition } from "./types.js";

type Raw = Extract<ConditionDecl, { withinMonths: unknown }>;

export function compileWithinMonths(raw: Raw): WithinMonthsCondition {
  return { kind: "withinMonths", field: raw.withinMonths.field, months: raw.withinMonths.months };
}

export function checkWithinMonths(cond: WithinMonthsCondition, at: string, scope: CheckScope): void {
  if (scope.fields.get(cond.field)?.type !== "date") scope.problems.push({ path: `${at}.withinMonths.field`, message: `${cond.field} is not a declared date field` });
}

export function readsWithinMonths(cond: WithinMonthsCondition): readonly string[] {
  return [cond.field];
}
