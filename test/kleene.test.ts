/**
 * Kleene logic over a criterion's parts, which parts are needed, one finding deciding several
 * criteria, and the verdict rules (missing data never yields "eligible").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HOUR,
  beforeScreening,
  criterion,
  eligibleRecord,
  expectOutcome,
  leafPaths,
  rules,
  run,
  screened,
  withPath,
  withPaths,
  withoutPath,
} from "./helpers/records.js";

const heparinRecent = beforeScreening(6 * HOUR);

describe("EXC-02: a failing part beats unknown parts", () => {
  it("platelets 80 with heparin unknown fails, and the reason is the platelets", () => {
    const record = withoutPath(withPath(eligibleRecord(), "labs.platelets", { value: 80, unit: "10^9/L" }), "medications.lastHeparinDose", "labs.aptt");
    const c = expectOutcome(record, "EXC-02", "fail");
    expect(c.reason).toBe("platelets 80 ×10^9/L is below 100 ×10^9/L");
    expect(c.needs).toBeUndefined();
  });

  it("platelets 80 with warfarin and INR unknown fails", () => {
    const record = withoutPath(withPath(eligibleRecord(), "labs.platelets", { value: 80, unit: "10^3/uL" }), "medications.warfarin", "labs.inr");
    expectOutcome(record, "EXC-02", "fail");
  });

  it("heparin within 48 h with aPTT 60 fails even when the platelets are unknown", () => {
    const record = withoutPath(
      withPaths(eligibleRecord(), { "medications.lastHeparinDose": heparinRecent, "labs.aptt": { value: 60, unit: "s" } }),
      "labs.platelets",
    );
    expectOutcome(record, "EXC-02", "fail");
  });

  it("unknown platelets leave EXC-02 unknown, needing only the platelets", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "labs.platelets"), "EXC-02", "unknown");
    expect(c.needs).toEqual(["labs.platelets"]);
    expect(c.reason).toContain("needs labs.platelets");
  });
});

describe("EXC-02: parts that cannot matter are not needed", () => {
  it("lastHeparinDose null: aPTT not needed", () => {
    const result = screened(withoutPath(eligibleRecord(), "labs.aptt"));
    expect(criterion(result, "EXC-02").outcome).toBe("pass");
    expect(result.verdict).toBe("eligible");
  });

  it("heparin more than 48 h ago: aPTT not needed", () => {
    const record = withoutPath(withPath(eligibleRecord(), "medications.lastHeparinDose", beforeScreening(72 * HOUR)), "labs.aptt");
    expectOutcome(record, "EXC-02", "pass");
  });

  it("warfarin false: INR not needed", () => {
    const result = screened(withoutPath(eligibleRecord(), "labs.inr"));
    expect(criterion(result, "EXC-02").outcome).toBe("pass");
    expect(result.verdict).toBe("eligible");
  });

  it("aPTT 30 s known with heparin absent: the heparin part is false", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "medications.lastHeparinDose"), "EXC-02", "pass");
    expect(c.reason).toContain("aPTT 30 s is below 35 s");
  });

  it("aPTT 40 s with heparin absent: unknown, needing the heparin dose", () => {
    const record = withoutPath(withPath(eligibleRecord(), "labs.aptt", { value: 40, unit: "s" }), "medications.lastHeparinDose");
    const c = expectOutcome(record, "EXC-02", "unknown");
    expect(c.needs).toEqual(["medications.lastHeparinDose"]);
  });

  it("heparin within 48 h with aPTT absent: unknown, 'needs labs.aptt'", () => {
    const record = withoutPath(withPath(eligibleRecord(), "medications.lastHeparinDose", heparinRecent), "labs.aptt");
    const c = expectOutcome(record, "EXC-02", "unknown");
    expect(c.needs).toEqual(["labs.aptt"]);
    expect(c.reason).toContain("needs labs.aptt");
  });

  it("heparin and aPTT both absent: unknown, needing both", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "medications.lastHeparinDose", "labs.aptt"), "EXC-02", "unknown");
    expect([...(c.needs ?? [])].sort()).toEqual(["labs.aptt", "medications.lastHeparinDose"]);
  });

  it("warfarin true with INR absent: unknown, 'needs labs.inr'", () => {
    const record = withoutPath(withPath(eligibleRecord(), "medications.warfarin", true), "labs.inr");
    const c = expectOutcome(record, "EXC-02", "unknown");
    expect(c.needs).toEqual(["labs.inr"]);
    expect(c.reason).toContain("needs labs.inr");
  });

  it("warfarin absent: INR 1.5 settles it, INR 2 needs warfarin", () => {
    expectOutcome(withoutPath(eligibleRecord(), "medications.warfarin"), "EXC-02", "pass");
    const c = expectOutcome(withoutPath(withPath(eligibleRecord(), "labs.inr", { value: 2 }), "medications.warfarin"), "EXC-02", "unknown");
    expect(c.needs).toEqual(["medications.warfarin"]);
  });
});

describe("one finding decides several criteria", () => {
  it("ableToComply false fails INC-10 and EXC-14", () => {
    const result = screened(withPath(eligibleRecord(), "consent.ableToComply", false));
    expect(result.failed).toEqual(["INC-10", "EXC-14"]);
    expect(criterion(result, "INC-10").reason).toContain("unwilling or unable to comply");
    expect(criterion(result, "EXC-14").reason).toContain("unwilling or unable to comply");
  });

  it("ableToComply false fails INC-10 even when canSignInformedConsent is unknown", () => {
    const result = screened(withoutPath(withPath(eligibleRecord(), "consent.ableToComply", false), "consent.canSignInformedConsent"));
    expect(result.failed).toEqual(["INC-10", "EXC-14"]);
    expect(result.unknown).toEqual([]);
  });

  it("immunodeficiency fails EXC-05 and EXC-07", () => {
    const result = screened(withPath(eligibleRecord(), "history.immunodeficiency", true));
    expect(result.failed).toEqual(["EXC-05", "EXC-07"]);
    expect(criterion(result, "EXC-05").reason).toBe("immunodeficiency");
    expect(criterion(result, "EXC-07").reason).toBe("immunodeficiency");
  });

  it("immunodeficiency unknown leaves both EXC-05 and EXC-07 unknown", () => {
    const result = screened(withoutPath(eligibleRecord(), "history.immunodeficiency"));
    expect(result.unknown).toEqual(["EXC-05", "EXC-07"]);
    expect(criterion(result, "EXC-07").needs).toEqual(["history.immunodeficiency"]);
  });

  it("immunodeficiency unknown but immunosuppressants taken: EXC-07 fails, EXC-05 unknown", () => {
    const result = screened(withoutPath(withPath(eligibleRecord(), "medications.immunosuppressants", true), "history.immunodeficiency"));
    expect(result.failed).toEqual(["EXC-07"]);
    expect(result.unknown).toEqual(["EXC-05"]);
    expect(result.verdict).toBe("ineligible");
  });
});

describe("every criterion is evaluated (no short-circuit)", () => {
  it("a record failing INC-01 still reports all 27 criteria with reasons", () => {
    const record = withoutPath(withPaths(eligibleRecord(), { "demographics.birthDate": "2015-01-01", "stroke.nihss": 1 }), "stroke.aspects");
    const result = screened(record);
    expect(result.criteria).toHaveLength(27);
    expect(result.failed).toEqual(["INC-01", "INC-05"]);
    expect(result.unknown).toEqual(["INC-04"]);
    for (const c of result.criteria) expect(c.reason, c.id).not.toBe("");
  });

  it("only unknown criteria carry `needs`", () => {
    const result = screened(withoutPath(withPath(eligibleRecord(), "stroke.nihss", 1), "stroke.aspects"));
    for (const c of result.criteria) {
      if (c.outcome === "unknown") expect(c.needs?.length, c.id).toBeGreaterThan(0);
      else expect(c.needs, c.id).toBeUndefined();
    }
  });
});

describe("verdict", () => {
  it("ineligible when anything fails, even with unknowns", () => {
    const result = screened(withoutPath(withPath(eligibleRecord(), "stroke.nihss", 2), "stroke.aspects"));
    expect(result.verdict).toBe("ineligible");
  });

  it("incomplete when nothing fails and something is unknown", () => {
    const result = screened(withoutPath(eligibleRecord(), "stroke.aspects"));
    expect(result.verdict).toBe("incomplete");
    expect(result.failed).toEqual([]);
    expect(result.unknown).toEqual(["INC-04"]);
  });

  it("a record with nothing but a screening time is incomplete, every criterion unknown", () => {
    const result = screened({ screenedAt: "2026-11-24T09:00:00+08:00" });
    expect(result.verdict).toBe("incomplete");
    expect(result.unknown).toHaveLength(27);
  });

  it("eligible only when every criterion passes or is not applicable", () => {
    const result = screened(eligibleRecord());
    expect(result.verdict).toBe("eligible");
    expect(new Set(result.criteria.map((c) => c.outcome))).toEqual(new Set(["pass", "not_applicable"]));
  });
});

/**
 * Fields whose absence cannot change the eligible record's verdict: the id; sex (EXC-15's bracket
 * is false, every lab has its own uln); the last-known-well flag (wording only); heparin (aPTT 30 s
 * settles it) and aPTT (no heparin); warfarin (INR 1.0 settles it) and INR (no warfarin); each
 * lab's uln (the site range also passes); the reproductive fields of a man.
 */
const CANNOT_MATTER = new Set([
  "id",
  "demographics.sex",
  "stroke.onsetIsLastKnownWell",
  "medications.lastHeparinDose",
  "medications.warfarin",
  "labs.aptt",
  "labs.inr",
  "labs.alt.uln",
  "labs.ast.uln",
  "labs.creatinine.uln",
  "labs.bun.uln",
  "reproductive.pregnant",
  "reproductive.breastfeeding",
  "reproductive.childbearingPotential",
  "reproductive.usesContraception",
]);

/** Every field of the eligible record: each leaf, and each lab object as a whole. */
function fieldsOfEligibleRecord(): string[] {
  const record = eligibleRecord();
  return [...leafPaths(record), ...Object.keys(record.labs).map((name) => `labs.${name}`)];
}

describe("deleting a field from the eligible record", () => {
  const fields = fieldsOfEligibleRecord();

  it("covers every field of the contract's table (but demographics.age, which the record leaves to birthDate)", () => {
    const declared = [...rules().fields.keys(), ...[...rules().labs.values()].map((lab) => lab.path)];
    expect(declared.filter((path) => !fields.includes(path))).toEqual(["demographics.age"]);
    for (const path of CANNOT_MATTER) expect(fields).toContain(path);
    expect(fields).toHaveLength(67);
  });

  it.each(fields.filter((f) => !CANNOT_MATTER.has(f)))("without %s is never eligible", (path) => {
    const result = run(withoutPath(eligibleRecord(), path));
    expect(result.verdict).not.toBe("eligible");
  });

  it.each([...CANNOT_MATTER])("without %s stays eligible (the field cannot matter)", (path) => {
    expect(run(withoutPath(eligibleRecord(), path)).verdict).toBe("eligible");
  });

  it("without any set of fields that includes one that matters is never eligible (property)", () => {
    const matters = fields.filter((f) => !CANNOT_MATTER.has(f));
    fc.assert(
      fc.property(fc.constantFrom(...matters), fc.subarray(fields, { maxLength: 6 }), (must, others) => {
        const result = run(withoutPath(eligibleRecord(), must, ...others));
        return result.verdict !== "eligible";
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it("without any set of the man's reproductive fields, the id and the last-known-well flag stays eligible (property)", () => {
    const free = ["id", "stroke.onsetIsLastKnownWell", "reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception"];
    fc.assert(
      fc.property(fc.subarray(free), (paths) => run(withoutPath(eligibleRecord(), ...paths)).verdict === "eligible"),
      { numRuns: 64, seed: 7 },
    );
  });

  it("without heparin and aPTT together it is not eligible (each alone cannot matter)", () => {
    expect(run(withoutPath(eligibleRecord(), "medications.lastHeparinDose", "labs.aptt")).verdict).toBe("incomplete");
    expect(run(withoutPath(eligibleRecord(), "medications.warfarin", "labs.inr")).verdict).toBe("incomplete");
  });
});

describe("verdictFrom (whether any criterion failed, whether any is unknown)", () => {
  it("gives verdictOf's verdict for every mix of outcomes", async () => {
    const { verdictFrom, verdictOf } = await import("../src/logic/kleene.js");
    const outcomes = ["pass", "fail", "unknown", "not_applicable"] as const;
    for (let mask = 0; mask < 16; mask++) {
      const mix = outcomes.filter((_, i) => mask & (1 << i));
      expect(verdictFrom(mix.includes("fail"), mix.includes("unknown"))).toBe(verdictOf(mix));
    }
    expect(verdictFrom(true, true)).toBe("ineligible");
    expect(verdictFrom(false, true)).toBe("incomplete");
    expect(verdictFrom(false, false)).toBe("eligible");
  });
});
