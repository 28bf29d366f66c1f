/**
 * Provenance: where each value of an adapted record came from — a spreadsheet cell or a FHIR
 * resource — carried beside the record as a `sources` map (record path → source), put on the
 * result, named in error messages, and printed in text reports with --explain-sources.
 */
import type { InputItem } from "../io/read-records.js";
import type { OutputResult } from "../io/positioned.js";
import type { Problem } from "../record/normalise.js";
import type { Reporter } from "../report/reporter.js";
import type { ScreeningResult } from "../screen.js";

/** A spreadsheet cell: the sheet's row number (the header is row 1) and the column's name. */
export interface CellSource {
  readonly row: number;
  readonly column: string;
}

/** A FHIR resource: `Observation/123`, the code that mapped it, and its effective time. */
export interface ResourceSource {
  readonly resource: string;
  readonly code?: string; // system|code
  readonly effective?: string;
  readonly element?: string; // the element read, e.g. onsetDateTime, or a QuestionnaireResponse linkId
}

export type SourceRef = CellSource | ResourceSource;

/** Record path → where its value came from. */
export type SourceMap = Record<string, SourceRef>;

/** An input item produced by an adapter: the record plus where its values came from. */
export interface AdaptedItem extends InputItem {
  readonly sources?: SourceMap;
  /** Adapter warnings (unknown column, repeated observations, unmapped resources…), added to the result's. */
  readonly warnings?: readonly Problem[];
}

export function describeSource(ref: SourceRef): string {
  if ("row" in ref) return `row ${ref.row}, column ${ref.column}`;
  const parts = [ref.resource];
  if (ref.element) parts.push(ref.element);
  if (ref.code) parts.push(ref.code);
  if (ref.effective) parts.push(`at ${ref.effective}`);
  return parts.join(" ");
}

/** The sources that speak for a record path: the path itself, its parts (labs.alt.value), or its group. */
function sourcesFor(path: string, sources: SourceMap): [string, SourceRef][] {
  if (!path) return [];
  return Object.entries(sources).filter(([p]) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
}

/**
 * Adds the adapter's warnings to a result and names, in each error message, the cell or resource
 * the offending value came from (so "stroke.nihss: expected an integer…" says which row and column).
 */
export function withProvenance(result: ScreeningResult, item: AdaptedItem): ScreeningResult {
  const extra = item.warnings ?? [];
  const sources = item.sources;
  if (!extra.length && !sources) return result;
  const warnings = extra.length ? [...result.warnings, ...extra] : result.warnings;
  if (result.verdict !== "error" || !sources) return { ...result, warnings };
  const errors = result.errors.map((e) => {
    const from = sourcesFor(e.path, sources);
    if (!from.length) return e;
    return { ...e, message: `${e.message} (from ${from.map(([, ref]) => describeSource(ref)).join("; ")})` };
  });
  return { ...result, errors, warnings };
}

/** The "Sources" block of a text report: one line per record path, in the record's order. */
export function renderSources(result: OutputResult): string {
  const sources = (result as { sources?: SourceMap }).sources;
  if (!sources) return "";
  const entries = Object.entries(sources);
  if (!entries.length) return "\nSources\n  (no value was mapped from the input)\n";
  const width = Math.min(40, Math.max(...entries.map(([p]) => p.length)));
  return "\nSources\n" + entries.map(([p, ref]) => `  ${p.padEnd(width)}  ← ${describeSource(ref)}`).join("\n") + "\n";
}

/** Wraps the text reporter so that each report ends with where its values came from. */
export function explainingReporter(inner: Reporter): Reporter {
  return {
    start: () => inner.start(),
    result: (r) => inner.result(r) + renderSources(r),
    end: (summary, single) => inner.end(summary, single),
  };
}
