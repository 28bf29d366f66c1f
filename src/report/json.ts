import type { OutputResult } from "../result.js";
import { fastStringifier } from "./json-fast.js";
import type { Reporter } from "./reporter.js";

/** ndjson: one compact object per line, in input order, flushed as it comes (JSON.stringify's bytes, constant parts serialised once). */
export function ndjsonReporter(): Reporter {
  const stringify = fastStringifier();
  return { start: () => "", result: (r) => stringify(r) + "\n", end: () => "" };
}

/**
 * json: one object for a single-object input, an array otherwise. The first result is held back
 * until a second one (or the end) shows which, so even arrays stream.
 */
export function jsonReporter(): Reporter {
  let held: OutputResult | undefined;
  let count = 0;
  return {
    start: () => "",
    result(r) {
      count++;
      if (count === 1) {
        held = r;
        return "";
      }
      const prefix = count === 2 ? `[\n  ${arrayItem(held!)},\n  ` : ",\n  ";
      held = undefined;
      return prefix + arrayItem(r);
    },
    end(_summary, single) {
      if (count === 0) return "[]\n";
      if (count === 1) return single ? JSON.stringify(held, null, 2) + "\n" : `[\n  ${arrayItem(held!)}\n]\n`;
      return "\n]\n";
    },
  };
}

/**
 * One result pretty-printed as an element of the top-level array (indented one level). Cut from a
 * one-element array rather than re-indented with a regular expression: a batch does this per record.
 */
function arrayItem(r: OutputResult): string {
  return JSON.stringify([r], null, 2).slice(4, -2); // drop "[\n  " and "\n]"
}
