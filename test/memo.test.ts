/**
 * Criteria decided from shared facts alone are remembered (src/engine/memo.ts): a remembered row
 * must equal the one evaluation makes, be a fresh object each time, and be used only for criteria
 * that read nothing but plain facts (no time window, no lab, no look-back).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { memosFor } from "../src/engine/memo.js";
import { loadRules, screen } from "../src/index.js";
import { factAt, isShared } from "../src/record/facts.js";
import { normalise } from "../src/record/normalise.js";
import { walk } from "../src/rules/conditions/index.js";
import { readerFor } from "../src/screen.js";
import { eligibleRecord, withPath } from "./helpers/records.js";

const OPTIONS = { timeZone: "UTC" };

function generated(n: number, seed: number): unknown[] {
  const out = spawnSync(process.execPath, ["scripts/gen-records.mjs", String(n), "--seed", String(seed)], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).map((l) => { try { return JSON.parse(l) as unknown; } catch { return l; } });
}

describe("remembered criteria", () => {
  it("are exactly those built of compare and all/any/not, keyed by the paths they read", () => {
    const rules = loadRules();
    const memos = memosFor(rules);
    expect(memos).toHaveLength(rules.criteria.length);
    rules.criteria.forEach((c, i) => {
      const kinds = [...walk(c.condition), ...(c.appliesWhen ? walk(c.appliesWhen) : [])].map((n) => n.kind);
      const plain = kinds.every((k) => ["all", "any", "not", "compare"].includes(k));
      expect(memos[i] !== null).toBe(plain);
      if (plain) {
        const fields = [...walk(c.condition), ...(c.appliesWhen ? walk(c.appliesWhen) : [])].flatMap((n) => (n.kind === "compare" ? [n.field] : []));
        expect(new Set(memos[i]!.paths)).toEqual(new Set(fields));
      }
    });
    expect(memos.some((m) => m !== null)).toBe(true);
    expect(memos.some((m) => m === null)).toBe(true);
    expect(memosFor(rules)).toBe(memos); // once per rules
  });

  it("give the same results as a cold evaluation, on 400 generated records screened twice", () => {
    const warm = loadRules();
    const values = generated(400, 11);
    for (const pass of [1, 2]) {
      for (const v of values) {
        const cold = loadRules(); // its own, empty memos
        expect(JSON.stringify(screen(v, warm, OPTIONS)), `pass ${pass}`).toBe(JSON.stringify(screen(v, cold, OPTIONS)));
      }
    }
    expect(memosFor(warm).reduce((n, m) => n + (m?.size ?? 0), 0)).toBeGreaterThan(0);
  });

  it("hand out a fresh row each time: changing one result does not change the next", () => {
    const rules = loadRules();
    const first = screen(eligibleRecord(), rules, OPTIONS);
    const second = screen(eligibleRecord(), rules, OPTIONS);
    if (first.verdict === "error" || second.verdict === "error") throw new Error("expected a screened result");
    const before = JSON.stringify(second);
    (first.criteria[8] as { reason: string }).reason = "changed";
    const third = screen(eligibleRecord(), rules, OPTIONS);
    expect(JSON.stringify(third)).toBe(before);
    second.criteria.forEach((c, i) => expect(c).not.toBe(third.verdict === "error" ? undefined : third.criteria[i]));
  });

  it("read an unknown and a decided value alike from their own facts (no stale row)", () => {
    const rules = loadRules();
    const record = eligibleRecord();
    const outcomes = (r: unknown) => {
      const res = screen(r, rules, OPTIONS);
      return res.verdict === "error" ? [] : res.criteria.map((c) => `${c.id} ${c.outcome} ${c.reason}`);
    };
    const base = outcomes(record);
    const epileptic = outcomes(withPath(record, "history.epilepsy", true));
    const unknownEpilepsy = outcomes(withPath(record, "history.epilepsy", null));
    expect(epileptic).not.toEqual(base);
    expect(unknownEpilepsy).not.toEqual(base);
    expect(outcomes(record)).toEqual(base);
    expect(outcomes(withPath(record, "history.epilepsy", true))).toEqual(epileptic);
  });
});

describe("shared facts", () => {
  const rules = loadRules();
  const read = (r: unknown) => normalise(r, rules, readerFor(rules), OPTIONS).facts;

  it("are one object per value for yes/no, none, enum and small-integer fields; other facts are a record's own", () => {
    const a = read(eligibleRecord());
    const b = read(eligibleRecord());
    for (const path of ["stroke.thrombolysis", "demographics.sex", "stroke.nihss", "stroke.aspects"]) {
      expect(factAt(a, path)).toBe(factAt(b, path));
      expect(isShared(factAt(a, path)!)).toBe(true);
      expect(Object.isFrozen(factAt(a, path))).toBe(true);
    }
    for (const path of ["stroke.onset", "labs.alt", "demographics.birthDate", "demographics.age"]) {
      expect(factAt(a, path)).not.toBe(factAt(b, path));
      expect(isShared(factAt(a, path)!)).toBe(false);
    }
  });

  it("keep -0 apart from 0", () => {
    const zero = factAt(read(withPath(eligibleRecord(), "stroke.preStrokeMrs", 0)), "stroke.preStrokeMrs")!;
    const negative = factAt(read(withPath(eligibleRecord(), "stroke.preStrokeMrs", -0)), "stroke.preStrokeMrs")!;
    expect(negative).not.toBe(zero);
    expect(Object.is((negative as { value: number }).value, -0)).toBe(true);
    expect(isShared(negative)).toBe(false);
  });
});
