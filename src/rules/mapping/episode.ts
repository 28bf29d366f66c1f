/**
 * How far back the current event may lie, read from the rules rather than written in code: the
 * longest `elapsed.max` any criterion allows since an onset path (the far end of the trial's window).
 * An onset older than that cannot be the event the trial screens for.
 */
import type { CompiledRules } from "../compiled.js";
import { walk } from "../conditions/index.js";

export function episodeWindow(rules: CompiledRules, path: string): { ms: number; text: string } | undefined {
  let best: { ms: number; text: string } | undefined;
  for (const c of rules.criteria) {
    for (const root of [c.condition, c.appliesWhen]) {
      if (!root) continue;
      for (const node of walk(root)) {
        if (node.kind !== "elapsed" || node.since !== path || node.max === undefined || !Number.isFinite(node.maxMs)) continue;
        if (!best || node.maxMs > best.ms) best = { ms: node.maxMs, text: node.max };
      }
    }
  }
  return best;
}
