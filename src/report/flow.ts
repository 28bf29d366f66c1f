/**
 * The screening report's numbers (CONSORT 2025 item 22a: how many assessed, excluded and why,
 * still pending): a collector fed each result of a batch, like the summary's `tally`. It keeps
 * counts only, never an id, so the report built from it can leave the site.
 */
import type { OutputResult } from "../result.js";
import { emptySummary, tally, type Summary } from "./summary.js";

export interface FlowCounts {
  /** Every input record, invalid ones included: the diagram's top box. */
  readonly records: number;
  readonly invalid: number;
  readonly eligible: number;
  readonly ineligible: number;
  readonly incomplete: number;
  /** Criterion id → ineligible patients whose first failing criterion (protocol order) it is. */
  readonly firstFailing: ReadonlyMap<string, number>;
  /** Criterion id → patients failing it, whatever else they fail. */
  readonly failing: ReadonlyMap<string, number>;
  /** Record path → incomplete patients whose undecided criteria need it. */
  readonly missing: ReadonlyMap<string, number>;
}

export interface FlowCollector {
  add(result: OutputResult): void;
  counts(): FlowCounts;
}

export function flowCollector(): FlowCollector {
  const summary: Summary = emptySummary();
  const firstFailing = new Map<string, number>();
  return {
    add(result) {
      tally(summary, result);
      // `failed` is in protocol order (the contract), so its head is the first failing criterion.
      const first = result.verdict === "ineligible" ? result.failed[0] : undefined;
      if (first !== undefined) firstFailing.set(first, (firstFailing.get(first) ?? 0) + 1);
    },
    counts: () => ({
      records: summary.screened,
      invalid: summary.invalid,
      eligible: summary.eligible,
      ineligible: summary.ineligible,
      incomplete: summary.incomplete,
      firstFailing,
      failing: summary.failing,
      missing: summary.missing,
    }),
  };
}

/**
 * A count as it may be shown: with a minimum cell size N (small-cell suppression for sharing
 * outside the site), counts from 1 to N-1 read "<N". Zero stays zero: it identifies no one.
 */
export function shownCount(n: number, minCount: number): string {
  return n > 0 && n < minCount ? `<${minCount}` : String(n);
}

export function isSuppressed(n: number, minCount: number): boolean {
  return n > 0 && n < minCount;
}

/** Map entries by count, largest first, ties by key. */
export function byCount(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
