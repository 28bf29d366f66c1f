/**
 * Clinical cross-check: the engine against an independent oracle (test/oracle.ts, plain if/else
 * written from the contract, sharing no code with src/). For every generated record both must
 * agree on the verdict, the failed and unknown lists and each criterion's outcome; for an invalid
 * record both must say "error".
 *
 * 1 000 generated records per property by default, so `npm test` stays quick; FUZZ_RUNS (or
 * ORACLE_RUNS for this file alone) raises it, and `npm run fuzz` runs the same properties 100 000 times.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRules, screen, type ScreeningResult } from "../src/index.js";
import { clone, hostileJsonArb, hostilePathArb, recordArb, setPath, type Rec } from "./helpers/arbitraries.js";
import { oracle, oracleWhy } from "./oracle.js";

const rules = loadRules();
const RUNS = Number(process.env.ORACLE_RUNS ?? process.env.FUZZ_RUNS ?? 1_000);
const ASOF = "2026-11-24T09:00:00+08:00";

function run(record: unknown, asOf?: string): ScreeningResult {
  return screen(record, rules, { timeZone: "UTC", ...(asOf !== undefined ? { asOf } : {}) });
}

/** Empty when engine and oracle agree; else a description of the disagreement. */
function disagreement(record: unknown, asOf?: string): string {
  const engine = run(record, asOf);
  const expected = oracle(record, asOf);
  const show = () => `\nrecord: ${JSON.stringify(record)}\nasOf: ${asOf}\n`;
  if (expected === "error") {
    return engine.verdict === "error" ? "" : `oracle: error (${oracleWhy(record, asOf)}), engine: ${engine.verdict} ${JSON.stringify(engine.failed)} ${JSON.stringify(engine.unknown)}${show()}`;
  }
  if (engine.verdict === "error") return `oracle: ${expected.verdict}, engine: error ${JSON.stringify(engine.errors)}${show()}`;
  const diffs: string[] = [];
  if (engine.verdict !== expected.verdict) diffs.push(`verdict: engine ${engine.verdict}, oracle ${expected.verdict}`);
  if (JSON.stringify(engine.failed) !== JSON.stringify(expected.failed)) diffs.push(`failed: engine ${engine.failed.join(",")}, oracle ${expected.failed.join(",")}`);
  if (JSON.stringify(engine.unknown) !== JSON.stringify(expected.unknown)) diffs.push(`unknown: engine ${engine.unknown.join(",")}, oracle ${expected.unknown.join(",")}`);
  for (const c of engine.criteria) {
    if (c.outcome !== expected.outcomes[c.id]) diffs.push(`${c.id}: engine ${c.outcome} (${c.reason}), oracle ${expected.outcomes[c.id]}`);
  }
  return diffs.length ? diffs.join("\n") + show() : "";
}

function expectAgreement(record: unknown, asOf?: string): void {
  const d = disagreement(record, asOf);
  expect(d, d).toBe("");
}

describe("engine = oracle", () => {
  it(`agrees on ${RUNS} generated records (boundary-heavy, mostly valid)`, () => {
    const seen: Record<string, number> = { eligible: 0, ineligible: 0, incomplete: 0, error: 0 };
    const outcomeSeen: Record<string, Set<string>> = {};
    fc.assert(
      fc.property(recordArb, ({ record, asOf }) => {
        const d = disagreement(record, asOf);
        if (d) throw new Error(d);
        const expected = oracle(record, asOf);
        seen[expected === "error" ? "error" : expected.verdict]!++;
        if (expected !== "error") for (const [id, o] of Object.entries(expected.outcomes)) (outcomeSeen[id] ??= new Set()).add(o);
      }),
      { numRuns: RUNS },
    );
    // The generator must reach every verdict, and every criterion must be seen passing, failing and unknown.
    for (const [verdict, count] of Object.entries(seen)) expect(count, `${verdict}: ${JSON.stringify(seen)}`).toBeGreaterThan(RUNS / 50);
    expect(seen.error, JSON.stringify(seen)).toBeLessThan(RUNS / 3);
    for (const [id, outcomes] of Object.entries(outcomeSeen)) {
      for (const o of ["pass", "fail", "unknown"]) expect(outcomes.has(o), `${id} never ${o}`).toBe(true);
    }
  }, 120_000);

  it(`agrees on ${RUNS} records with any JSON value at any path`, () => {
    fc.assert(
      fc.property(recordArb, hostilePathArb, hostileJsonArb, ({ record, asOf }, path, value) => {
        const mutated = setPath(record, path, clone(value === undefined ? null : value)); // as a JSON export would hold it
        const d = disagreement(mutated, asOf);
        if (d) throw new Error(d);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("agrees on records with no screenedAt and no --as-of (error)", () => {
    fc.assert(
      fc.property(recordArb, ({ record }) => {
        const r: Rec = clone(record);
        delete r.screenedAt;
        expect(oracle(r)).toBe("error");
        expect(run(r).verdict).toBe("error");
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * Disagreements found by the cross-check, each pinned as a regression test. The engine was wrong in
 * each case (the fix is named); the oracle's reading is the contract's.
 */
describe("regressions found by the cross-check", () => {
  const base = (): Rec => ({
    id: "R",
    screenedAt: ASOF,
    demographics: { birthDate: "1968-06-15", sex: "male" },
    stroke: { onset: "2026-11-20T14:30:00+08:00" },
  });

  it("a UTC offset with more than 59 minutes is not ISO 8601: invalid (src/time/instant.ts)", () => {
    for (const bad of ["2026-11-24T09:00:00+05:75", "2026-11-24T09:00:00-00:60"]) {
      const r = { ...base(), screenedAt: bad };
      expect(oracle(r)).toBe("error");
      const result = run(r);
      expect(result.verdict).toBe("error");
      if (result.verdict === "error") expect(result.errors.map((e) => e.path)).toContain("screenedAt");
      const onset = setPath(base(), "stroke.onset", bad.replace("2026-11-24T09", "2026-11-20T09"));
      expect(run(onset).verdict).toBe("error");
    }
  });

  it("onset before birth does not depend on the offset the onset is written in (src/record/normalise.ts)", () => {
    // The same instant, 2000-01-01T23:30Z, written in two offsets; born 2000-01-02 in the screening offset (+08:00),
    // whose day starts at 2000-01-01T16:00Z: the onset is after the start of the birth date either way.
    for (const onset of ["2000-01-01T23:30:00Z", "2000-01-01T18:30:00-05:00", "2000-01-02T07:30:00+08:00"]) {
      const r = setPath(setPath(base(), "demographics.birthDate", "2000-01-02"), "stroke.onset", onset);
      expectAgreement(r);
      expect(run(r).verdict).not.toBe("error");
    }
    // 2000-01-01T15:59:59Z is 23:59:59 on 1 January in +08:00: before birth, whatever offset it is written in.
    for (const onset of ["2000-01-01T15:59:59Z", "2000-01-01T10:59:59-05:00", "2000-01-02T05:59:59+14:00"]) {
      const r = setPath(setPath(base(), "demographics.birthDate", "2000-01-02"), "stroke.onset", onset);
      expectAgreement(r);
      expect(run(r).verdict).toBe("error");
    }
  });

  it("EXC-13's 3-month limit does not depend on the machine's time zone (src/time/calendar.ts)", () => {
    // Samoa skipped 30 December 2011: a local-time Date for it lands on the 31st, which moved the
    // limit for screening on 2012-03-30 from 2011-12-30 to 2011-12-31 on a machine in Pacific/Apia.
    const saved = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Apia";
      const r = { screenedAt: "2012-03-30T12:00:00+13:00", trials: { lastOtherTrialParticipation: "2011-12-30" } };
      expectAgreement(r);
      const result = run(r);
      expect(result.verdict).toBe("ineligible");
      if (result.verdict !== "error") expect(result.failed).toEqual(["EXC-13"]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("years 0000–0099 are read as written, not as 19xx (src/time)", () => {
    // 0000 is a leap year in the proleptic Gregorian calendar; 1900 is not.
    const r: Rec = {
      screenedAt: "0000-03-01T12:00:00Z",
      stroke: { onset: "0000-02-28T12:00:00Z" }, // 2 days before screening in year 0 (1 day in 1900)
      demographics: { birthDate: "0000-01-01" },
      trials: { lastOtherTrialParticipation: "0000-02-29" },
    };
    expectAgreement(r);
    const result = run(r);
    expect(result.verdict).not.toBe("error");
    if (result.verdict !== "error") {
      expect(result.screenedAt).toBe("0000-03-01T12:00:00.000Z");
      expect(result.criteria.find((c) => c.id === "INC-06")?.outcome).toBe("pass");
    }
    for (const year of ["0001", "0050", "0099"]) {
      expectAgreement({ screenedAt: `${year}-06-15T00:00:00Z`, stroke: { onset: `${year}-06-13T00:00:00Z` }, demographics: { birthDate: `${year}-01-01` } });
    }
  });
});
