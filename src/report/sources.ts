/** The "Sources" block of a text report (--explain-sources): where each value came from. */
import { describeSource, type OutputResult, type SourceRef } from "../result.js";
import type { Reporter } from "./reporter.js";

/** One line per record path, in the record's order. */
export function renderSources(result: OutputResult): string {
  const sources = result.sources;
  if (!sources) return "";
  const entries = Object.entries(sources);
  if (!entries.length) return "\nSources\n  (no value was mapped from the input)\n";
  const width = Math.min(40, Math.max(...entries.map(([p]) => p.length)));
  const held = (ref: SourceRef) => ("value" in ref && ref.value !== undefined ? `: ${JSON.stringify(ref.value)}` : "");
  return "\nSources\n" + entries.map(([p, ref]) => `  ${p.padEnd(width)}  ← ${describeSource(ref)}${held(ref)}`).join("\n") + "\n";
}

/** Wraps the text reporter so that each report ends with where its values came from. */
export function explainingReporter(inner: Reporter): Reporter {
  return {
    start: () => inner.start(),
    result: (r) => inner.result(r) + renderSources(r),
    end: (summary, single) => inner.end(summary, single),
  };
}
