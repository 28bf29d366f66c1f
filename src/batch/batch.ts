/**
 * The batch loop: items → screen → reporter → sink, one record at a time and in order. It knows
 * no input format: the input layer turns files, sheets and Bundles into items. A bad record (or
 * an unreadable file, already an error item) becomes an error result in its place; the others go on.
 */
import { withProvenance, type AdaptedItem } from "../input/provenance.js";
import { describeFailure } from "../input/read-input.js";
import type { Reporter } from "../report/reporter.js";
import { emptySummary, tally, type Summary } from "../report/summary.js";
import { inputError, LoadFirst, positioned, soon, UsageError, type OutputResult, type Position } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import { screen, type ScreenOptions } from "../screen.js";
import type { ScreenPool } from "./parallel.js";
import type { Screened } from "./parallel-types.js";
import type { Tally } from "./parallel-types.js";
import type { Sink } from "./sink.js";

export interface BatchOptions {
  readonly rules: CompiledRules;
  readonly screen: ScreenOptions;
  readonly reporter: Reporter;
  readonly sink: Sink;
  /** Called after each result (for progress lines and tallies elsewhere). */
  readonly onResult?: (result: OutputResult, count: number) => void;
  /** With --jobs over NDJSON blocks (blocks.ts), called per block instead of onResult, with the count so far. */
  readonly onCount?: (count: number) => void;
  /** Checked between records: true stops the batch (Ctrl-C). */
  readonly stopped?: () => boolean;
  /** Worker threads to screen in (`--jobs`); 1 or absent screens in this thread. */
  readonly jobs?: number;
  /** The output format's name: a worker writes ndjson and csv rows itself. */
  readonly format?: string;
}

export interface BatchOutcome {
  readonly summary: Summary;
  /** Results written (records, and errors in their place). */
  readonly count: number;
  /** Records found in the input; 0 means there was nothing to screen. */
  readonly records: number;
  /** Sources that held no record, by name. */
  readonly empty: readonly string[];
  /** The whole input was one object: reporters may print one result rather than a list. */
  readonly single: boolean;
  /** Verdicts of the results actually written (for the exit code). */
  readonly verdicts: string[];
}

/** One item → its result, positioned where it was found. Never throws for a bad record. */
export function resultOf(item: AdaptedItem, rules: CompiledRules, options: ScreenOptions): OutputResult {
  const pos: Position = {
    ...(item.file !== undefined ? { file: item.file } : {}),
    ...(item.line !== undefined ? { line: item.line } : {}),
    ...(item.index !== undefined ? { index: item.index } : {}),
    ...(item.sources !== undefined ? { sources: item.sources } : {}),
  };
  const failed = (error: string, path = "") => positioned(withProvenance({ ...(item.id !== undefined ? { id: item.id } : {}), ...inputError(error, rules.meta, path) }, item), pos);
  if (item.error !== undefined) return failed(item.error, item.errorPath);
  try {
    return positioned(withProvenance(screen(item.value, rules, options), item), pos);
  } catch (err) {
    if (err instanceof UsageError || err instanceof LoadFirst) throw err; // bad options, or code to load: not a bad record
    // A record that breaks the screener itself is still only that record's error.
    return failed(`this record could not be screened: ${describeFailure(err)}`);
  }
}

/**
 * `resultOf`; a record that needs its errors worded before the record schema (zod) is loaded is
 * screened again once it is (record/wording.ts): well-formed records never pay for either.
 */
export function resultSoon(item: AdaptedItem, rules: CompiledRules, options: ScreenOptions): OutputResult | Promise<OutputResult> {
  return soon(() => resultOf(item, rules, options));
}

/** A job's outcome as the batch loop needs it: a UsageError from a worker is thrown here. */
function settled(s: Screened): Exclude<Screened, { usage: string }> {
  if (s.usage !== undefined) throw new UsageError(s.usage);
  return s;
}

/** A record's way to its result: screened here, or in a worker (`--jobs`), which may send its text. */
type Outcome = { readonly result: OutputResult; readonly text?: undefined } | { readonly text: string; readonly tally: Tally; readonly result?: undefined };

/** The item's outcome now, or (with a pool, for a record to screen) once a worker has screened it. */
function prepare(item: AdaptedItem, options: BatchOptions, pool: ScreenPool | undefined): Outcome | Promise<Outcome> {
  if (!pool || item.error !== undefined) {
    const result = resultSoon(item, options.rules, options.screen);
    return result instanceof Promise ? result.then((r) => ({ result: r })) : { result };
  }
  // The worker runs `resultOf` on the same item; a line of JSON travels as its text (cheaper than the object).
  const { value, text, ...rest } = item;
  return pool.submit(text !== undefined ? { item: rest, text } : { item: { ...rest, value } }).then(settled);
}

export async function runBatch(items: AsyncIterable<AdaptedItem>, options: BatchOptions): Promise<BatchOutcome> {
  const { reporter, sink } = options;
  const summary = emptySummary();
  const verdicts = new Set<string>();
  let count = 0;
  let single = false;
  let records = 0;
  // Sources with no record are reported in their place, but only once some record exists:
  // input with no record at all is a usage error for the caller, not a page of errors.
  const held: AdaptedItem[] = [];
  const empty: string[] = [];
  // The pool (and with it worker threads) is loaded only with --jobs.
  const pool = options.jobs !== undefined && options.jobs > 1 ? (await import("./parallel.js")).screenPool(options.jobs, options.rules, options.screen, options.format ?? "") : undefined;
  const commit = async (item: AdaptedItem, outcome: Outcome) => {
    // A worker that wrote the text sends back only what the summary counts (parallel-types.ts).
    const result = outcome.result ?? (outcome.tally as unknown as OutputResult);
    single = item.single === true;
    // The header (csv) is written with the first result, so an input with no record prints nothing.
    if (count++ === 0) await sink.write(reporter.start());
    tally(summary, result);
    // The exit code speaks for the results actually written: once the reader has gone
    // (`screen … | head -1`), later ones are not counted.
    if (!sink.closed) verdicts.add(result.verdict);
    // The text report may need wrap-ansi first (for text that is not narrow): loaded, then rendered again.
    const text = outcome.text ?? soon(() => reporter.result(result));
    await sink.write(typeof text === "string" ? text : await text);
    options.onResult?.(result, count);
  };
  // Outcomes in input order, committed oldest first; with --jobs at most `pool.window` wait.
  const queue: { item: AdaptedItem; outcome: Outcome | Promise<Outcome> }[] = [];
  const drain = async (keep: number) => {
    while (queue.length > keep) {
      // As one process would: nothing more is counted once the reader has gone or Ctrl-C came.
      if (sink.closed || options.stopped?.()) {
        queue.length = 0;
        return;
      }
      // The oldest job is in the chunk not sent yet only when every queued job is (a short queue).
      if (pool && queue.length <= pool.unsent) pool.flush();
      const { item, outcome } = queue.shift()!;
      await commit(item, await outcome);
    }
  };
  const emit = async (item: AdaptedItem) => {
    queue.push({ item, outcome: prepare(item, options, pool) });
    await drain(pool ? pool.window : 0);
  };
  try {
    for await (const item of items) {
      if (options.stopped?.() || sink.closed) break;
      if (item.emptySource !== undefined) {
        empty.push(item.emptySource);
        if (count + queue.length === 0) held.push(item);
        else await emit(item);
        continue;
      }
      records++;
      for (const h of held.splice(0)) await emit(h);
      await emit(item);
    }
    await drain(0);
  } finally {
    await pool?.close();
  }
  if (!sink.closed && count > 0) await sink.write(reporter.end(summary, single && count === 1));
  return { summary, count, records, empty, single: single && count === 1, verdicts: [...verdicts] };
}
