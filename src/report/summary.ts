/** The screening log's tallies (for a CONSORT-style flow): built as results stream past. */
import type { OutputResult } from "../result.js";

export interface Summary {
  screened: number;
  eligible: number;
  ineligible: number;
  incomplete: number;
  invalid: number;
  failing: Map<string, number>; // criterion id → patients failing it
  missing: Map<string, number>; // record path → incomplete patients needing it
}

export function emptySummary(): Summary {
  return { screened: 0, eligible: 0, ineligible: 0, incomplete: 0, invalid: 0, failing: new Map(), missing: new Map() };
}

export function tally(summary: Summary, result: OutputResult): void {
  summary.screened++;
  if (result.verdict === "error") {
    summary.invalid++;
    return;
  }
  summary[result.verdict]++;
  for (const id of result.failed) summary.failing.set(id, (summary.failing.get(id) ?? 0) + 1);
  if (result.verdict === "incomplete") {
    const paths = new Set(result.criteria.flatMap((c) => c.needs ?? []));
    for (const p of paths) summary.missing.set(p, (summary.missing.get(p) ?? 0) + 1);
  }
}

/** Adds `part` (another share of the same batch, e.g. a block a worker screened) into `summary`. */
export function mergeSummary(summary: Summary, part: Summary): void {
  summary.screened += part.screened;
  summary.eligible += part.eligible;
  summary.ineligible += part.ineligible;
  summary.incomplete += part.incomplete;
  summary.invalid += part.invalid;
  for (const [id, n] of part.failing) summary.failing.set(id, (summary.failing.get(id) ?? 0) + n);
  for (const [path, n] of part.missing) summary.missing.set(path, (summary.missing.get(path) ?? 0) + n);
}

const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

export function renderSummary(summary: Summary, short: ReadonlyMap<string, string>): string {
  const lines = [
    `Screened ${summary.screened}: ${summary.eligible} eligible, ${summary.ineligible} ineligible, ${summary.incomplete} incomplete, ${summary.invalid} invalid`,
  ];
  if (summary.failing.size) {
    lines.push("Failing criteria (patients):");
    for (const [id, n] of byCount(summary.failing)) lines.push(`  ${String(n).padStart(6)}  ${id}  ${short.get(id) ?? ""}`);
  }
  if (summary.missing.size) {
    lines.push("Most often missing in incomplete records (patients):");
    for (const [path, n] of byCount(summary.missing).slice(0, 10)) lines.push(`  ${String(n).padStart(6)}  ${path}`);
  }
  return lines.join("\n") + "\n";
}
