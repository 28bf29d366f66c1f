/**
 * INC-08's lab limits (value against a multiple of the ULN, exact arithmetic), the site reference
 * ranges with unit conversion, unknown sex or age band, and lab validation (units, plausibility).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cmp, div, format, fromNumber, mul, parseDecimal } from "../src/numbers/rational.js";
import {
  eligibleRecord,
  errorAt,
  errorPaths,
  expectOutcome,
  invalid,
  run,
  screened,
  withPath,
  withPaths,
  withoutPath,
  type Rec,
} from "./helpers/records.js";

type Lab = { value: number; unit?: string; uln?: number };
const lab = (path: string, value: Lab, record: Rec = eligibleRecord()) => withPath(record, `labs.${path}`, value);

/** The eligible man, aged 58 (< 60), or re-born to be 60 on the screening date 2026-11-24. */
const man = (age: "<60" | ">=60" = "<60") => (age === "<60" ? eligibleRecord() : withPath(eligibleRecord(), "demographics.birthDate", "1966-11-24"));
/** The eligible record as a woman (34, or 60), contraception used. */
const woman = (age: "<60" | ">=60" = "<60") =>
  withPaths(eligibleRecord(), { "demographics.sex": "female", "demographics.birthDate": age === "<60" ? "1992-03-10" : "1966-11-24" });

describe("INC-08 with the record's own ULN (compared as written)", () => {
  it("ALT exactly 2.5 × ULN passes; one step above fails", () => {
    expect(expectOutcome(lab("alt", { value: 100, unit: "U/L", uln: 40 }), "INC-08", "pass").reason).toContain("ALT 100 U/L is at most 2.5 × ULN 40 = 100 U/L");
    expect(expectOutcome(lab("alt", { value: 100.1, unit: "U/L", uln: 40 }), "INC-08", "fail").reason).toBe("ALT 100.1 U/L exceeds 2.5 × ULN 40 = 100 U/L");
    expect(expectOutcome(lab("alt", { value: 101, unit: "U/L", uln: 40 }), "INC-08", "fail").reason).toBe("ALT 101 U/L exceeds 2.5 × ULN 40 = 100 U/L");
  });

  it("AST exactly 2.5 × ULN passes; one step above fails", () => {
    expectOutcome(lab("ast", { value: 87.5, unit: "U/L", uln: 35 }), "INC-08", "pass");
    expect(expectOutcome(lab("ast", { value: 87.6, unit: "U/L", uln: 35 }), "INC-08", "fail").reason).toBe("AST 87.6 U/L exceeds 2.5 × ULN 35 = 87.5 U/L");
  });

  it("creatinine 1.8 mg/dL with ULN 1.44 mg/dL is exactly 1.25 × ULN and passes (the float trap)", () => {
    expect(1.25 * 1.44).not.toBe(1.8); // binary floating point gets it wrong: 1.7999999999999998
    const c = expectOutcome(lab("creatinine", { value: 1.8, unit: "mg/dL", uln: 1.44 }), "INC-08", "pass");
    expect(c.reason).toContain("creatinine 1.8 mg/dL is at most 1.25 × ULN 1.44 = 1.8 mg/dL");
    expect(c.reason).not.toContain("umol/L"); // same unit: no conversion
    expect(expectOutcome(lab("creatinine", { value: 1.81, unit: "mg/dL", uln: 1.44 }), "INC-08", "fail").reason).toBe(
      "creatinine 1.81 mg/dL exceeds 1.25 × ULN 1.44 = 1.8 mg/dL",
    );
  });

  it("creatinine in umol/L: 130 with ULN 104 passes, 130.01 fails", () => {
    expectOutcome(lab("creatinine", { value: 130, unit: "umol/L", uln: 104 }), "INC-08", "pass");
    expectOutcome(lab("creatinine", { value: 130.01, unit: "umol/L", uln: 104 }), "INC-08", "fail");
  });

  it("urea 8.875 mmol/L with ULN 7.1 passes, 8.876 fails", () => {
    expectOutcome(lab("bun", { value: 8.875, unit: "mmol/L", uln: 7.1 }), "INC-08", "pass");
    expect(expectOutcome(lab("bun", { value: 8.876, unit: "mmol/L", uln: 7.1 }), "INC-08", "fail").reason).toContain("exceeds 1.25 × ULN 7.1 = 8.875 mmol/L");
  });

  it("BUN in mg/dL with its own ULN in mg/dL: 25 with ULN 20 passes, 25.1 fails", () => {
    const pass = expectOutcome(lab("bun", { value: 25, unit: "mg/dL", uln: 20 }), "INC-08", "pass");
    expect(pass.reason).toContain("urea/BUN 25 mg/dL is at most 1.25 × ULN 20 = 25 mg/dL");
    expectOutcome(lab("bun", { value: 25.1, unit: "mg/dL", uln: 20 }), "INC-08", "fail");
  });

  it("a failing lab decides INC-08 even when another lab is unknown", () => {
    const record = withoutPath(lab("alt", { value: 500, unit: "U/L", uln: 40 }), "labs.creatinine");
    const c = expectOutcome(record, "INC-08", "fail");
    expect(c.reason).toBe("ALT 500 U/L exceeds 2.5 × ULN 40 = 100 U/L");
  });

  it("an absent lab leaves INC-08 unknown and names it", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "labs.bun"), "INC-08", "unknown");
    expect(c.needs).toEqual(["labs.bun"]);
    expect(c.reason).toContain("needs labs.bun");
  });
});

describe("INC-08 with the site reference ranges (no uln)", () => {
  it("ALT: men ULN 50 (limit 125), women ULN 40 (limit 100)", () => {
    expect(expectOutcome(lab("alt", { value: 125, unit: "U/L" }, man()), "INC-08", "pass").reason).toContain("ALT 125 U/L is at most 2.5 × ULN 50 = 125 U/L (site range, male)");
    expect(expectOutcome(lab("alt", { value: 125.5, unit: "U/L" }, man()), "INC-08", "fail").reason).toContain("exceeds 2.5 × ULN 50 = 125 U/L");
    expectOutcome(lab("alt", { value: 100, unit: "U/L" }, woman()), "INC-08", "pass");
    expect(expectOutcome(lab("alt", { value: 100.5, unit: "U/L" }, woman()), "INC-08", "fail").reason).toContain("ULN 40 = 100 U/L (site range, female)");
  });

  it("AST: men ULN 40 (limit 100), women ULN 35 (limit 87.5)", () => {
    expectOutcome(lab("ast", { value: 100, unit: "U/L" }, man()), "INC-08", "pass");
    expectOutcome(lab("ast", { value: 100.5, unit: "U/L" }, man()), "INC-08", "fail");
    expectOutcome(lab("ast", { value: 87.5, unit: "U/L" }, woman()), "INC-08", "pass");
    expect(expectOutcome(lab("ast", { value: 87.6, unit: "U/L" }, woman()), "INC-08", "fail").reason).toContain("ULN 35 = 87.5 U/L");
  });

  it("creatinine for men: 97 umol/L aged < 60 (limit 121.25), 111 aged ≥ 60 (limit 138.75)", () => {
    expect(expectOutcome(lab("creatinine", { value: 121.25, unit: "umol/L" }, man()), "INC-08", "pass").reason).toContain(
      "creatinine 121.25 umol/L is at most 1.25 × ULN 97 = 121.25 umol/L (site range, male, aged < 60)",
    );
    expectOutcome(lab("creatinine", { value: 121.26, unit: "umol/L" }, man()), "INC-08", "fail");
    expect(expectOutcome(lab("creatinine", { value: 138.75, unit: "umol/L" }, man(">=60")), "INC-08", "pass").reason).toContain(
      "1.25 × ULN 111 = 138.75 umol/L (site range, male, aged ≥ 60)",
    );
    expectOutcome(lab("creatinine", { value: 138.76, unit: "umol/L" }, man(">=60")), "INC-08", "fail");
  });

  it("the age band turns on the 60th birthday (59 vs 60 with creatinine 130 umol/L)", () => {
    const fiftyNine = withPath(eligibleRecord(), "demographics.birthDate", "1966-11-25");
    expect(expectOutcome(lab("creatinine", { value: 130, unit: "umol/L" }, fiftyNine), "INC-08", "fail").reason).toContain("ULN 97");
    expect(expectOutcome(lab("creatinine", { value: 130, unit: "umol/L" }, man(">=60")), "INC-08", "pass").reason).toContain("ULN 111");
  });

  it("the age band also follows an age given directly", () => {
    const sixty = withPath(withoutPath(eligibleRecord(), "demographics.birthDate"), "demographics.age", 60);
    expectOutcome(lab("creatinine", { value: 130, unit: "umol/L" }, sixty), "INC-08", "pass");
  });

  it("creatinine for women: 73 umol/L aged < 60 (limit 91.25), 81 aged ≥ 60 (limit 101.25)", () => {
    expectOutcome(lab("creatinine", { value: 91.25, unit: "umol/L" }, woman()), "INC-08", "pass");
    expect(expectOutcome(lab("creatinine", { value: 91.26, unit: "umol/L" }, woman()), "INC-08", "fail").reason).toContain("ULN 73 = 91.25 umol/L (site range, female, aged < 60)");
    expectOutcome(lab("creatinine", { value: 101.25, unit: "umol/L" }, woman(">=60")), "INC-08", "pass");
    expectOutcome(lab("creatinine", { value: 101.26, unit: "umol/L" }, woman(">=60")), "INC-08", "fail");
  });

  it("urea: men 8.0 / 9.5 mmol/L, women 7.5 / 8.8 mmol/L", () => {
    expect(expectOutcome(lab("bun", { value: 10, unit: "mmol/L" }, man()), "INC-08", "pass").reason).toContain("1.25 × ULN 8.0 = 10 mmol/L (site range, male, aged < 60)");
    expectOutcome(lab("bun", { value: 10.01, unit: "mmol/L" }, man()), "INC-08", "fail");
    expectOutcome(lab("bun", { value: 11.875, unit: "mmol/L" }, man(">=60")), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 11.876, unit: "mmol/L" }, man(">=60")), "INC-08", "fail");
    expectOutcome(lab("bun", { value: 9.375, unit: "mmol/L" }, woman()), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 9.376, unit: "mmol/L" }, woman()), "INC-08", "fail");
    expectOutcome(lab("bun", { value: 11, unit: "mmol/L" }, woman(">=60")), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 11.01, unit: "mmol/L" }, woman(">=60")), "INC-08", "fail");
  });
});

describe("unit conversion into the site range's unit (exact)", () => {
  it("creatinine mg/dL × 88.4: 1.8 mg/dL is 159.12 umol/L, above 121.25", () => {
    const c = expectOutcome(lab("creatinine", { value: 1.8, unit: "mg/dL" }, man()), "INC-08", "fail");
    expect(c.reason).toBe("creatinine 1.8 mg/dL (= 159.12 umol/L) exceeds 1.25 × ULN 97 = 121.25 umol/L (site range, male, aged < 60)");
  });

  it("creatinine mg/dL around the men's < 60 limit: 1.37 (121.108) passes, 1.38 (121.992) fails", () => {
    expect(expectOutcome(lab("creatinine", { value: 1.37, unit: "mg/dL" }, man()), "INC-08", "pass").reason).toContain("(= 121.108 umol/L)");
    expectOutcome(lab("creatinine", { value: 1.38, unit: "mg/dL" }, man()), "INC-08", "fail");
  });

  it("creatinine mg/dL around the men's ≥ 60 limit: 1.56 (137.904) passes, 1.57 (138.788) fails", () => {
    expectOutcome(lab("creatinine", { value: 1.56, unit: "mg/dL" }, man(">=60")), "INC-08", "pass");
    expectOutcome(lab("creatinine", { value: 1.57, unit: "mg/dL" }, man(">=60")), "INC-08", "fail");
  });

  it("BUN mg/dL ÷ 2.8 into urea: 28 mg/dL is exactly 10 mmol/L (passes for a man < 60); 28.01 fails", () => {
    const pass = expectOutcome(lab("bun", { value: 28, unit: "mg/dL" }, man()), "INC-08", "pass");
    expect(pass.reason).toContain("urea/BUN 28 mg/dL (= 10 mmol/L) is at most 1.25 × ULN 8.0 = 10 mmol/L (site range, male, aged < 60)");
    const fail = expectOutcome(lab("bun", { value: 28.01, unit: "mg/dL" }, man()), "INC-08", "fail");
    expect(fail.reason).toContain("(= ≈10.0036 mmol/L)");
  });

  it("BUN mg/dL exact limits for the other ranges: 33.25 (man ≥ 60), 26.25 (woman < 60), 30.8 (woman ≥ 60)", () => {
    expectOutcome(lab("bun", { value: 33.25, unit: "mg/dL" }, man(">=60")), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 33.26, unit: "mg/dL" }, man(">=60")), "INC-08", "fail");
    expectOutcome(lab("bun", { value: 26.25, unit: "mg/dL" }, woman()), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 26.26, unit: "mg/dL" }, woman()), "INC-08", "fail");
    expectOutcome(lab("bun", { value: 30.8, unit: "mg/dL" }, woman(">=60")), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 30.81, unit: "mg/dL" }, woman(">=60")), "INC-08", "fail");
  });
});

describe("site ranges when sex or age is unknown", () => {
  const noSex = () => withoutPath(eligibleRecord(), "demographics.sex");
  const noAge = () => withoutPath(eligibleRecord(), "demographics.birthDate");
  const neither = () => withoutPath(eligibleRecord(), "demographics.sex", "demographics.birthDate");

  it("sex unknown, ALT: passes under the strictest ULN (40), naming it", () => {
    const c = expectOutcome(lab("alt", { value: 100, unit: "U/L" }, noSex()), "INC-08", "pass");
    expect(c.reason).toContain("ALT 100 U/L is at most 2.5 × ULN 40 = 100 U/L");
  });

  it("sex unknown, ALT: fails under the most lenient ULN (50), naming it", () => {
    const c = expectOutcome(lab("alt", { value: 125.5, unit: "U/L" }, noSex()), "INC-08", "fail");
    expect(c.reason).toContain("exceeds 2.5 × ULN 50 = 125 U/L");
  });

  it("sex unknown, ALT in between: unknown, needs demographics.sex", () => {
    const c = expectOutcome(lab("alt", { value: 110, unit: "U/L" }, noSex()), "INC-08", "unknown");
    expect(c.needs).toEqual(["demographics.sex"]);
    expect(c.reason).toContain("needs demographics.sex");
    expect(c.reason).toContain("125 U/L (male)");
    expect(c.reason).toContain("100 U/L (female)");
  });

  it("age unknown (man), creatinine: 121.25 passes, 138.76 fails, 130 unknown needing the date of birth", () => {
    expectOutcome(lab("creatinine", { value: 121.25, unit: "umol/L" }, noAge()), "INC-08", "pass");
    expect(expectOutcome(lab("creatinine", { value: 138.76, unit: "umol/L" }, noAge()), "INC-08", "fail").reason).toContain("ULN 111");
    const c = expectOutcome(lab("creatinine", { value: 130, unit: "umol/L" }, noAge()), "INC-08", "unknown");
    expect(c.needs).toEqual(["demographics.birthDate"]);
  });

  it("age unknown does not matter for ALT (no age bands)", () => {
    expectOutcome(lab("alt", { value: 120, unit: "U/L" }, noAge()), "INC-08", "pass");
  });

  it("both unknown, urea in mg/dL: passes under 7.5, fails over 9.5, else needs both", () => {
    expectOutcome(lab("bun", { value: 26.25, unit: "mg/dL" }, neither()), "INC-08", "pass");
    expectOutcome(lab("bun", { value: 33.26, unit: "mg/dL" }, neither()), "INC-08", "fail");
    const c = expectOutcome(lab("bun", { value: 30, unit: "mg/dL" }, neither()), "INC-08", "unknown");
    expect(c.needs).toEqual(["demographics.sex", "demographics.birthDate"]);
  });

  it("sex unknown does not matter when every lab carries its own uln", () => {
    expectOutcome(noSex(), "INC-08", "pass");
  });
});

describe("lab validation", () => {
  it("creatinine 1.1 umol/L is implausible and the message names mg/dL", () => {
    const error = errorAt(invalid(lab("creatinine", { value: 1.1, unit: "umol/L" })), "labs.creatinine.value");
    expect(error.message).toContain("1.1 umol/L is not a plausible creatinine");
    expect(error.message).toContain("mg/dL");
  });

  it("creatinine 150 mg/dL is implausible and the message names umol/L", () => {
    expect(errorAt(invalid(lab("creatinine", { value: 150, unit: "mg/dL" })), "labs.creatinine.value").message).toContain("umol/L");
  });

  it("urea 150 mmol/L is implausible and the message names mg/dL (BUN)", () => {
    expect(errorAt(invalid(lab("bun", { value: 150, unit: "mmol/L" })), "labs.bun.value").message).toContain("mg/dL");
  });

  it("the plausible ranges' ends are accepted", () => {
    for (const [name, value] of [
      ["creatinine", { value: 10, unit: "umol/L" }],
      ["creatinine", { value: 35, unit: "mg/dL" }],
      ["bun", { value: 0.5, unit: "mmol/L" }],
      ["bun", { value: 280, unit: "mg/dL" }],
      ["aptt", { value: 10, unit: "s" }],
      ["aptt", { value: 250, unit: "s" }],
      ["inr", { value: 0.5 }],
      ["inr", { value: 20 }],
      ["platelets", { value: 3000, unit: "10^9/L" }],
      ["alt", { value: 20000, unit: "U/L" }],
    ] as const) {
      expect(run(lab(name, value)).verdict, `${name} ${JSON.stringify(value)}`).not.toBe("error");
    }
  });

  it.each([
    ["alt", { value: 20001, unit: "U/L" }],
    ["ast", { value: 20001, unit: "U/L" }],
    ["creatinine", { value: 9.9, unit: "umol/L" }],
    ["creatinine", { value: 0.09, unit: "mg/dL" }],
    ["bun", { value: 0.4, unit: "mmol/L" }],
    ["bun", { value: 281, unit: "mg/dL" }],
    ["platelets", { value: 3001, unit: "10^3/uL" }],
    ["aptt", { value: 9, unit: "s" }],
    ["aptt", { value: 251, unit: "s" }],
    ["inr", { value: 0.4 }],
    ["inr", { value: 21 }],
  ])("%s %o is implausible", (name, value) => {
    errorAt(invalid(lab(name, value)), `labs.${name}.value`);
  });

  it.each([
    ["alt", "IU/L"],
    ["creatinine", "mmol/L"],
    ["bun", "mg/dl"],
    ["platelets", "10^9/l"],
    ["aptt", "sec"],
  ])("%s in unit %s is invalid, and the message lists the units", (name, unit) => {
    const error = errorAt(invalid(lab(name, { value: 30, unit })), `labs.${name}.unit`);
    expect(error.message).toContain("expected one of");
  });

  it("a lab other than INR needs its unit", () => {
    const error = errorAt(invalid(lab("alt", { value: 35 })), "labs.alt.unit");
    expect(error.message).toContain("unit");
  });

  it("INR with a unit is invalid", () => {
    const error = errorAt(invalid(lab("inr", { value: 1, unit: "ratio" })), "labs.inr.unit");
    expect(error.message).toContain("no unit");
  });

  it.each([0, -1])("a uln of %i is invalid", (uln) => {
    errorAt(invalid(lab("alt", { value: 35, unit: "U/L", uln })), "labs.alt.uln");
  });

  it("a uln that is not plausible in the value's unit is invalid", () => {
    const error = errorAt(invalid(lab("creatinine", { value: 80, unit: "umol/L", uln: 1.44 })), "labs.creatinine.uln");
    expect(error.message).toContain("upper limit of normal");
  });

  it.each(["platelets", "aptt"])("a uln on %s is ignored with a warning only", (name) => {
    const unit = name === "platelets" ? "10^9/L" : "s";
    const result = screened(lab(name, { value: name === "aptt" ? 30 : 210, unit, uln: 400 }));
    expect(result.verdict).toBe("eligible");
    expect(result.warnings).toEqual([{ path: `labs.${name}.uln`, message: expect.stringContaining("ignored") }]);
  });

  it("a uln on INR is ignored with a warning only", () => {
    const result = screened(lab("inr", { value: 1, uln: 1.2 }));
    expect(result.verdict).toBe("eligible");
    expect(result.warnings.map((w) => w.path)).toEqual(["labs.inr.uln"]);
  });

  it("a negative value, a string value, or null is invalid", () => {
    errorAt(invalid(lab("alt", { value: -1, unit: "U/L" })), "labs.alt.value");
    errorAt(invalid(withPath(eligibleRecord(), "labs.alt.value", "35")), "labs.alt.value");
    errorAt(invalid(withPath(eligibleRecord(), "labs.alt", null)), "labs.alt");
    errorAt(invalid(withPath(eligibleRecord(), "labs.inr", 1.0)), "labs.inr");
  });

  it("every lab error is reported at once", () => {
    const record = withPaths(eligibleRecord(), {
      "labs.creatinine": { value: 1.1, unit: "umol/L" },
      "labs.inr": { value: 1, unit: "x" },
      "labs.alt": { value: 35, unit: "IU/L" },
      "labs.ast.uln": 0,
    });
    expect(errorPaths(invalid(record)).sort()).toEqual(["labs.alt.unit", "labs.ast.uln", "labs.creatinine.value", "labs.inr.unit"]);
  });

  it("a lab the table does not name is ignored with a warning", () => {
    const result = screened(lab("hba1c", { value: 6, unit: "%" }));
    expect(result.verdict).toBe("eligible");
    expect(result.warnings.map((w) => w.path)).toEqual(["labs.hba1c"]);
  });
});

// Exact arithmetic (src/numbers/rational.ts) holds machine integers while they fit and BigInt
// otherwise; both paths must give the same exact answers as plain BigInt fractions.
describe("exact rationals: the machine-integer path agrees with BigInt fractions", () => {
  type Ref = { n: bigint; d: bigint };
  const refParse = (text: string): Ref => {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text)!;
    const frac = m[3] ?? "";
    const e = Number(m[4] ?? 0) - frac.length;
    let n = BigInt(m[2]! + frac) * (m[1] ? -1n : 1n);
    let d = 1n;
    if (e >= 0) n *= 10n ** BigInt(e);
    else d = 10n ** BigInt(-e);
    return { n, d };
  };
  const refCmp = (a: Ref, b: Ref) => Math.sign(Number(a.n * b.d - b.n * a.d));
  const decimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: -5, max: 5 }))
    .map(([neg, digits, places, exp]) => {
      let s = digits.toString().padStart(places + 1, "0");
      if (places) s = `${s.slice(0, -places)}.${s.slice(-places)}`;
      return `${neg ? "-" : ""}${s}${exp ? `e${exp}` : ""}`;
    });

  it("parse, multiply, divide and compare", () => {
    fc.assert(
      fc.property(decimal, decimal, decimal, (x, y, z) => {
        const [a, b, c] = [x, y, z].map((t) => parseDecimal(t)!);
        const [ra, rb, rc] = [x, y, z].map(refParse) as [Ref, Ref, Ref];
        const prod: Ref = { n: ra.n * rb.n, d: ra.d * rb.d };
        expect(cmp(mul(a!, b!), c!)).toBe(refCmp(prod, rc));
        expect(cmp(a!, b!)).toBe(refCmp(ra, rb));
        if (rc.n !== 0n) expect(cmp(div(a!, c!), b!)).toBe(refCmp({ n: ra.n * rc.d * (rc.n < 0n ? -1n : 1n), d: ra.d * (rc.n < 0n ? -rc.n : rc.n) }, rb));
        // Equal values have one form, whichever path built them.
        if (refCmp(prod, rc) === 0) expect(mul(a!, b!)).toEqual(c);
      }),
      { numRuns: 2000 },
    );
  });

  it("prints exactly, across the 2^53 boundary", () => {
    expect(format(fromNumber(2 ** 53 - 1))).toBe("9007199254740991");
    expect(format(mul(fromNumber(2 ** 53 - 1), fromNumber(3)))).toBe("27021597764222973");
    expect(format(div(parseDecimal("1")!, parseDecimal("2.8")!))).toBe("≈0.3571");
    expect(format(mul(parseDecimal("1.25")!, parseDecimal("1.44")!))).toBe("1.8");
    expect(format(parseDecimal("-0.000000000000000000012")!)).toBe("-0.000000000000000000012");
    expect(fromNumber(-0)).toEqual(fromNumber(0));
  });
});
