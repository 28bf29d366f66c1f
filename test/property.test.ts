/**
 * Property-based tests (fast-check) of the library and the CLI.
 *
 * Library properties run 1 000 times each by default (FUZZ_RUNS, or PROPERTY_RUNS for this file
 * alone, raises it; `npm run fuzz` runs them 100 000 times). The subprocess properties
 * (CLI exit codes, batch = singles) start Node, so they run fewer cases: 24 single-record
 * processes and batches of a few hundred records; see docs/reliability.md.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exitCodeFor, loadRules, screen, type ScreenedResult, type ScreeningResult } from "../src/index.js";
import { readerFor } from "../src/screen.js";
import { oracle } from "./oracle.js";
import {
  addDays,
  allPaths,
  BOOLEAN_FIELDS,
  clone,
  DAY,
  decAdd,
  decMul,
  deepFreeze,
  deletePath,
  eligibleArb,
  fmtInstant,
  fmtYMD,
  getPath,
  HOUR,
  hostileJsonArb,
  hostilePathArb,
  isDateOnly,
  OFFSETS,
  parseInstant,
  recordArb,
  resultProblems,
  setPath,
  type Rec,
  type Screening,
} from "./helpers/arbitraries.js";

const rules = loadRules();
const RUNS = Number(process.env.PROPERTY_RUNS ?? process.env.FUZZ_RUNS ?? 1_000);
const BIN = fileURLToPath(new URL("../bin/screen.js", import.meta.url));
const ASOF = "2026-11-24T09:00:00+08:00";

function run(record: unknown, asOf?: string): ScreeningResult {
  return screen(record, rules, { timeZone: "UTC", ...(asOf !== undefined ? { asOf } : {}) });
}

function screened(record: unknown, asOf?: string): ScreenedResult {
  const r = run(record, asOf);
  if (r.verdict === "error") throw new Error(`expected a screened result: ${JSON.stringify(r.errors)}\n${JSON.stringify(record)}`);
  return r;
}

const outcomeOf = (r: ScreenedResult, id: string) => r.criteria.find((c) => c.id === id)!.outcome;

/** An assertion whose message is built only when it fails (the properties run thousands of times). */
function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

// ---------------------------------------------------------------------------------------------

describe("any JSON value at any path → a well-formed result, never an exception", () => {
  it(`eligible record, hostile value at any path (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(eligibleArb, hostilePathArb, hostileJsonArb, ({ record }, path, value) => {
        const mutated = deepFreeze(setPath(record, path, value)); // the screener must not write into its input
        let result: ScreeningResult;
        try {
          result = run(mutated);
        } catch (err) {
          throw new Error(`screen() threw ${(err as Error)?.stack}\npath ${path}, value ${JSON.stringify(value)}`, { cause: err });
        }
        const problems = resultProblems(result);
        if (problems.length) throw new Error(`${problems.join("; ")}\n${JSON.stringify(result).slice(0, 2000)}`);
        // The untouched id is echoed, error results included.
        if (typeof record.id === "string" && path !== "" && path !== "id") check(result.id === record.id, () => `id not echoed: ${JSON.stringify(result).slice(0, 300)}`);
      }),
      { numRuns: RUNS },
    );
    expect(({} as Rec).polluted).toBeUndefined();
  });

  it(`any JavaScript value (Maps, BigInt, Dates, sparse arrays, null prototypes...) through the library API (${RUNS} + ${Math.ceil(RUNS / 4)} runs)`, () => {
    const anything = fc.anything({
      withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
      withObjectString: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true,
    });
    fc.assert(
      fc.property(eligibleArb, hostilePathArb, anything, ({ record }, path, value) => {
        const result = run(setPath(record, path, value));
        const problems = resultProblems(result);
        check(problems.length === 0, () => problems.join("; "));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(anything, (value) => {
        expect(resultProblems(run(value))).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it("through the CLI, one process per record: exit code in {0,1,2,3} matching the verdict, no stack trace (24 runs)", async () => {
    const cases = fc.sample(fc.tuple(eligibleArb, hostilePathArb, hostileJsonArb), { numRuns: 24, seed: 6 });
    await Promise.all(
      cases.map(async ([{ record }, path, value]) => {
        const text = JSON.stringify(setPath(record, path, value)) ?? "null";
        const { code, stdout, stderr } = await cli(["-", "--format", "json", "--as-of", ASOF, "--time-zone", "UTC"], text);
        expect(stderr).not.toMatch(/\n\s+at |internal error/);
        expect([0, 1, 2, 3]).toContain(code);
        const result = JSON.parse(stdout) as ScreeningResult;
        expect(resultProblems(result), stdout.slice(0, 500)).toEqual([]);
        expect(code).toBe(exitCodeFor([result.verdict]));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Missing data never yields eligible.

/** decimal a ≤ decimal b, exactly. */
function decLe(a: string, b: string): boolean {
  const diff = decAdd(a, b.startsWith("-") ? b.slice(1) : `-${b}`);
  return diff.startsWith("-") || diff === "0";
}

/** The value of a lab in the site range's unit (umol/L creatinine, mmol/L urea), as an exact decimal or fraction test. */
function withinSiteLimit(lab: Rec, name: string, limitInSiteUnit: string): boolean {
  const v = String(lab.value);
  if (name === "creatinine" && lab.unit === "mg/dL") return decLe(decMul(v, "88.4"), limitInSiteUnit);
  if (name === "bun" && lab.unit === "mg/dL") return decLe(v, decMul(limitInSiteUnit, "2.8")); // v / 2.8 ≤ L
  return decLe(v, limitInSiteUnit);
}

/** 2.5 × / 1.25 × the site ULN, in the site unit. */
function siteLimit(name: string, sex: "male" | "female", age: number): string {
  const old = age >= 60;
  const table: Record<string, Record<string, string>> = {
    alt: { male: "125", female: "100" },
    ast: { male: "100", female: "87.5" },
    creatinine: { male: old ? "138.75" : "121.25", female: old ? "101.25" : "91.25" },
    bun: { male: old ? "11.875" : "10", female: old ? "11" : "9.375" },
  };
  return table[name]![sex]!;
}

function ageOf(r: Rec, s: Screening): number {
  if (typeof r.demographics.age === "number") return r.demographics.age;
  const [y, m, d] = (r.demographics.birthDate as string).split("-").map(Number) as [number, number, number];
  return s.day.y - y - (s.day.m < m || (s.day.m === m && s.day.d < d) ? 1 : 0);
}

/** When is the heparin part of EXC-02 known to be false (so aPTT cannot matter)? */
function heparinKnownOutside48h(r: Rec, s: Screening): boolean {
  const h = r.medications.lastHeparinDose;
  if (h === null) return true;
  if (typeof h !== "string") return false;
  let end: number;
  if (isDateOnly(h)) {
    const [y, m, d] = h.split("-").map(Number) as [number, number, number];
    const start = Date.UTC(y, m - 1, d) - s.offsetMin * 60_000;
    end = fmtYMD(s.day) === h ? s.ms : start + DAY - 1;
  } else end = parseInstant(h).ms;
  return s.ms - end > 48 * HOUR;
}

/**
 * The verdict an eligible record must get once `path` is deleted. Deleting a field makes a
 * criterion unknown (incomplete) unless the contract says the field cannot matter here; the
 * exceptions are listed one by one.
 */
function verdictWithout(r: Rec, path: string, s: Screening): ScreeningResult["verdict"] {
  const sex = r.demographics.sex as "male" | "female";
  const man = sex === "male";
  const rep = r.reproductive ?? {};
  const lab = (name: string) => r.labs[name] as Rec | undefined;
  const ulnLab = /^labs\.(alt|ast|creatinine|bun)\.uln$/.exec(path);
  if (ulnLab) {
    // Not missing data: without its own uln a lab is judged against the site range for this sex and age.
    const name = ulnLab[1]!;
    return withinSiteLimit(lab(name)!, name, siteLimit(name, sex, ageOf(r, s))) ? "eligible" : "ineligible";
  }
  if (/^labs\.(platelets|aptt|inr)\.uln$/.test(path)) return "eligible"; // not read for these labs
  if (/^labs\.\w+\.(value|unit)$/.test(path)) return "error"; // a lab needs its value (and its unit, INR aside)
  switch (path) {
    case "id":
      return "eligible"; // echoed only
    case "screenedAt":
      return "error"; // no screening time at all (no --as-of given)
    case "stroke.onsetIsLastKnownWell":
      return "eligible"; // changes the wording of INC-06's reason only
    case "demographics.birthDate":
      return "age" in r.demographics ? "eligible" : "incomplete";
    case "demographics.age":
      return "birthDate" in r.demographics ? "eligible" : "incomplete";
    case "demographics.sex": {
      // EXC-15 with sex unknown passes when the bracket is false; labs without a uln must pass
      // under the strictest (female) site range for this age.
      const bracketFalse = rep.pregnant === false && rep.breastfeeding === false && (rep.childbearingPotential === false || rep.usesContraception === true);
      const labsHold = ["alt", "ast", "creatinine", "bun"].every((n) => lab(n)!.uln !== undefined || withinSiteLimit(lab(n)!, n, siteLimit(n, "female", ageOf(r, s))));
      return bracketFalse && labsHold ? "eligible" : "incomplete";
    }
    case "labs.aptt":
      return heparinKnownOutside48h(r, s) ? "eligible" : "incomplete"; // no heparin in 48 h: aPTT not needed
    case "medications.lastHeparinDose":
      return lab("aptt") !== undefined && lab("aptt")!.value < 35 ? "eligible" : "incomplete"; // aPTT < 35 s settles it
    case "labs.inr":
      return r.medications.warfarin === false ? "eligible" : "incomplete"; // no warfarin: INR not needed
    case "medications.warfarin":
      return lab("inr") !== undefined && lab("inr")!.value <= 1.7 ? "eligible" : "incomplete"; // INR ≤ 1.7 settles it
    case "reproductive":
    case "reproductive.pregnant":
    case "reproductive.breastfeeding":
      return man ? "eligible" : "incomplete"; // EXC-15 does not apply to men
    case "reproductive.childbearingPotential":
      return man || rep.usesContraception === true ? "eligible" : "incomplete";
    case "reproductive.usesContraception":
      return man || rep.childbearingPotential === false ? "eligible" : "incomplete";
    default:
      return "incomplete";
  }
}

describe("the quick structural check (src/record/structure.ts) and the zod schema agree", () => {
  const reader = readerFor(rules);
  const zodValid = (record: unknown) => reader.schema().safeParse(record).success;
  const anything = fc.anything({
    withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
    withObjectString: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true,
  });

  it(`on JSON records, generated and with a hostile value at any path, exactly (${RUNS} runs)`, () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(recordArb, fc.option(fc.tuple(hostilePathArb, hostileJsonArb)), ({ record }, hostile) => {
        const mutated = hostile ? setPath(record, hostile[0], hostile[1]) : record;
        const json = JSON.parse(JSON.stringify(mutated ?? null)) as unknown; // what a reader hands over
        if (json === null || typeof json !== "object" || Array.isArray(json)) return;
        const quick = reader.valid(json);
        seen[quick ? "valid" : "invalid"]++;
        check(quick === zodValid(json), () => `quick check ${quick}, zod ${!quick}: ${JSON.stringify(json).slice(0, 2000)}`);
      }),
      { numRuns: RUNS },
    );
    // Both answers occur often, or the property would prove little.
    expect(seen.valid).toBeGreaterThan(RUNS / 10);
    expect(seen.invalid).toBeGreaterThan(RUNS / 10);
  });

  it(`on any JavaScript value at any path, says valid only where zod does (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(eligibleArb, hostilePathArb, anything, ({ record }, path, value) => {
        const mutated = setPath(record, path, value);
        if (reader.valid(mutated)) check(zodValid(mutated), () => `quick check valid, zod not: ${path} = ${String(value)}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("missing data never yields eligible", () => {
  it(`deleting any one field or group of an eligible record (${RUNS} runs)`, () => {
    const seen = { eligible: 0, incomplete: 0, other: 0 };
    fc.assert(
      fc.property(
        eligibleArb.chain((c) => fc.constantFrom(...allPaths(c.record)).map((path) => ({ ...c, path }))),
        ({ record, screening, path }) => {
          // The generator's records are eligible (checked with the engine below, and here with the cheap oracle).
          check((oracle(record) as { verdict?: string }).verdict === "eligible", () => `generator: not eligible ${JSON.stringify(record)}`);
          const after = run(deletePath(record, path));
          const expected = verdictWithout(record, path, screening);
          const why = () => `deleted ${path}: expected ${expected}, got ${after.verdict} ${after.verdict === "error" ? JSON.stringify(after.errors) : JSON.stringify(after.criteria.filter((c) => c.outcome === "unknown" || c.outcome === "fail"))}\n${JSON.stringify(record)}`;
          check(after.verdict === expected, why);
          if (after.verdict !== "error" && record.demographics.sex === "male" && !path.startsWith("demographics")) {
            check(outcomeOf(after, "EXC-15") === "not_applicable", why); // not_applicable stays not_applicable
          }
          if (expected === "eligible") seen.eligible++;
          else if (expected === "incomplete") seen.incomplete++;
          else seen.other++;
        },
      ),
      { numRuns: RUNS },
    );
    // Both branches of the table are exercised.
    expect(seen.eligible).toBeGreaterThan(RUNS / 20);
    expect(seen.incomplete).toBeGreaterThan(RUNS / 2);
  });

  it("the eligible-record generator's records are eligible (1000 runs)", () => {
    fc.assert(
      fc.property(eligibleArb, ({ record }) => {
        const r = run(record);
        check(r.verdict === "eligible", () => `${r.verdict}: ${JSON.stringify(r)}`);
      }),
      { numRuns: 1000 },
    );
  });

  it("a record with every field missing is incomplete with all 26 criteria unknown (EXC-15 too: sex unknown)", () => {
    const r = screened({ screenedAt: ASOF });
    expect(r.verdict).toBe("incomplete");
    expect(r.failed).toEqual([]);
    expect(r.unknown).toHaveLength(27);
  });
});

// ---------------------------------------------------------------------------------------------
// Monotonicity: moving a value further past its limit never helps.

const RANK: Record<string, number> = { fail: 0, unknown: 1, pass: 2, not_applicable: 2 };
const VERDICT_RANK: Record<string, number> = { ineligible: 0, incomplete: 1, eligible: 2 };

type Move = (r: Rec, s: Screening, amount: number) => Rec | null;

const num = (r: Rec, path: string): number | undefined => {
  const v = getPath(r, path);
  return typeof v === "number" ? v : undefined;
};
const DELTAS = [0.001, 0.01, 0.1, 1, 5, 10, 100, 1000];
const labUp = (name: string): Move => (r, _s, a) => {
  const v = num(r, `labs.${name}.value`);
  return v === undefined ? null : (setPath(r, `labs.${name}.value`, Number(decAdd(String(v), String(DELTAS[a % DELTAS.length])))) as Rec);
};
const labDown = (name: string, part = "value"): Move => (r, _s, a) => {
  const v = num(r, `labs.${name}.${part}`);
  if (v === undefined) return null;
  const next = Number(decAdd(String(v), `-${DELTAS[a % DELTAS.length]}`));
  return next < 0 ? null : (setPath(r, `labs.${name}.${part}`, next) as Rec);
};
const intDown = (path: string): Move => (r, _s, a) => {
  const v = num(r, path);
  return v === undefined || v === 0 ? null : (setPath(r, path, Math.max(0, v - 1 - (a % v))) as Rec);
};
const intUp = (path: string, max: number): Move => (r, _s, a) => {
  const v = num(r, path);
  return v === undefined || v === max ? null : (setPath(r, path, Math.min(max, v + 1 + (a % (max - v)))) as Rec);
};
/** An instant field moved by `amount` minutes, in the offset it was written in. */
const shiftInstant = (r: Rec, path: string, minutes: number): Rec | null => {
  const t = getPath(r, path);
  if (typeof t !== "string" || isDateOnly(t)) return null;
  const { ms, offsetMin } = parseInstant(t);
  if (Number.isNaN(ms) || Number.isNaN(minutes)) return null; // not a timestamp (an invalid record)
  return setPath(r, path, fmtInstant(ms + minutes * 60_000, offsetMin, "ms")) as Rec;
};

const MOVES: Record<string, Move> = {
  "NIHSS lower": intDown("stroke.nihss"),
  "ASPECTS lower": intDown("stroke.aspects"),
  "pre-stroke mRS higher": intUp("stroke.preStrokeMrs", 5),
  "age further outside 18–70": (r, _s, a) => {
    const v = num(r, "demographics.age");
    if (v === undefined || "birthDate" in r.demographics) return null;
    if (v < 18) return v === 0 ? null : (setPath(r, "demographics.age", v - 1 - (a % v)) as Rec);
    if (v > 70) return v === 130 ? null : (setPath(r, "demographics.age", Math.min(130, v + 1 + (a % 60))) as Rec);
    return null;
  },
  "birth date further outside 18–70": (r, s, a) => {
    const b = getPath(r, "demographics.birthDate");
    if (!isDateOnly(b) || "age" in r.demographics) return null;
    const [y, m, d] = b.split("-").map(Number) as [number, number, number];
    const age = s.day.y - y - (s.day.m < m || (s.day.m === m && s.day.d < d) ? 1 : 0);
    const days = 1 + (a % 3000);
    if (age > 70) return setPath(r, "demographics.birthDate", fmtYMD(addDays({ y, m, d }, -days))) as Rec; // older
    if (age < 18) return setPath(r, "demographics.birthDate", fmtYMD(addDays({ y, m, d }, days))) as Rec; // younger (may pass screening: invalid)
    return null;
  },
  "ALT higher": labUp("alt"),
  "AST higher": labUp("ast"),
  "creatinine higher": labUp("creatinine"),
  "urea/BUN higher": labUp("bun"),
  "ALT uln lower": labDown("alt", "uln"),
  "creatinine uln lower": labDown("creatinine", "uln"),
  "urea/BUN uln lower": labDown("bun", "uln"),
  "platelets fewer": labDown("platelets"),
  "aPTT higher": labUp("aptt"),
  "INR higher": labUp("inr"),
  "onset further outside 24 h – 14 d": (r, s, a) => {
    const t = getPath(r, "stroke.onset");
    if (typeof t !== "string" || isDateOnly(t)) return null;
    const elapsed = s.ms - parseInstant(t).ms;
    if (Number.isNaN(elapsed)) return null;
    const minutes = 1 + (a % (30 * 24 * 60));
    if (elapsed < 24 * HOUR) return shiftInstant(r, "stroke.onset", Math.min(minutes, Math.floor(elapsed / 60_000))); // later, not after screening
    if (elapsed > 14 * DAY) return shiftInstant(r, "stroke.onset", -minutes); // earlier
    return null;
  },
  "heparin more recent": (r, s, a) => {
    const t = getPath(r, "medications.lastHeparinDose");
    if (typeof t !== "string" || isDateOnly(t)) return null;
    const elapsedMin = Math.floor((s.ms - parseInstant(t).ms) / 60_000);
    return !(elapsedMin >= 1) ? null : shiftInstant(r, "medications.lastHeparinDose", 1 + (a % elapsedMin));
  },
  "other trial later": (r, _s, a) => {
    const t = getPath(r, "trials.lastOtherTrialParticipation");
    if (!isDateOnly(t)) return null;
    const [y, m, d] = t.split("-").map(Number) as [number, number, number];
    return setPath(r, "trials.lastOtherTrialParticipation", fmtYMD(addDays({ y, m, d }, 1 + (a % 200)))) as Rec;
  },
  "a yes/no finding turned against the patient": (r, _s, a) => {
    const [path, good] = BOOLEAN_FIELDS[a % BOOLEAN_FIELDS.length]!;
    return getPath(r, path) === good ? (setPath(r, path, !good) as Rec) : null;
  },
  "contrast allergy severe": (r) => (typeof getPath(r, "allergies.contrast") === "string" ? (setPath(r, "allergies.contrast", "severe") as Rec) : null),
  "HBsAg worse": (r) => {
    const v = getPath(r, "infections.hbsag");
    return v === "negative" ? (setPath(r, "infections.hbsag", "indeterminate") as Rec) : v === "indeterminate" ? (setPath(r, "infections.hbsag", "positive") as Rec) : null;
  },
};

describe("monotonicity", () => {
  it(`moving a value further past its limit never turns fail into pass, nor improves any criterion or the verdict (${RUNS} runs)`, () => {
    let applied = 0;
    fc.assert(
      fc.property(recordArb, fc.constantFrom(...Object.keys(MOVES)), fc.nat(), ({ record, asOf, screening }, name, amount) => {
        const moved = MOVES[name]!(record, screening, amount);
        if (checkMove(record, asOf, moved, name)) applied++;
      }),
      { numRuns: RUNS },
    );
    expect(applied).toBeGreaterThan(RUNS / 3);
  });
});

/** True when the move applied to a valid record and was checked. */
function checkMove(record: Rec, asOf: string, moved: Rec | null, name: string): boolean {
  if (moved === null) return false;
  const before = run(record, asOf);
  const after = run(moved, asOf);
  if (before.verdict === "error" || after.verdict === "error") return false; // e.g. onset moved before birth
  for (const c of before.criteria) {
    const next = outcomeOf(after, c.id);
    if (RANK[next]! > RANK[c.outcome]!) {
      throw new Error(`${name}: ${c.id} went ${c.outcome} → ${next}\nbefore: ${JSON.stringify(record)}\nafter: ${JSON.stringify(moved)}`);
    }
  }
  check(VERDICT_RANK[after.verdict]! <= VERDICT_RANK[before.verdict]!, () => `${name}: verdict ${before.verdict} → ${after.verdict}\n${JSON.stringify(record)}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Kleene: filling in a missing field never turns fail into anything else, never makes a decided
// criterion unknown. (Not for id, screenedAt or a lab's uln: an absent uln is not unknown, it means
// "use the site range", and an absent screenedAt means "use --as-of".)

const FILLABLE = [
  "demographics.birthDate", "demographics.age", "demographics.sex",
  "stroke.onset", "stroke.onsetIsLastKnownWell", "stroke.anteriorCirculationOcclusion", "stroke.occlusionImaging",
  "stroke.preStrokeMrs", "stroke.aspects", "stroke.nihss", "stroke.thrombolysis", "stroke.endovascularTreatment",
  "labs.alt", "labs.ast", "labs.creatinine", "labs.bun", "labs.platelets", "labs.aptt", "labs.inr",
  "medications.lastHeparinDose", "allergies.contrast", "infections.hbsag", "trials.lastOtherTrialParticipation",
  "reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception",
  ...BOOLEAN_FIELDS.map(([p]) => p),
];

/**
 * Values to fill in, per path: taken from 3000 generated records (so boundary-heavy, and a few
 * invalid ones too), with time fields kept as their distance from that record's screening moment.
 */
type Donor = { value: unknown; screening: Screening };
const DONORS: Map<string, Donor[]> = (() => {
  const pool = new Map<string, Donor[]>(FILLABLE.map((p) => [p, []]));
  for (const g of fc.sample(recordArb, { numRuns: 3000, seed: 42 })) {
    for (const path of FILLABLE) {
      const value = getPath(g.record, path);
      if (value !== undefined) pool.get(path)!.push({ value, screening: g.screening });
    }
  }
  return pool;
})();

const TIME_FIELDS = new Set(["stroke.onset", "medications.lastHeparinDose", "demographics.birthDate", "trials.lastOtherTrialParticipation"]);

/** A donor's value for `path`, re-anchored to screening `s` when it is a time: same distance, same kind. */
function fillValue(path: string, donor: Donor, s: Screening): unknown {
  const v = donor.value;
  if (!TIME_FIELDS.has(path) || typeof v !== "string") return v;
  if (isDateOnly(v)) {
    const [y, m, d] = v.split("-").map(Number) as [number, number, number];
    const days = Math.round((Date.UTC(donor.screening.day.y, donor.screening.day.m - 1, donor.screening.day.d) - Date.UTC(y, m - 1, d)) / DAY);
    return Number.isFinite(days) ? fmtYMD(addDays(s.day, -days)) : v;
  }
  const { ms, offsetMin } = parseInstant(v);
  return Number.isNaN(ms) ? v : fmtInstant(s.ms - (donor.screening.ms - ms), offsetMin, "ms");
}

describe("Kleene", () => {
  it(`filling in a missing field never turns fail into anything else, nor a decided criterion into unknown (${RUNS} runs)`, () => {
    let checked = 0;
    fc.assert(
      fc.property(recordArb, fc.nat(), fc.nat(), ({ record, asOf, screening }, pickPath, pickValue) => {
        const missing = FILLABLE.filter((p) => getPath(record, p) === undefined);
        if (!missing.length) return;
        const path = missing[pickPath % missing.length]!;
        const donors = DONORS.get(path)!;
        const filled = setPath(record, path, fillValue(path, donors[pickValue % donors.length]!, screening)) as Rec;
        const before = run(record, asOf);
        const after = run(filled, asOf);
        if (before.verdict === "error" || after.verdict === "error") return; // a contradiction (e.g. a man pregnant): not a refinement
        checked++;
        for (const c of before.criteria) {
          const next = outcomeOf(after, c.id);
          const msg = () => `filled ${path} = ${JSON.stringify(getPath(filled, path))}: ${c.id} ${c.outcome} → ${next}\n${JSON.stringify(record)}`;
          if (c.outcome === "fail") check(next === "fail", msg);
          if (c.outcome === "pass" || c.outcome === "not_applicable") check(next === "pass" || next === "not_applicable", msg);
        }
        if (before.verdict === "ineligible") check(after.verdict === "ineligible", () => "verdict");
        if (before.verdict === "eligible") check(after.verdict === "eligible", () => "verdict");
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS / 4);
  });
});

// ---------------------------------------------------------------------------------------------
// Time-zone invariance: the same instants written in other offsets give the same result. The
// screening date is the date of screenedAt in its own offset, and a date alone is read in that
// offset, so screenedAt and date-only values are kept as they are.

describe("time-zone invariance", () => {
  it(`onset and last heparin dose rewritten in other UTC offsets → the same result (${RUNS} runs)`, () => {
    let rewritten = 0;
    fc.assert(
      fc.property(recordArb, fc.constantFrom(...OFFSETS), fc.constantFrom(...OFFSETS), ({ record, asOf }, o1, o2) => {
        let moved: Rec = record;
        for (const [path, offset] of [["stroke.onset", o1], ["medications.lastHeparinDose", o2]] as const) {
          const t = getPath(record, path);
          if (typeof t !== "string" || isDateOnly(t) || !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?$/.test(t)) continue;
          const { ms } = parseInstant(t);
          if (Number.isNaN(ms)) continue;
          moved = setPath(moved, path, fmtInstant(ms, offset, "ms")) as Rec;
        }
        if (moved === record) return;
        rewritten++;
        const a = run(record, asOf);
        const b = run(moved, asOf);
        check(b.verdict === a.verdict, () => `${a.verdict} → ${b.verdict}\n${JSON.stringify(record)}\n${JSON.stringify(moved)}`);
        if (a.verdict === "error" || b.verdict === "error") {
          expect((b as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual((a as { errors: { path: string }[] }).errors.map((e) => e.path));
          return;
        }
        expect(b.failed).toEqual(a.failed);
        expect(b.unknown).toEqual(a.unknown);
        expect(b.screenedAt).toBe(a.screenedAt);
        expect(b.criteria).toEqual(a.criteria); // reasons included: they are written in screenedAt's offset
      }),
      { numRuns: RUNS },
    );
    expect(rewritten).toBeGreaterThan(RUNS / 2);
  });
});

// ---------------------------------------------------------------------------------------------
// Batch = singles: one NDJSON stream through the CLI gives, line for line, what the library gives
// record by record.

function cli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.on("error", () => {}); // the CLI may exit before reading everything
    child.stdin.end(input);
  });
}

describe("batch = singles", () => {
  it("300 generated records (a third with a hostile value somewhere) as one NDJSON stream on stdin", () => {
    const cases = fc.sample(fc.tuple(recordArb, fc.boolean(), fc.boolean(), hostilePathArb, hostileJsonArb), { numRuns: 300, seed: 2026 });
    const lines = cases.map(([g, hostile, third, path, value]) => JSON.stringify(hostile && third ? setPath(g.record, path, value) : g.record) ?? "null");
    const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, "-", "--format", "ndjson", "--as-of", ASOF, "--time-zone", "UTC"], {
      input: lines.join("\n") + "\n",
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
    const results = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as ScreeningResult & { line: number });
    expect(results).toHaveLength(lines.length);
    results.forEach((got, i) => {
      expect(got.line).toBe(i + 1);
      const { line: _line, ...rest } = got;
      const expected = clone(screen(JSON.parse(lines[i]!), rules, { asOf: ASOF, timeZone: "UTC" }));
      expect(rest, `line ${i + 1}: ${lines[i]!.slice(0, 300)}`).toEqual(expected);
    });
    expect(status).toBe(exitCodeFor(results.map((r) => r.verdict)));
    // The sample covers every verdict.
    for (const v of ["eligible", "ineligible", "incomplete", "error"]) expect(results.some((r) => r.verdict === v), v).toBe(true);
  });

  it("the same records as a JSON array: results carry index 0..n-1 in order and equal the singles", () => {
    const cases = fc.sample(recordArb, { numRuns: 200, seed: 7 });
    const records = cases.map((g) => g.record);
    const { stdout } = spawnSync(process.execPath, [BIN, "-", "--format", "ndjson", "--as-of", ASOF, "--time-zone", "UTC"], {
      input: JSON.stringify(records, null, 2),
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    const results = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as ScreeningResult & { index: number });
    expect(results).toHaveLength(records.length);
    results.forEach((got, i) => {
      const { index, ...rest } = got;
      expect(index).toBe(i);
      expect(rest).toEqual(clone(screen(records[i], rules, { asOf: ASOF, timeZone: "UTC" })));
    });
  });
});
