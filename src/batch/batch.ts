/**
 * The batch pipeline: sources → records → screen → reporter → sink, one record at a time and in
 * order. A bad record (or file) becomes an error result in its place; the others go on.
 */
import { screen, UsageError, type ScreenOptions } from "../screen.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { Reporter } from "../report/reporter.js";
import { emptySummary, tally, type Summary } from "../report/summary.js";
import { inputError, positioned, type OutputResult } from "../result.js";
import type { Source } from "../input/read-records.js";
import { describeFailure, readInput, type InputFormat } from "../input/read-input.js";
import { withProvenance, type AdaptedItem } from "../input/provenance.js";
import type { Sink } from "./sink.js";
import { sourceName } from "../text/names.js";

export interface BatchOptions {
  readonly rules: CompiledRules;
  readonly screen: ScreenOptions;
  readonly reporter: Reporter;
  readonly sink: Sink;
  /** Input format (json, csv, tsv, fhir); by default from the file extension and the content. */
  readonly from?: InputFormat;
  /** Called after each result (for progress lines and tallies elsewhere). */
  readonly onResult?: (result: OutputResult, count: number) => void;
  /** Checked between records: true stops the batch (Ctrl-C). */
  readonly stopped?: () => boolean;
}

export interface BatchOutcome {
  readonly summary: Summary;
  /** Results written (records, and errors in their place). */
  readonly count: number;
  /** Records found in the input; 0 means there was nothing to screen. */
  readonly records: number;
  /** Sources that held no record. */
  readonly empty: readonly string[];
  readonly single: boolean;
  readonly verdicts: string[];
}

export async function runBatch(sources: readonly Source[], options: BatchOptions): Promise<BatchOutcome> {
  const { rules, reporter, sink } = options;
  const summary = emptySummary();
  const verdicts = new Set<string>();
  let count = 0;
  let single = false;
  const label = sources.length > 1;
  // The header (csv) is written with the first result, so an input with no record prints nothing.
  let started = false;
  let records = 0;
  // Sources with no record are reported in their place, but only once some record exists:
  // input with no record at all is a usage error for the caller, not a page of errors.
  const held: AdaptedItem[] = [];
  const empty: string[] = [];
  const emit = async (item: AdaptedItem) => {
    const pos = { ...(item.file !== undefined ? { file: item.file } : {}), ...(item.line !== undefined ? { line: item.line } : {}), ...(item.index !== undefined ? { index: item.index } : {}), ...(item.sources !== undefined ? { sources: item.sources } : {}) };
    const failed = (error: string, path = "") => positioned(withProvenance({ ...(item.id !== undefined ? { id: item.id } : {}), ...inputError(error, rules.meta, path) }, item), pos);
    let result: OutputResult;
    if (item.error !== undefined) result = failed(item.error, item.errorPath);
    else {
      try {
        result = positioned(withProvenance(screen(item.value, rules, options.screen), item), pos);
      } catch (err) {
        if (err instanceof UsageError) throw err; // bad options, not a bad record
        // A record that breaks the screener itself is still only that record's error.
        result = failed(`this record could not be screened: ${describeFailure(err)}`);
      }
    }
    single = sources.length === 1 && item.single === true;
    count++;
    tally(summary, result);
    if (!started) {
      started = true;
      await sink.write(reporter.start());
    }
    // The exit code speaks for the results actually written: once the reader has gone
    // (`screen … | head -1`), later ones are not counted.
    if (!sink.closed) verdicts.add(result.verdict);
    await sink.write(reporter.result(result));
    options.onResult?.(result, count);
  };
  for (const source of sources) {
    for await (const item of guarded(readInput(source, label ? source.name : undefined, { rules, screen: options.screen, ...(options.from ? { from: options.from } : {}) }), source, label)) {
      if (options.stopped?.() || sink.closed) break;
      if (item.noRecord) {
        empty.push(source.name);
        if (count === 0) held.push(item);
        else await emit(item);
        continue;
      }
      records++;
      for (const h of held.splice(0)) await emit(h);
      await emit(item);
    }
    if (options.stopped?.() || sink.closed) break;
  }
  if (!sink.closed && count > 0) await sink.write(reporter.end(summary, single && count === 1));
  return { summary, count, records, empty, single: single && count === 1, verdicts: [...verdicts] };
}

/**
 * The source's items; should reading it fail unexpectedly part-way, one error item says so in
 * place, and the batch goes on with the next source instead of losing everything.
 */
async function* guarded(items: AsyncGenerator<AdaptedItem>, source: Source, label: boolean): AsyncGenerator<AdaptedItem> {
  const name = sourceName(source.name);
  try {
    yield* items;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    yield { ...(label ? { file: source.name } : {}), error: `cannot read the rest of ${name}: ${describeFailure(err)}` };
  }
}
