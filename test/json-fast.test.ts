/**
 * The ndjson reporter serialises results from precomputed constant parts (report/json-fast.ts):
 * its bytes must be JSON.stringify's, on the fixtures, on generated records and on results it
 * has not seen the like of (changed words, other key order, odd values).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { positioned } from "../src/result.js";
import { fastStringifier } from "../src/report/json-fast.js";
import { ndjsonReporter } from "../src/report/json.js";
import { fixture } from "./helpers/cli.js";
import { run } from "./helpers/records.js";

const FIXTURES = ["eligible.json", "ineligible.json", "incomplete.json", "invalid.json", "onset-date-only.json", "woman-childbearing.json", "woman-no-contraception.json"];

describe("fast ndjson serialisation", () => {
  it("equals JSON.stringify on the fixtures and 300 generated records (one stringifier for all)", () => {
    const generated = spawnSync(process.execPath, ["scripts/gen-records.mjs", "300", "--seed", "7"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    expect(generated.length).toBe(300);
    const values = [...FIXTURES.map((f) => JSON.parse(readFileSync(fixture(f), "utf8")) as unknown), ...generated.map((l) => { try { return JSON.parse(l) as unknown; } catch { return l; } })];
    const reporter = ndjsonReporter();
    const verdicts = new Set<string>();
    values.forEach((value, i) => {
      const result = positioned(run(value), { line: i + 1 });
      verdicts.add(result.verdict);
      expect(reporter.result(result)).toBe(JSON.stringify(result) + "\n");
    });
    expect([...verdicts].sort()).toEqual(["eligible", "error", "incomplete", "ineligible"]);
  });

  it("falls back where the cached words or key order do not hold", () => {
    const stringify = fastStringifier();
    const result = run(JSON.parse(readFileSync(fixture("eligible.json"), "utf8"))) as unknown as Record<string, any>;
    expect(stringify(result)).toBe(JSON.stringify(result));
    const criteria = result.criteria as Record<string, unknown>[];
    const changed = [
      { ...result, criteria: criteria.map((c, i) => (i === 0 ? { ...c, text: "other words \"quoted\"" } : c)) },
      { ...result, criteria: criteria.map((c, i) => (i === 1 ? { category: c.category, id: c.id, text: c.text, outcome: c.outcome } : c)) },
      { ...result, criteria: criteria.map((c, i) => (i === 2 ? { id: c.id, category: c.category } : i === 3 ? { ...c, extra: undefined, fn: () => 1, d: new Date(0) } : c)) },
      { ...result, criteria: [undefined, null, 3, [1], ...criteria] },
      { ...result, rules: { ...result.rules, version: "changed" } },
      { ...result, rules: { toJSON: () => "meta" } },
      { toJSON: () => ({ a: 1 }) },
      { ...result, criteria: criteria.map((c, i) => (i === 4 ? { ...c, category: undefined } : c)) },
      { ...result, failed: Object.assign([], { toJSON: () => "own" }), unknown: Object.assign(["INC-01"], { toJSON: () => ["x"] }) },
      // eslint-disable-next-line no-sparse-arrays
      { ...result, failed: [, "INC-01"], unknown: ["a\"b", 3, null], warnings: ["\u2028"] },
    ];
    for (const r of changed) expect(stringify(r)).toBe(JSON.stringify(r));
    // And back again: the cache was not spoiled by the odd ones.
    expect(stringify(result)).toBe(JSON.stringify(result));
  });

  it("equals JSON.stringify on arbitrary criteria-like values", () => {
    const stringify = fastStringifier();
    const word = fc.constantFrom("INC-01", "EXC-02", "a\"b", "\u2028", "");
    const criterion = fc.oneof(
      fc.record({ id: word, category: word, text: word, outcome: fc.jsonValue() }, { requiredKeys: ["id"] }),
      fc.dictionary(fc.constantFrom("id", "category", "text", "reason", "1"), fc.jsonValue()),
    );
    fc.assert(
      fc.property(fc.record({ id: fc.string(), criteria: fc.array(criterion), rules: fc.jsonValue(), other: fc.anything() }, { requiredKeys: [] }), (r) => {
        expect(stringify(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 500 },
    );
  });

  it("serves repeated rows whole, never for a row that differs in outcome, reason, extra keys or head words", () => {
    const stringify = fastStringifier();
    const row = (outcome: string, reason: string, extra: Record<string, unknown> = {}) => ({ id: "INC-01", category: "inclusion", text: "Age ≥ 18", outcome, reason, ...extra });
    const same = (criteria: unknown[]) => expect(stringify({ criteria })).toBe(JSON.stringify({ criteria }));
    // A few reasons over and over (cached), each time interleaved with ones that differ slightly.
    for (let i = 0; i < 2000; i++) {
      same([row("pass", "age 58 is within 18–80")]);
      same([row(i % 2 ? "pass" : "fail", "age 58 is within 18–80")]);
      same([row("pass", `age ${i % 100} is within 18–80`)]);
      same([row("unknown", "needs demographics.age", { needs: ["demographics.age"] })]);
      same([row("pass", "age 58 is within 18–80", { recheckAt: `2026-11-24T09:00:00.${String(i % 1000).padStart(3, "0")}+08:00` })]);
      same([{ ...row("pass", "age 58 is within 18–80"), text: i % 3 ? "Age ≥ 18" : 'other "words"' }]);
      same([{ id: "INC-01", category: "inclusion", text: "Age ≥ 18", reason: "age 58 is within 18–80", outcome: "pass" }]);
      same([row("pass", "age 58 is within 18–80", { extra: i })]);
    }
  });

  it("stays exact for a criterion whose reasons never repeat (it stops caching them)", () => {
    const stringify = fastStringifier();
    for (let i = 0; i < 3000; i++) {
      const criteria = [{ id: "INC-06", category: "inclusion", text: "onset", outcome: i % 7 ? "pass" : "fail", reason: `onset ${i} min before screening "${i % 5}"` }];
      expect(stringify({ criteria })).toBe(JSON.stringify({ criteria }));
    }
  });
});
