/**
 * Both sides of every numeric boundary of the contract's §2, and the outcome of every criterion's
 * deciding finding. Time windows and age are in time-and-age.test.ts, INC-08 in labs-and-units.
 */
import { describe, expect, it } from "vitest";
import {
  DAY,
  HOUR,
  beforeScreening,
  criterion,
  eligibleRecord,
  eligibleWoman,
  expectOutcome,
  screened,
  screenedAtWithOnset,
  withPath,
  withPaths,
  withoutPath,
} from "./helpers/records.js";

const PROTOCOL_ORDER = [
  "INC-01", "INC-02", "INC-03", "INC-04", "INC-05", "INC-06", "INC-07", "INC-08", "INC-09", "INC-10",
  "EXC-01", "EXC-02", "EXC-03", "EXC-04", "EXC-05", "EXC-06", "EXC-07", "EXC-08", "EXC-09", "EXC-10",
  "EXC-11", "EXC-12", "EXC-13", "EXC-14", "EXC-15", "EXC-16", "EXC-17",
];

describe("the eligible record", () => {
  it("is eligible, with all 27 criteria in protocol order and EXC-15 not applicable to a man", () => {
    const result = screened(eligibleRecord());
    expect(result.verdict).toBe("eligible");
    expect(result.id).toBe("T-0001");
    expect(result.failed).toEqual([]);
    expect(result.unknown).toEqual([]);
    expect(result.criteria.map((c) => c.id)).toEqual(PROTOCOL_ORDER);
    for (const c of result.criteria) {
      expect(c.outcome, c.id).toBe(c.id === "EXC-15" ? "not_applicable" : "pass");
      expect(c.reason.length, c.id).toBeGreaterThan(0);
      expect(c.category).toBe(c.id.startsWith("INC") ? "inclusion" : "exclusion");
    }
    expect(result.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(result.warnings).toEqual([]);
  });

  it("is fresh on every call, and withPath / withoutPath leave their input alone", () => {
    const a = eligibleRecord();
    a.stroke.nihss = 1;
    expect(eligibleRecord().stroke.nihss).toBe(9);
    const b = eligibleRecord();
    expect(withPath(b, "stroke.nihss", 4).stroke.nihss).toBe(4);
    expect(withoutPath(b, "stroke.nihss").stroke).not.toHaveProperty("nihss");
    expect(b).toEqual(eligibleRecord());
  });

  it("quotes the registry text of each criterion", () => {
    const result = screened(eligibleRecord());
    expect(criterion(result, "INC-05").text).toBe("Pre-enrollment NIHSS score >= 6");
    expect(criterion(result, "EXC-13").text).toBe("Patients who have participated in other clinical trials within the past 3 months");
  });

  it("lists failed criteria in protocol order", () => {
    const result = screened(
      withPaths(eligibleRecord(), { "investigator.deemedUnsuitable": true, "stroke.nihss": 2, "allergies.contrast": "severe" }),
    );
    expect(result.verdict).toBe("ineligible");
    expect(result.failed).toEqual(["INC-05", "EXC-01", "EXC-17"]);
  });
});

describe("integer score boundaries", () => {
  it("INC-03: pre-stroke mRS 1 passes, 2 fails", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.preStrokeMrs", 1), "INC-03", "pass").reason).toBe("pre-stroke mRS 1 is at most 1");
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.preStrokeMrs", 2), "INC-03", "fail").reason).toBe("pre-stroke mRS 2 is above 1");
  });

  it("INC-03: mRS 0 and 5 are valid scores (5 fails)", () => {
    expectOutcome(withPath(eligibleRecord(), "stroke.preStrokeMrs", 0), "INC-03", "pass");
    expectOutcome(withPath(eligibleRecord(), "stroke.preStrokeMrs", 5), "INC-03", "fail");
  });

  it("INC-04: ASPECTS 5 fails, 6 passes", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.aspects", 5), "INC-04", "fail").reason).toBe("ASPECTS 5 is below 6");
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.aspects", 6), "INC-04", "pass").reason).toBe("ASPECTS 6 is at least 6");
    expectOutcome(withPath(eligibleRecord(), "stroke.aspects", 10), "INC-04", "pass");
    expectOutcome(withPath(eligibleRecord(), "stroke.aspects", 0), "INC-04", "fail");
  });

  it("INC-05: NIHSS 5 fails, 6 passes", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.nihss", 5), "INC-05", "fail").reason).toBe("NIHSS 5 is below 6");
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.nihss", 6), "INC-05", "pass").reason).toBe("NIHSS 6 is at least 6");
    expectOutcome(withPath(eligibleRecord(), "stroke.nihss", 42), "INC-05", "pass");
  });

  it("INC-05: the contract's example reason 'NIHSS 4 is below 6', and the verdict it gives", () => {
    const result = screened(withPath(eligibleRecord(), "stroke.nihss", 4));
    expect(criterion(result, "INC-05")).toMatchObject({ outcome: "fail", reason: "NIHSS 4 is below 6", category: "inclusion" });
    expect(result.verdict).toBe("ineligible");
    expect(result.failed).toEqual(["INC-05"]);
  });

  it("an absent score is unknown and names the field it needs", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "stroke.aspects"), "INC-04", "unknown");
    expect(c.needs).toEqual(["stroke.aspects"]);
    expect(c.reason).toContain("needs stroke.aspects");
  });
});

describe("INC-02 anterior circulation occlusion confirmed by CTA or MRA", () => {
  it.each(["CTA", "MRA"])("passes with %s", (imaging) => {
    expectOutcome(withPath(eligibleRecord(), "stroke.occlusionImaging", imaging), "INC-02", "pass");
  });

  it.each(["CT", "MRI", "DSA", "none"])("is unknown with %s only, and the reason asks for CTA or MRA", (imaging) => {
    const c = expectOutcome(withPath(eligibleRecord(), "stroke.occlusionImaging", imaging), "INC-02", "unknown");
    expect(c.reason).toMatch(/CTA or MRA/);
    expect(c.needs).toEqual(["stroke.occlusionImaging"]);
  });

  it("is unknown when the imaging is not given, and the reason asks for CTA or MRA", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "stroke.occlusionImaging"), "INC-02", "unknown");
    expect(c.reason).toMatch(/CTA or MRA/);
    expect(c.needs).toEqual(["stroke.occlusionImaging"]);
  });

  it.each(["CTA", "CT", "none"])("fails when anteriorCirculationOcclusion is false (imaging %s)", (imaging) => {
    const record = withPaths(eligibleRecord(), { "stroke.anteriorCirculationOcclusion": false, "stroke.occlusionImaging": imaging });
    expect(expectOutcome(record, "INC-02", "fail").reason).toContain("no anterior circulation occlusion");
  });

  it("fails when anteriorCirculationOcclusion is false and the imaging is absent", () => {
    const record = withoutPath(withPath(eligibleRecord(), "stroke.anteriorCirculationOcclusion", false), "stroke.occlusionImaging");
    expectOutcome(record, "INC-02", "fail");
  });

  it("is unknown, needing the occlusion, when only the imaging is given", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "stroke.anteriorCirculationOcclusion"), "INC-02", "unknown");
    expect(c.needs).toEqual(["stroke.anteriorCirculationOcclusion"]);
  });
});

describe("INC-07, INC-09, INC-10", () => {
  it("INC-07 fails on thrombolysis or endovascular treatment", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.thrombolysis", true), "INC-07", "fail").reason).toContain("received thrombolysis");
    expect(expectOutcome(withPath(eligibleRecord(), "stroke.endovascularTreatment", true), "INC-07", "fail").reason).toContain("received endovascular treatment");
  });

  it("INC-07 fails on one treatment even when the other is unknown", () => {
    const record = withoutPath(withPath(eligibleRecord(), "stroke.endovascularTreatment", true), "stroke.thrombolysis");
    expectOutcome(record, "INC-07", "fail");
    expect(expectOutcome(withoutPath(eligibleRecord(), "stroke.thrombolysis"), "INC-07", "unknown").needs).toEqual(["stroke.thrombolysis"]);
  });

  it("INC-09 fails on significant cardiac dysfunction", () => {
    expectOutcome(withPath(eligibleRecord(), "history.significantCardiacDysfunction", true), "INC-09", "fail");
  });

  it("INC-10 fails when consent cannot be signed", () => {
    const result = screened(withPath(eligibleRecord(), "consent.canSignInformedConsent", false));
    expect(criterion(result, "INC-10").outcome).toBe("fail");
    expect(criterion(result, "EXC-14").outcome).toBe("pass");
  });
});

describe("EXC-01 contrast allergy", () => {
  it.each([
    ["none", "pass"],
    ["mild-rash", "pass"],
    ["severe", "fail"],
  ] as const)("contrast %s → %s", (contrast, expected) => {
    expectOutcome(withPath(eligibleRecord(), "allergies.contrast", contrast), "EXC-01", expected);
  });
});

describe("EXC-02 bleeding tendency", () => {
  it("platelets 99 fail and 100 pass, in 10^9/L", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "labs.platelets", { value: 99, unit: "10^9/L" }), "EXC-02", "fail").reason).toContain(
      "platelets 99 ×10^9/L is below 100 ×10^9/L",
    );
    expectOutcome(withPath(eligibleRecord(), "labs.platelets", { value: 100, unit: "10^9/L" }), "EXC-02", "pass");
  });

  it("platelets 99 fail and 100 pass, in 10^3/uL (numerically equal)", () => {
    expect(expectOutcome(withPath(eligibleRecord(), "labs.platelets", { value: 99, unit: "10^3/uL" }), "EXC-02", "fail").reason).toContain(
      "platelets 99 ×10^3/uL is below 100",
    );
    expectOutcome(withPath(eligibleRecord(), "labs.platelets", { value: 100, unit: "10^3/uL" }), "EXC-02", "pass");
  });

  it("platelets 99.9 fail (the limit is exact, not rounded)", () => {
    expectOutcome(withPath(eligibleRecord(), "labs.platelets", { value: 99.9, unit: "10^9/L" }), "EXC-02", "fail");
  });

  const heparin2h = { "medications.lastHeparinDose": beforeScreening(2 * HOUR) };

  it("heparin within 48 h: aPTT 34.9 s passes, 35 s fails", () => {
    expectOutcome(withPaths(eligibleRecord(), { ...heparin2h, "labs.aptt": { value: 34.9, unit: "s" } }), "EXC-02", "pass");
    const c = expectOutcome(withPaths(eligibleRecord(), { ...heparin2h, "labs.aptt": { value: 35, unit: "s" } }), "EXC-02", "fail");
    expect(c.reason).toContain("aPTT 35 s is at least 35 s");
    expect(c.reason).toContain("last heparin dose");
  });

  it("a high aPTT without heparin (null) passes", () => {
    expectOutcome(withPath(eligibleRecord(), "labs.aptt", { value: 80, unit: "s" }), "EXC-02", "pass");
  });

  it("warfarin: INR 1.7 passes, 1.71 fails", () => {
    expectOutcome(withPaths(eligibleRecord(), { "medications.warfarin": true, "labs.inr": { value: 1.7 } }), "EXC-02", "pass");
    const c = expectOutcome(withPaths(eligibleRecord(), { "medications.warfarin": true, "labs.inr": { value: 1.71 } }), "EXC-02", "fail");
    expect(c.reason).toContain("INR 1.71 is above 1.7");
    expect(c.reason).toContain("taking warfarin");
  });

  it("INR 3 without warfarin passes", () => {
    expectOutcome(withPath(eligibleRecord(), "labs.inr", { value: 3 }), "EXC-02", "pass");
  });

  it("another bleeding tendency fails", () => {
    expectOutcome(withPath(eligibleRecord(), "history.otherBleedingTendency", true), "EXC-02", "fail");
  });
});

describe("what an unknown criterion needs: 'or' when either path settles it, 'and' when all are needed", () => {
  it("EXC-02 with heparin date and aPTT both unknown: either settles it", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "medications.lastHeparinDose", "labs.aptt"), "EXC-02", "unknown");
    expect(c.reason).toBe("needs medications.lastHeparinDose (last heparin dose) or labs.aptt (aPTT)");
    expect(c.needs).toEqual(["medications.lastHeparinDose", "labs.aptt"]);
  });

  it("an exclusion's alternatives must all be ruled out: 'and'", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "history.brainTumor", "history.epilepsy"), "EXC-03", "unknown");
    expect(c.reason).toBe("needs history.brainTumor (brain tumour) and history.epilepsy (history of epilepsy)");
    expect(c.needs).toEqual(["history.brainTumor", "history.epilepsy"]);
  });

  it("an inclusion needs every open part: 'and', with three or more as a list", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "labs.alt", "labs.ast", "labs.bun"), "INC-08", "unknown");
    expect(c.reason).toMatch(/^creatinine .*; needs labs\.alt \(ALT\), labs\.ast \(AST\), and labs\.bun \(urea\/BUN\)$/);
  });

  it("EXC-15 for a woman: pregnancy and breastfeeding must both be ruled out, and either childbearing potential or contraception settles the rest", () => {
    const woman = withoutPath(eligibleWoman(), "reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception");
    const c = expectOutcome(woman, "EXC-15", "unknown");
    expect(c.reason).toBe(
      "sex female; needs reproductive.pregnant (pregnant), reproductive.breastfeeding (breastfeeding), and either reproductive.childbearingPotential (childbearing potential) or reproductive.usesContraception (uses contraception)",
    );
    expect(c.needs).toEqual(["reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception"]);
  });

  it("wording a neurologist accepts: a DSA-shown occlusion, and a pregnancy with the sex unknown", () => {
    const dsa = expectOutcome({ ...eligibleRecord(), stroke: { ...eligibleRecord().stroke, occlusionImaging: "DSA" } }, "INC-02", "unknown");
    expect(dsa.reason).toBe("anterior circulation occlusion; occlusion imaging DSA; the occlusion needs confirming by CTA or MRA");
    const pregnant = withoutPath({ ...eligibleWoman(), reproductive: { ...eligibleWoman().reproductive, pregnant: true } }, "demographics.sex");
    const c = expectOutcome(pregnant, "EXC-15", "unknown");
    expect(c.reason).toBe("pregnant; needs demographics.sex (sex)");
  });

  it("EXC-15 with the sex unknown too: the sex alone may settle it", () => {
    const c = expectOutcome(withoutPath(eligibleWoman(), "demographics.sex", "reproductive.pregnant", "reproductive.breastfeeding"), "EXC-15", "unknown");
    expect(c.reason).toMatch(/^needs demographics\.sex \(sex\) or both reproductive\.pregnant \(pregnant\) and reproductive\.breastfeeding \(breastfeeding\)/);
  });
});

describe("single-finding exclusions", () => {
  it.each([
    ["EXC-03", "history.brainTumor"],
    ["EXC-03", "history.epilepsy"],
    ["EXC-03", "history.severeHeadTrauma"],
    ["EXC-04", "history.otherMalignancy"],
    ["EXC-05", "history.coagulationDisorder"],
    ["EXC-05", "history.otherSeriousSystemicDisease"],
    ["EXC-06", "history.neurodegenerativeDiseaseLimitingFollowUp"],
    ["EXC-07", "infections.severeInfection"],
    ["EXC-07", "medications.immunosuppressants"],
    ["EXC-08", "infections.otherInfectiousDisease"],
    ["EXC-09", "allergies.studyDrug"],
    ["EXC-10", "allergies.allergicConstitution"],
    ["EXC-11", "history.nasalAbnormality"],
    ["EXC-12", "history.csfRhinorrhea"],
    ["EXC-16", "history.uncontrolledMentalIllness"],
    ["EXC-17", "investigator.deemedUnsuitable"],
  ])("%s fails when %s is true, and only it", (id, path) => {
    const result = screened(withPath(eligibleRecord(), path, true));
    expect(result.verdict).toBe("ineligible");
    expect(result.failed).toEqual([id]);
  });

  it.each([
    ["EXC-03", "history.epilepsy"],
    ["EXC-04", "history.otherMalignancy"],
    ["EXC-16", "history.uncontrolledMentalIllness"],
    ["EXC-17", "investigator.deemedUnsuitable"],
  ])("%s is unknown when %s is absent", (id, path) => {
    expect(expectOutcome(withoutPath(eligibleRecord(), path), id, "unknown").needs).toContain(path);
  });
});

describe("EXC-08 HBsAg", () => {
  it("positive fails, negative passes", () => {
    expectOutcome(withPath(eligibleRecord(), "infections.hbsag", "positive"), "EXC-08", "fail");
    expectOutcome(withPath(eligibleRecord(), "infections.hbsag", "negative"), "EXC-08", "pass");
  });

  it("indeterminate leaves EXC-08 unknown, needing a definite HBsAg", () => {
    const c = expectOutcome(withPath(eligibleRecord(), "infections.hbsag", "indeterminate"), "EXC-08", "unknown");
    expect(c.needs).toEqual(["infections.hbsag"]);
    expect(c.reason).toContain("indeterminate");
  });

  it("indeterminate with another infectious disease fails", () => {
    const record = withPaths(eligibleRecord(), { "infections.hbsag": "indeterminate", "infections.otherInfectiousDisease": true });
    expectOutcome(record, "EXC-08", "fail");
  });

  it("indeterminate with the other infectious disease unknown stays unknown and needs both", () => {
    const record = withoutPath(withPath(eligibleRecord(), "infections.hbsag", "indeterminate"), "infections.otherInfectiousDisease");
    const c = expectOutcome(record, "EXC-08", "unknown");
    expect(c.needs).toEqual(expect.arrayContaining(["infections.hbsag", "infections.otherInfectiousDisease"]));
  });
});

describe("EXC-13 other clinical trial within the past 3 months", () => {
  const at = (screenedAt: string, last: string | null) =>
    withPath(screenedAtWithOnset(eligibleRecord(), screenedAt), "trials.lastOtherTrialParticipation", last);

  it("screening 2026-05-31: the look-back starts 2026-02-28 (no 31 February)", () => {
    const fail = expectOutcome(at("2026-05-31T10:00:00+08:00", "2026-02-28"), "EXC-13", "fail");
    expect(fail.reason).toContain("2026-02-28");
    expectOutcome(at("2026-05-31T10:00:00+08:00", "2026-02-27"), "EXC-13", "pass");
  });

  it("in a leap year the look-back from 31 May starts on 29 February", () => {
    expectOutcome(at("2028-05-31T10:00:00+08:00", "2028-02-29"), "EXC-13", "fail");
    expectOutcome(at("2028-05-31T10:00:00+08:00", "2028-02-28"), "EXC-13", "pass");
  });

  it("same day of the month: screening 2026-11-24 looks back to 2026-08-24", () => {
    expectOutcome(withPath(eligibleRecord(), "trials.lastOtherTrialParticipation", "2026-08-24"), "EXC-13", "fail");
    expectOutcome(withPath(eligibleRecord(), "trials.lastOtherTrialParticipation", "2026-08-23"), "EXC-13", "pass");
  });

  it("across a year end: screening 2026-01-15 looks back to 2025-10-15", () => {
    expectOutcome(at("2026-01-15T10:00:00Z", "2025-10-15"), "EXC-13", "fail");
    expectOutcome(at("2026-01-15T10:00:00Z", "2025-10-14"), "EXC-13", "pass");
  });

  it("uses the screening date in screenedAt's own offset", () => {
    // 2026-05-31T01:00+08:00 is 2026-05-30 in UTC, but the screening date is 31 May.
    expectOutcome(at("2026-05-31T01:00:00+08:00", "2026-02-28"), "EXC-13", "fail");
    expectOutcome(at("2026-05-31T01:00:00+08:00", "2026-02-27"), "EXC-13", "pass");
    // The same instant written in UTC is screening date 30 May: look back to 28 Feb all the same...
    expectOutcome(at("2026-05-30T17:00:00Z", "2026-02-28"), "EXC-13", "fail");
    // ...whereas screening 30 April looks back to 30 January.
    expectOutcome(at("2026-04-30T17:00:00Z", "2026-01-30"), "EXC-13", "fail");
    expectOutcome(at("2026-04-30T17:00:00Z", "2026-01-29"), "EXC-13", "pass");
  });

  it("participation on the screening date, or after it (still in a trial), fails", () => {
    expectOutcome(withPath(eligibleRecord(), "trials.lastOtherTrialParticipation", "2026-11-24"), "EXC-13", "fail");
    const c = expectOutcome(withPath(eligibleRecord(), "trials.lastOtherTrialParticipation", "2027-01-10"), "EXC-13", "fail");
    expect(c.reason).toContain("after the screening date");
  });

  it("null (never) passes; absent is unknown", () => {
    expect(expectOutcome(eligibleRecord(), "EXC-13", "pass").reason).toContain("never");
    expect(expectOutcome(withoutPath(eligibleRecord(), "trials.lastOtherTrialParticipation"), "EXC-13", "unknown").needs).toEqual([
      "trials.lastOtherTrialParticipation",
    ]);
  });
});

describe("EXC-14 compliance", () => {
  it("fails when ableToComply is false, passes when true, unknown when absent", () => {
    expectOutcome(withPath(eligibleRecord(), "consent.ableToComply", false), "EXC-14", "fail");
    expectOutcome(eligibleRecord(), "EXC-14", "pass");
    expectOutcome(withoutPath(eligibleRecord(), "consent.ableToComply"), "EXC-14", "unknown");
  });
});

describe("EXC-15 pregnancy, breastfeeding, childbearing potential without contraception", () => {
  it("is not applicable to a man, whatever his reproductive fields say or lack", () => {
    const c = expectOutcome(eligibleRecord(), "EXC-15", "not_applicable");
    expect(c.reason).toContain("not applicable");
    expectOutcome(withPaths(eligibleRecord(), { "reproductive.childbearingPotential": true, "reproductive.usesContraception": false }), "EXC-15", "not_applicable");
    expectOutcome(withoutPath(eligibleRecord(), "reproductive"), "EXC-15", "not_applicable");
  });

  it("a woman of childbearing potential using contraception passes (eligible)", () => {
    const result = screened(eligibleWoman());
    expect(criterion(result, "EXC-15").outcome).toBe("pass");
    expect(result.verdict).toBe("eligible");
  });

  it.each(["reproductive.pregnant", "reproductive.breastfeeding"])("a woman with %s true fails", (path) => {
    expectOutcome(withPath(eligibleWoman(), path, true), "EXC-15", "fail");
  });

  it("a pregnant woman fails whatever else is absent", () => {
    const record = withPath(withoutPath(eligibleWoman(), "reproductive"), "reproductive.pregnant", true);
    expectOutcome(record, "EXC-15", "fail");
  });

  it("childbearing potential without contraception fails; without childbearing potential it passes", () => {
    expectOutcome(withPath(eligibleWoman(), "reproductive.usesContraception", false), "EXC-15", "fail");
    expectOutcome(withPaths(eligibleWoman(), { "reproductive.childbearingPotential": false, "reproductive.usesContraception": false }), "EXC-15", "pass");
  });

  it("missing childbearingPotential with contraception false is unknown and needs it", () => {
    const record = withoutPath(withPath(eligibleWoman(), "reproductive.usesContraception", false), "reproductive.childbearingPotential");
    const c = expectOutcome(record, "EXC-15", "unknown");
    expect(c.needs).toEqual(["reproductive.childbearingPotential"]);
  });

  it("missing childbearingPotential is unknown at any age (age never implies menopause)", () => {
    const record = withoutPath(
      withPaths(eligibleWoman(), { "reproductive.usesContraception": false, "demographics.birthDate": "1956-12-01" }),
      "reproductive.childbearingPotential",
    );
    expectOutcome(record, "EXC-15", "unknown");
  });

  it("missing childbearingPotential is decided by another part: pregnant fails, contraception true passes", () => {
    const base = withoutPath(eligibleWoman(), "reproductive.childbearingPotential");
    expectOutcome(withPath(base, "reproductive.pregnant", true), "EXC-15", "fail");
    expectOutcome(withPath(base, "reproductive.breastfeeding", true), "EXC-15", "fail");
    expectOutcome(base, "EXC-15", "pass");
  });

  describe("sex unknown (Kleene over female too)", () => {
    const noSex = () => withoutPath(eligibleRecord(), "demographics.sex");

    it("passes when the bracket is false", () => {
      expectOutcome(noSex(), "EXC-15", "pass");
    });

    it("is unknown when the bracket is true", () => {
      const c = expectOutcome(withPath(noSex(), "reproductive.pregnant", true), "EXC-15", "unknown");
      expect(c.needs).toEqual(["demographics.sex"]);
      expectOutcome(withPaths(noSex(), { "reproductive.childbearingPotential": true, "reproductive.usesContraception": false }), "EXC-15", "unknown");
    });

    it("is unknown when the bracket is unknown", () => {
      expectOutcome(withoutPath(noSex(), "reproductive.pregnant"), "EXC-15", "unknown");
    });
  });
});

describe("INC-06 and EXC-02 read the same clock", () => {
  it("an onset 10 days ago and a heparin dose 3 days ago both use screenedAt", () => {
    const record = withPaths(eligibleRecord(), {
      "stroke.onset": beforeScreening(10 * DAY),
      "medications.lastHeparinDose": beforeScreening(3 * DAY),
      "labs.aptt": { value: 60, unit: "s" },
    });
    const result = screened(record);
    expect(criterion(result, "INC-06").outcome).toBe("pass");
    expect(criterion(result, "EXC-02").outcome).toBe("pass");
    expect(result.verdict).toBe("eligible");
  });
});
