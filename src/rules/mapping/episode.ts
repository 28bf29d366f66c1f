/**
 * How far back the current event may lie, read from the rules rather than written in code: the
 * longest `elapsed.max` any criterion allows since an onset path (the far end of the trial's window).
 * An onset older than that cannot be the event the trial screens for.
 */
import { parseDuration } from "../../time/instant.js";
import type { CompiledRules } from "../compiled.js";
import { walkCondition } from "../compile.js";
import type { Condition } from "../schema.js";

export function episodeWindow(rules: CompiledRules, path: string): { ms: number; text: string } | undefined {
  let best: { ms: number; text: string } | undefined;
  for (const c of rules.criteria) {
    const roots = ["passWhen" in c ? c.passWhen : c.failWhen, c.appliesWhen].filter((x): x is Condition => x !== undefined);
    for (const root of roots) {
      for (const node of walkCondition(root)) {
        if (!("elapsed" in node) || node.elapsed.since !== path || node.elapsed.max === undefined) continue;
        const ms = parseDuration(node.elapsed.max);
        if (ms !== null && (!best || ms > best.ms)) best = { ms, text: node.elapsed.max };
      }
    }
  }
  return best;
}
