/**
 * The bundle's string-width (scripts/lazy-segmenter.mjs) must measure exactly as the package does:
 * the patched module is loaded beside the real one and both are asked the same questions.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NARROW, patchStringWidth } from "../scripts/lazy-segmenter.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
type Width = (text: string) => number;

let dir: string;
let patched: Width;
let made = 0;
const RealSegmenter = Intl.Segmenter;

beforeAll(async () => {
  // The patched copy sits in a directory whose node_modules is the project's, so its imports resolve.
  dir = mkdtempSync(join(tmpdir(), "string-width-"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const text = patchStringWidth(readFileSync(join(ROOT, "node_modules/string-width/index.js"), "utf8"));
  if (text === undefined) throw new Error("the installed string-width makes no segmenter: nothing to patch");
  writeFileSync(join(dir, "string-width.mjs"), text);
  // Counts the segmenters made, to show that the patched module makes none for narrow text.
  const Counting = class extends RealSegmenter {
    constructor(...args: ConstructorParameters<typeof RealSegmenter>) {
      super(...args);
      made++;
    }
  };
  Object.defineProperty(Intl, "Segmenter", { value: Counting, writable: true, configurable: true });
  patched = ((await import(pathToFileURL(join(dir, "string-width.mjs")).href)) as { default: Width }).default;
});

afterAll(() => {
  Object.defineProperty(Intl, "Segmenter", { value: RealSegmenter, writable: true, configurable: true });
  rmSync(dir, { recursive: true, force: true });
});

const narrow = new RegExp(`^[${NARROW}]$`);
const NARROW_CHARS = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).filter((c) => narrow.test(c));

describe("string-width as bundled", () => {
  it("makes no segmenter for narrow text, and one on the first text that needs it", () => {
    const report = "ELIGIBLE  all criteria met (sha256 602e85a27ec2…) · 2.1 × ULN → ✓ ─";
    expect(patched(report)).toBe(report.length);
    expect(stringWidth(report)).toBe(report.length);
    expect(made).toBe(0);
    expect(patched("王小明")).toBe(6);
    expect(made).toBe(1);
  });

  it("gives every narrow character width 1, as the package does", () => {
    expect(NARROW_CHARS.length).toBeGreaterThan(300);
    for (const c of NARROW_CHARS) expect([c, stringWidth(c)]).toEqual([c, 1]);
  });

  it("agrees with the package on every BMP character", () => {
    for (let i = 0; i < 0x10000; i++) {
      const c = String.fromCharCode(i);
      if (patched(c) !== stringWidth(c)) expect([i.toString(16), patched(c)]).toEqual([i.toString(16), stringWidth(c)]);
    }
  });

  it("agrees with the package on text that mixes narrow characters with wide, joining and coloured ones", () => {
    const others = ["王", "明", "😀", "👩‍⚕️", "e\u0301", "\u200d", "\ufe0f", "\u00ad", "©", "\t", "\u001b[31m", "\u001b[39m", "🇨🇳", "ｱ", "\u0300"];
    const piece = fc.oneof(fc.constantFrom(...NARROW_CHARS), fc.constantFrom(...others));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect(patched(text)).toBe(stringWidth(text));
      }),
      { numRuns: RUNS },
    );
  });
});
