/**
 * The text report wraps narrow text itself (src/text/wrap.ts) and leaves everything else to
 * wrap-ansi: the two must agree, character for character, on every narrow text.
 */
import fc from "fast-check";
import wrapAnsi from "wrap-ansi";
import { describe, expect, it } from "vitest";
import { isNarrow, wrapNarrow } from "../src/text/wrap.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const reference = (text: string, columns: number) => wrapAnsi(text, columns, { hard: false, trim: true }).split("\n");

const NARROW_CHARS = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).filter((c) => c !== "\n" && isNarrow(c));
const word = fc.array(fc.constantFrom(...NARROW_CHARS.filter((c) => c !== " ")), { maxLength: 14 }).map((cs) => cs.join(""));
const gap = fc.constantFrom(" ", " ", " ", "  ", "   ", "\n", " \n ", "\u00a0");

describe("wrapping narrow text", () => {
  it("knows narrow text from the rest (colour codes, CJK, emoji, tabs, joiners, soft hyphens)", () => {
    expect(isNarrow("INC-08 ALT 2.1 × ULN (≤ 2.5) → ✓ — “quoted” · 12 µmol/L ─")).toBe(true);
    for (const other of ["\u001b[31mred", "王小明", "😀", "a\tb", "e\u0301", "a\u200db", "soft\u00adhyphen", "©", "\r\n"]) expect(isNarrow(other)).toBe(false);
    expect(NARROW_CHARS.length).toBeGreaterThan(300);
  });

  it("gives wrap-ansi's lines for every narrow text and width", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { maxLength: 30 }), fc.integer({ min: 1, max: 90 }), (parts, columns) => {
        const text = parts.map(([w, g]) => w + g).join("");
        expect(isNarrow(text)).toBe(true);
        expect(wrapNarrow(text, columns)).toEqual(reference(text, columns));
      }),
      { numRuns: RUNS },
    );
  });

  it("wraps a report's lines as wrap-ansi does: long words kept whole, blank lines kept, trailing spaces dropped", () => {
    const cases = [
      "Acute ischemic stroke confirmed by CT or MRI, with a responsible occlusion of a large artery",
      "a-very-long-word-that-does-not-fit-anywhere-at-all and then some",
      "  leading and trailing   \n\n   \nsecond paragraph  ",
      "",
      "   ",
    ];
    for (const text of cases) for (const columns of [20, 33, 80]) expect(wrapNarrow(text, columns)).toEqual(reference(text, columns));
  });
});
