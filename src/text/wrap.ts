/**
 * Word wrapping of narrow text, exactly as wrap-ansi does it with `{ hard: false, trim: true }`
 * (test/wrap.test.ts holds the two to the same output). Narrow text is what a report almost always
 * is: printable ASCII and a few one-column symbols, no colour codes. Every such character is one
 * column wide and none joins its neighbour into one grapheme, so its width is its length.
 * wrap-ansi measures any text (colour codes, CJK, emoji, combining marks), but it costs a sixth of
 * a one-record run's start-up to load; the text report loads it only for text that is not narrow.
 */

/** Printable ASCII; Latin-1 but the soft hyphen (invisible) and © ® (emoji); general punctuation; ← ↑ → ↓; − ≤ ≥; box drawing; ✓ ✗. */
const NARROW = /^[\x20-\x7E\xA0-\xA8\xAA-\xAC\xAF-\xFF\u2010-\u2027\u2030-\u203A\u2190-\u2193\u2212\u2264\u2265\u2500-\u257F\u2713\u2717\n]*$/;

/** Whether `wrapNarrow` wraps this text as wrap-ansi would (lines may be separated by "\n"). */
export function isNarrow(text: string): boolean {
  return NARROW.test(text);
}

/** wrap-ansi's `exec` for one line of narrow text: words split on " ", rows trimmed as it trims them. */
function wrapLine(line: string, columns: number): string {
  if (line.trim() === "") return "";
  const words = line.split(" ");
  const rows = [""];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let row = rows[rows.length - 1]!.trimStart();
    if (i !== 0 && row.length > 0) row += " ";
    if (row.length + word.length > columns && row.length > 0 && word.length > 0) {
      rows[rows.length - 1] = row;
      rows.push(word);
    } else {
      rows[rows.length - 1] = row + word;
    }
  }
  // Trailing spaces go (only spaces: other white space is a visible column to wrap-ansi).
  return rows.map((row) => row.replace(/ +$/, "")).join("\n");
}

/** Narrow text (`isNarrow`) wrapped at `columns` on word boundaries; a longer word keeps its own line. */
export function wrapNarrow(text: string, columns: number): string[] {
  return text
    .split("\n")
    .map((line) => wrapLine(line, columns))
    .join("\n")
    .split("\n");
}
