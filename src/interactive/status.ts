/** What the session says about where the screening stands: the live status line and the end. */
import type { CompiledRules } from "../rules/compiled.js";
import type { ScreenedResult } from "../screen.js";
import { labelOf } from "./questions.js";

/**
 * Why criteria are still unknown at the end: the questions skipped that would decide them, or,
 * for those no skipped answer would, that nothing left to ask would.
 */
export function stillUnknown(rules: CompiledRules, result: ScreenedResult, skipped: ReadonlySet<string>): string[] {
  const open = result.criteria.filter((c) => c.outcome === "unknown");
  if (!open.length) return [];
  const bySkipped = new Map<string, string[]>();
  const undecidable: string[] = [];
  for (const c of open) {
    const waits = (c.needs ?? []).filter((p) => skipped.has(p));
    if (!waits.length) undecidable.push(c.id);
    for (const p of waits) bySkipped.set(p, [...(bySkipped.get(p) ?? []), c.id]);
  }
  const lines = [`Still unknown: ${open.map((c) => c.id).join(", ")}.`];
  if (bySkipped.size) lines.push(`  Skipped, and would decide them: ${[...bySkipped].map(([p, ids]) => `${labelOf(rules, p)} (${ids.join(", ")})`).join("; ")}.`);
  if (undecidable.length) lines.push(`  ${undecidable.join(", ")}: nothing left to ask would decide ${undecidable.length === 1 ? "it" : "them"}.`);
  return lines;
}

/** "decided 14/27 · failed: INC-05 · unknown: INC-04 INC-08 EXC-02" */
export function statusLine(result: ScreenedResult): string {
  const total = result.criteria.length;
  const decided = total - result.unknown.length;
  const list = (ids: readonly string[], max: number) =>
    !ids.length ? "none" : ids.length <= max ? ids.join(" ") : `${ids.slice(0, max).join(" ")} +${ids.length - max} more`;
  return `decided ${decided}/${total} · failed: ${list(result.failed, 27)} · unknown: ${list(result.unknown, 8)}`;
}
