/** What the batch loop and its worker threads (`--jobs N`) send each other. */
import type { AdaptedItem } from "../input/provenance.js";
import type { OutputResult } from "../result.js";
import type { Summary } from "../report/summary.js";
import type { RulesFile } from "../rules/schema.js";
import type { ScreenOptions } from "../screen.js";

export interface WorkerSetup {
  /** The checked rules file, compiled again in each worker (compiling is pure and quick). */
  readonly file: RulesFile;
  readonly source: string;
  readonly sha256: string;
  readonly screen: ScreenOptions;
  /** The output format: ndjson and csv rows are written by the worker itself. */
  readonly format: string;
}

/** One record to screen: the input item, its value given as the JSON text it was parsed from when that is at hand. */
export interface Job {
  readonly item: AdaptedItem;
  readonly text?: string;
}

/**
 * A block of whole NDJSON lines (`--jobs`): cut by the reader at a newline, parsed, screened and
 * written by a worker. `line` is the number of its first line in the source.
 */
export interface Block {
  readonly kind: "block";
  readonly bytes: Uint8Array;
  readonly line: number;
  /** The source's name as the user wrote it, for the messages of bad lines. */
  readonly name: string;
}

/**
 * A block's answer: the reporter's text for its records as UTF-8, the block's own summary (counted
 * in the worker: one small object to send back, not one per record) and the verdicts in it.
 */
export type BlockDone =
  | { readonly bytes: Uint8Array; readonly summary: Summary; readonly verdicts: readonly string[]; readonly usage?: undefined }
  | { readonly usage: string; readonly bytes?: undefined; readonly summary?: undefined; readonly verdicts?: undefined };

/** What the summary counts of a result (see report/summary.ts `tally`). */
export interface Tally {
  readonly verdict: OutputResult["verdict"];
  readonly failed: readonly string[];
  readonly criteria: readonly { readonly needs?: readonly string[] }[];
}

export type Screened =
  | { readonly text: string; readonly tally: Tally; readonly result?: undefined; readonly usage?: undefined }
  | { readonly result: OutputResult; readonly tally: Tally; readonly text?: undefined; readonly usage?: undefined }
  | { readonly usage: string; readonly text?: undefined; readonly result?: undefined; readonly tally?: undefined };

/** Only what a tally reads, so that a text-writing worker need not send the whole result back. */
export function slim(result: OutputResult): Tally {
  if (result.verdict === "error") return { verdict: "error", failed: [], criteria: [] };
  const criteria = result.verdict === "incomplete" ? result.criteria.filter((c) => c.needs).map((c) => ({ needs: c.needs! })) : [];
  return { verdict: result.verdict, failed: result.failed, criteria };
}
