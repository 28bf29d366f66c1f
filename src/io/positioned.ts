/** Where a result's record came from in the input: echoed so a person can find it. */
import type { ErrorResult, ScreeningResult } from "../screen.js";

export interface Position {
  readonly file?: string; // set when more than one input file is given
  readonly line?: number; // 1-based physical line, for NDJSON
  readonly index?: number; // 0-based, for a JSON array
}

export type OutputResult = ScreeningResult & Position;

/** Places the position right after the id, so the key order reads naturally. */
export function positioned(result: ScreeningResult, pos: Position): OutputResult {
  const { id, ...rest } = result;
  return {
    ...(id !== undefined ? { id } : {}),
    ...(pos.file !== undefined ? { file: pos.file } : {}),
    ...(pos.line !== undefined ? { line: pos.line } : {}),
    ...(pos.index !== undefined ? { index: pos.index } : {}),
    ...rest,
  } as OutputResult;
}

export function inputError(message: string, rules: ErrorResult["rules"], path = ""): ErrorResult {
  return { verdict: "error", errors: [{ path, message }], rules, warnings: [] };
}
