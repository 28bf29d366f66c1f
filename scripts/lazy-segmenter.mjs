/**
 * A build-time change to string-width (under wrap-ansi, which wraps the text report), for the
 * bundle only. string-width makes an Intl.Segmenter when it is imported, and the first Intl object
 * a process makes loads ICU's data: about 8 ms of a one-record run (0.06 s in all), whose report
 * is plain ASCII and never needs segmenting. Two edits, nothing else changed:
 *  - the segmenter is made on its first use;
 *  - a string made only of NARROW characters measures its length: printable ASCII and the few
 *    one-column symbols a report prints (… · × – → ✓ ─ and their neighbours). None of them joins
 *    a neighbour into one grapheme, and the package's own steps give each of them width 1, so
 *    the answer is the same; test/string-width-patch.test.ts holds the patched module to the
 *    package's answers, character by character and on random text.
 * If the package's text ever differs, the build stops rather than quietly losing the saving.
 */
import { readFileSync } from "node:fs";

const SEGMENTER = "const segmenter = new Intl.Segmenter();";
const LAZY = "let made; const segmenter = { segment: (text) => (made ??= new Intl.Segmenter()).segment(text) };";
const ENTRY = "export default function stringWidth(string, options = {}) {";
/** Printable ASCII, Latin-1 but the soft hyphen and © ®, general punctuation, arrows, − ≤ ≥, box drawing, ✓ ✗. */
export const NARROW = String.raw`\x20-\x7E\xA0-\xA8\xAA-\xAC\xAF-\xFF\u2010-\u2027\u2030-\u203A\u2190-\u2193\u2212\u2264\u2265\u2500-\u257F\u2713\u2717`;
const FAST = `${ENTRY}\n\tif (typeof string === 'string' && /^[${NARROW}]*$/.test(string)) return string.length;`;

/** The patched text of string-width's index.js; undefined for a copy that makes no segmenter. */
export function patchStringWidth(text, where = "string-width") {
  if (!text.includes("Intl.Segmenter")) return undefined; // an older copy (under @inquirer) makes none
  for (const line of [SEGMENTER, ENTRY]) {
    if (!text.includes(line)) throw new Error(`${where}: expected "${line}" (see scripts/lazy-segmenter.mjs)`);
  }
  return text.replace(SEGMENTER, LAZY).replace(ENTRY, FAST);
}

/** The esbuild plugin that applies it. */
export const lazySegmenter = {
  name: "lazy-segmenter",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, ({ path }) => {
      const contents = patchStringWidth(readFileSync(path, "utf8"), path);
      return contents === undefined ? undefined : { contents, loader: "js" };
    });
  },
};
