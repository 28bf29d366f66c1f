/** One result type, several ways to print it (eslint's formatter split): chosen by --format. */
import type { OutputResult } from "../result.js";
import type { Summary } from "./summary.js";

export interface Reporter {
  /** Text to write before the first result (may be empty). */
  start(): string;
  /** Text for one result, in input order. */
  result(result: OutputResult): string;
  /** Text after the last one; `single` is true when the whole input was one object. */
  end(summary: Summary, single: boolean): string;
}

export interface ReporterOptions {
  readonly color: boolean;
  readonly verbose: boolean;
  /** --summary: a multi-record text report ends with the batch's tallies. */
  readonly summary: boolean;
  readonly criteriaShort: ReadonlyMap<string, string>;
}
