/** Where a result's record came from in the input: echoed so a person can find it. */
import type { ErrorResult, ScreeningResult } from "../screen.js";
import type { SourceMap } from "../adapters/provenance.js";

export interface Position {
  readonly file?: string; // set when more than one input file is given
  readonly line?: number; // 1-based physical line, for NDJSON
  readonly index?: number; // 0-based, for a JSON array
  readonly sources?: SourceMap; // record path → spreadsheet cell or FHIR resource (adapted input only)
}

export type OutputResult = ScreeningResult & Position;

/** Places the position right after the id, so the key order reads naturally. */
export function positioned(result: ScreeningResult, pos: Position): OutputResult {
  // Built key by key rather than with a rest spread: this runs once per record of a batch.
  const out: Record<string, unknown> = {};
  if (result.id !== undefined) out.id = result.id;
  if (pos.file !== undefined) out.file = pos.file;
  if (pos.line !== undefined) out.line = pos.line;
  if (pos.index !== undefined) out.index = pos.index;
  for (const key in result) if (key !== "id") out[key] = (result as unknown as Record<string, unknown>)[key];
  if (pos.sources !== undefined) out.sources = pos.sources;
  return out as unknown as OutputResult;
}

export function inputError(message: string, rules: ErrorResult["rules"], path = ""): ErrorResult {
  return { verdict: "error", errors: [{ path, message }], rules, warnings: [] };
}
