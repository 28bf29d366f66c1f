/** What the session says about where the screening stands: the live status line and the end. */
import type { CriterionOutcome } from "../engine/evaluate.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { ScreenedResult } from "../screen.js";
import { formatInstant, MINUTE, parseTime } from "../time/instant.js";
import type { Question } from "./planner.js";
import { labelOf } from "./questions.js";
import { getAt } from "../text/paths.js";
import type { Ui } from "./ui.js";

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

/** What a question can decide, shown above it; returns the group now shown (a heading per group). */
export function showContext(ui: Ui, rules: CompiledRules, record: unknown, question: Question, lastGroup: string): string {
  const group = question.path.split(".")[0]!;
  if (group !== lastGroup && question.path.includes(".")) ui.line(ui.style.bold.underline(`\n${group}`));
  for (const c of question.criteria) ui.note(`  ${c.id} · ${c.text}`);
  // A ULN is offered because the site range fails or cannot decide: say how it stands.
  const lab = question.kind === "uln" ? rules.labs.get(question.path.replace(/^labs\.|\.uln$/g, "")) : undefined;
  if (lab?.siteUln) for (const c of question.criteria) if (c.reason) ui.note(`  with the site range: ${c.reason}`);
  if (question.present) {
    const reason = question.criteria.find((c) => c.reason)?.reason;
    ui.note(`  now: ${JSON.stringify(getAt(record, question.path))}${reason ? ` — ${reason}` : ""}; choose unknown/blank to keep it`);
  }
  return group;
}

/** Each warning once: those about `path` (the answer just given), all of them when verbose. */
export function showWarnings(ui: Ui, result: ScreenedResult, path: string | undefined, warned: Set<string>, verbose: boolean): void {
  for (const w of result.warnings) {
    const key = `${w.path}\u0000${w.message}`;
    if (warned.has(key)) continue;
    warned.add(key);
    // No-offset and "screened as of now" warnings cannot arise from answers (offsets are added).
    if (path === undefined || w.path === path || w.path.startsWith(`${path}.`) || verbose) ui.note(`  ! ${w.path}: ${w.message}`);
  }
}

/** --verbose: every criterion whose outcome the last answer changed. */
export function showChanges(ui: Ui, before: ScreenedResult, after: ScreenedResult): void {
  const was = new Map<string, CriterionOutcome>(before.criteria.map((c) => [c.id, c]));
  for (const c of after.criteria) {
    if (was.get(c.id)?.outcome === c.outcome) continue;
    ui.note(`  ${c.id} ${c.outcome.replace("_", " ")}: ${c.reason}`);
  }
}

/** A coordinator may prepare a screening ahead of time: said, not refused. */
export function futureWarning(text: unknown, timeZone: string, now: number): string | undefined {
  const parsed = typeof text === "string" ? parseTime(text, timeZone, false) : null;
  if (parsed?.kind !== "instant" || parsed.instant.ms <= now) return undefined;
  const shown = formatInstant(parsed.instant.ms, parsed.instant.offsetMin);
  return `! The screening time ${shown} is in the future (now is ${formatInstant(Math.floor(now / MINUTE) * MINUTE, parsed.instant.offsetMin)}): the patient is screened as of then.`;
}
