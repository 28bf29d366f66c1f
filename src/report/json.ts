import type { Reporter } from "./reporter.js";

/** ndjson: one compact object per line, in input order, flushed as it comes. */
export function ndjsonReporter(): Reporter {
  return { start: () => "", result: (r) => JSON.stringify(r) + "\n", end: () => "" };
}

/**
 * json: one object for a single-object input, an array otherwise. The first result is held back
 * until a second one (or the end) shows which, so even arrays stream.
 */
export function jsonReporter(): Reporter {
  let held: string | undefined;
  let count = 0;
  return {
    start: () => "",
    result(r) {
      const text = JSON.stringify(r, null, 2).replace(/\n/g, "\n  ");
      count++;
      if (count === 1) {
        held = text;
        return "";
      }
      const prefix = count === 2 ? `[\n  ${held},\n  ` : ",\n  ";
      held = undefined;
      return prefix + text;
    },
    end(_summary, single) {
      if (count === 0) return "[]\n";
      if (count === 1) return single ? JSON.stringify(JSON.parse(held!), null, 2) + "\n" : `[\n  ${held}\n]\n`;
      return "\n]\n";
    },
  };
}
