/**
 * Provenance: where each value of an adapted record came from — a spreadsheet cell or a FHIR
 * resource — carried beside the record as a `sources` map (record path → source), put on the
 * result, named in error messages, and printed in text reports with --explain-sources
 * (report/sources.ts).
 */
import { describeSource, type Problem, type ScreeningResult, type SourceMap, type SourceRef } from "../result.js";
import type { InputItem } from "./read-records.js";

export type { CellSource, ResourceSource, SourceMap, SourceRef } from "../result.js";

/** An input item produced by an adapter: the record plus where its values came from. */
export interface AdaptedItem extends InputItem {
  readonly sources?: SourceMap;
  /** Adapter warnings (unknown column, repeated observations, unmapped resources…), added to the result's. */
  readonly warnings?: readonly Problem[];
  /** Record path → what the adapter knows about reading it ("yes/no columns take Y, N, …"), added to an error there. */
  readonly notes?: Readonly<Record<string, string>>;
  /** Codings of resources no mapping table used (FHIR), for `screen coverage`. */
  readonly unmappedCodes?: readonly UnmappedCoding[];
}

/** One coding of a resource the mapping did not use. */
export interface UnmappedCoding {
  readonly resourceType: string;
  readonly system?: string;
  readonly code: string;
  readonly display?: string;
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
    const note = item.notes?.[e.path];
    const from = sourcesFor(e.path, sources);
    if (!from.length && !note) return e;
    const cells = from.length ? ` (from ${from.map(([, ref]) => describeSource(ref)).join("; ")})` : "";
    return { ...e, message: `${e.message}${note ? `; ${note}` : ""}${cells}` };
  });
  return { ...result, errors, warnings };
}
