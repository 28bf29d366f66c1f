/**
 * The one walk of a record (src/record/walk.ts) against the three walks it replaces: the
 * unknown-field warnings (unknown-fields.ts), the structural check (structure.ts) and reading each
 * declared path (reading.ts rawAt). They must agree exactly, on generated and hostile records.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRules } from "../src/index.js";
import { factLayout } from "../src/record/normalise.js";
import { rawAt } from "../src/record/reading.js";
import { buildStructureCheck } from "../src/record/structure.js";
import { declaredTree, unknownFieldWarnings } from "../src/record/unknown-fields.js";
import { buildRecordWalk } from "../src/record/walk.js";
import { readerFor } from "../src/screen.js";
import { clone, GROUPS, hostileJsonArb, hostilePathArb, recordArb, setPath } from "./helpers/arbitraries.js";

const rules = loadRules();
const RUNS = Number(process.env.PROPERTY_RUNS ?? process.env.FUZZ_RUNS ?? 1_000);
const tree = declaredTree(rules);
const layout = factLayout(rules);
const walk = buildRecordWalk(rules, tree, layout.slotOf)!;
const structure = buildStructureCheck(rules);
const zodValid = (record: unknown) => readerFor(rules).schema().safeParse(record).success;

function walked(record: object) {
  const raw = new Array<unknown>(layout.paths.length).fill(undefined);
  const warnings: { path: string; message: string }[] = [];
  const valid = walk(record, raw, warnings);
  return { valid, raw, warnings };
}

// A key the rules do not name (a typo of one they do, or any word), somewhere in the record.
const strayArb = fc.tuple(fc.constantFrom("", ...GROUPS), fc.oneof(fc.constantFrom("nihs", "onsett", "sexx", "alt2", "lab"), fc.string({ minLength: 1, maxLength: 8 })), hostileJsonArb);

describe("the record walk (src/record/walk.ts)", () => {
  it("is built for the trial's rules", () => {
    expect(walk).toBeTypeOf("function");
  });

  it(`gives the unknown-field warnings, the structural verdict and the raw values of the three walks (${RUNS} runs)`, () => {
    const seen = { valid: 0, invalid: 0, warned: 0 };
    fc.assert(
      fc.property(recordArb, fc.option(fc.tuple(hostilePathArb, hostileJsonArb)), fc.array(strayArb, { maxLength: 3 }), ({ record }, hostile, strays) => {
        let mutated = hostile ? setPath(record, hostile[0], hostile[1]) : record;
        for (const [group, key, value] of strays) mutated = setPath(mutated, group ? `${group}.${key}` : key, clone(value));
        const json = JSON.parse(JSON.stringify(mutated ?? null)) as unknown;
        if (json === null || typeof json !== "object" || Array.isArray(json)) return;
        const got = walked(json);
        const want = structure(json);
        seen[want ? "valid" : "invalid"]++;
        if (got.warnings.length) seen.warned++;
        expect(got.valid).toBe(want);
        expect(got.warnings).toEqual(unknownFieldWarnings(json as Record<string, unknown>, tree));
        if (got.valid) expect(got.raw).toEqual(layout.paths.map((path) => rawAt(json as Record<string, unknown>, path)));
      }),
      { numRuns: RUNS },
    );
    expect(seen.valid).toBeGreaterThan(RUNS / 10);
    expect(seen.invalid).toBeGreaterThan(RUNS / 10);
    expect(seen.warned).toBeGreaterThan(RUNS / 10);
  });

  it("sends to zod a record whose declared key for…in does not see: own non-enumerable", () => {
    const record = { id: "A", stroke: { nihss: 5 } };
    Object.defineProperty(record.stroke, "aspects", { value: "ten", enumerable: false });
    expect(walked(record).valid).toBe(false);
    expect(zodValid(record)).toBe(false);
    // A valid value there too: zod words the record (accepts it), and the reading looks the path up.
    const hidden = { id: "A", stroke: {} };
    Object.defineProperty(hidden.stroke, "aspects", { value: 8, enumerable: false });
    expect(walked(hidden).valid).toBe(false);
    expect(zodValid(hidden)).toBe(true);
  });

  it("sends to zod a record whose declared key is inherited (a polluted Object.prototype)", () => {
    const record = { id: "A", stroke: { nihss: 5 } };
    expect(walked(record).valid).toBe(true);
    Object.defineProperty(Object.prototype, "aspects", { value: "ten", enumerable: false, configurable: true });
    try {
      expect(walked(record).valid).toBe(false);
      expect(structure(record)).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>).aspects;
    }
  });
});
