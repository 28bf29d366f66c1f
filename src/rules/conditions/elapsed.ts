/** Time from a recorded moment to screening within a window: `{"elapsed": {"since": …, "min": "24h"}}`. */
import { parseDuration } from "../../time/instant.js";
import type { ConditionDecl } from "../schema.js";
import type { CheckScope, ElapsedCondition } from "./types.js";

type Raw = Extract<ConditionDecl, { elapsed: unknown }>;

export function compileElapsed(raw: Raw): ElapsedCondition {
  const { since, min, max } = raw.elapsed;
  return {
    kind: "elapsed",
    since,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    // The schema admits only durations parseDuration reads; a bad one fails the cross-check below.
    minMs: min ? (parseDuration(min) ?? Number.NaN) : -Infinity,
    maxMs: max ? (parseDuration(max) ?? Number.NaN) : Infinity,
    window: describeWindow(min, max),
  };
}

export function checkElapsed(cond: ElapsedCondition, at: string, scope: CheckScope): void {
  const d = scope.fields.get(cond.since);
  if (d?.type !== "timestamp") scope.problems.push({ path: `${at}.elapsed.since`, message: `${cond.since} is not a declared timestamp field` });
  if (!cond.min && !cond.max) scope.problems.push({ path: `${at}.elapsed`, message: "needs min, max or both" });
}

export function readsElapsed(cond: ElapsedCondition): readonly string[] {
  return [cond.since];
}

function describeWindow(min?: string, max?: string): string {
  const words = (d: string) => d.replace(/h$/, " h").replace(/d$/, " days").replace(/min$/, " min");
  if (min && max) return `${words(min)} to ${words(max)}`;
  if (max) return `${words(max)}`;
  return min ? `at least ${words(min)}` : "";
}
