/**
 * The question planner: which questions, in which order, for which partial records. A session is
 * simulated by answering each planned question from a table (anything not in the table is
 * answered "unknown", i.e. left absent and not asked again).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { plan, questionOrder, type Question } from "../src/interactive/planner.js";
import { stillUnknown } from "../src/interactive/status.js";
import { isBack, isoInZone, isSkip, normaliseDate, normaliseTime, offsetGiven, readLabValue, readNumber, readTime } from "../src/interactive/typed.js";
import { withValue, type JsonRecord } from "../src/text/paths.js";
import { compileRules, DEFAULT_RULES_PATH, loadRules } from "../src/rules/load.js";
import type { CompiledRules } from "../src/rules/compiled.js";

const rules = loadRules();
const options = { timeZone: "Asia/Shanghai" };
const AT = "2026-11-24T09:00:00+08:00";
const fixture = (name: string): JsonRecord => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));

type Answers = Record<string, unknown>;

/** Runs the planner to the end; returns the questions asked, in order, and the final record. */
function session(start: JsonRecord, answers: Answers = {}, r: CompiledRules = rules): { asked: string[]; questions: Question[]; record: JsonRecord } {
  let record = start;
  const asked = new Set<string>();
  const questions: Question[] = [];
  for (let i = 0; i < 200; i++) {
    const next = plan(r, record, options, asked).next;
    if (!next) break;
    expect(asked.has(next.path), `asked ${next.path} twice`).toBe(false);
    questions.push(next);
    asked.add(next.path);
    if (answers[next.path] !== undefined) record = withValue(record, next.path, answers[next.path]);
  }
  return { asked: questions.map((q) => q.path), questions, record };
}

const blank = (): JsonRecord => ({ screenedAt: AT });
const reproductive = ["reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception"];

/** A man who passes everything, answered question by question. */
const eligibleMan: Answers = {
  "demographics.birthDate": "1968-06-15",
  "demographics.sex": "male",
  "stroke.onset": "2026-11-20T14:30:00+08:00",
  "stroke.onsetIsLastKnownWell": false,
  "stroke.anteriorCirculationOcclusion": true,
  "stroke.occlusionImaging": "CTA",
  "stroke.nihss": 9,
  "stroke.aspects": 8,
  "stroke.preStrokeMrs": 0,
  "stroke.thrombolysis": false,
  "stroke.endovascularTreatment": false,
  "labs.alt": { value: 35, unit: "U/L" },
  "labs.ast": { value: 30, unit: "U/L" },
  "labs.creatinine": { value: 80, unit: "umol/L" },
  "labs.bun": { value: 5.5, unit: "mmol/L" },
  "labs.platelets": { value: 210, unit: "10^9/L" },
  "medications.lastHeparinDose": null,
  "medications.warfarin": false,
  "medications.immunosuppressants": false,
  "allergies.contrast": "none",
  "allergies.studyDrug": false,
  "allergies.allergicConstitution": false,
  "infections.hbsag": "negative",
  "infections.severeInfection": false,
  "infections.otherInfectiousDisease": false,
  "history.significantCardiacDysfunction": false,
  "history.otherBleedingTendency": false,
  "history.coagulationDisorder": false,
  "history.brainTumor": false,
  "history.epilepsy": false,
  "history.severeHeadTrauma": false,
  "history.otherMalignancy": false,
  "history.immunodeficiency": false,
  "history.otherSeriousSystemicDisease": false,
  "history.neurodegenerativeDiseaseLimitingFollowUp": false,
  "history.nasalAbnormality": false,
  "history.csfRhinorrhea": false,
  "history.uncontrolledMentalIllness": false,
  "trials.lastOtherTrialParticipation": null,
  "consent.canSignInformedConsent": true,
  "consent.ableToComply": true,
  "investigator.deemedUnsuitable": false,
};

describe("question order", () => {
  it("follows the bedside order: identity → stroke → labs → medications → history → reproductive → consent → investigator", () => {
    // Everything still open for a blank record, in asking order (the identity and the screening
    // time are given, and no criterion reads the id).
    const order = plan(rules, blank(), options, new Set()).pending.map((q) => q.path);
    const groups = [...new Set(order.map((p) => p.split(".")[0]))];
    expect(groups).toEqual(["demographics", "stroke", "labs", "medications", "allergies", "infections", "history", "trials", "reproductive", "consent", "investigator"]);
    // In the asking order right after the onset (asked only while INC-06 is still open).
    const all = questionOrder(rules);
    expect(all.indexOf("stroke.onsetIsLastKnownWell")).toBe(all.indexOf("stroke.onset") + 1);
    const high = session(blank(), { ...eligibleMan, "labs.alt": { value: 200, unit: "U/L" }, "labs.alt.uln": 90 }).asked;
    expect(high.indexOf("labs.alt.uln")).toBe(high.indexOf("labs.alt") + 1);
  });

  it("asks every field of the eligible man once, in that order, and then nothing", () => {
    const { asked, record } = session(blank(), eligibleMan);
    // The onset decides INC-06, so its last-known-well flag is not asked (see below).
    expect(asked).toEqual(Object.keys(eligibleMan).filter((p) => p !== "stroke.onsetIsLastKnownWell"));
    expect(plan(rules, record, options, new Set()).result.verdict).toBe("eligible");
  });

  it("each question carries the text of the criteria it can decide", () => {
    const { questions } = session(blank(), eligibleMan);
    const nihss = questions.find((q) => q.path === "stroke.nihss")!;
    expect(nihss.criteria).toEqual([expect.objectContaining({ id: "INC-05", text: "Pre-enrollment NIHSS score >= 6" })]);
    const comply = questions.find((q) => q.path === "consent.ableToComply")!;
    expect(comply.criteria.map((c) => c.id)).toEqual(["INC-10", "EXC-14"]);
    const dateOnly = session(blank(), { ...eligibleMan, "stroke.onset": "2026-11-23" }).questions;
    expect(dateOnly.find((q) => q.path === "stroke.onsetIsLastKnownWell")!.criteria.map((c) => c.id)).toEqual(["INC-06"]);
  });

  it("the sex question names every criterion it can decide: EXC-15, and INC-08 through the site ULNs", () => {
    const { questions } = session(blank(), eligibleMan);
    expect(questions.find((q) => q.path === "demographics.sex")!.criteria.map((c) => c.id)).toEqual(["INC-08", "EXC-15"]);
    expect(questions.find((q) => q.path === "demographics.birthDate")!.criteria.map((c) => c.id)).toEqual(["INC-01", "INC-08"]);
  });

  it("a blank record answered all-unknown asks each askable field exactly once", () => {
    const { asked } = session(blank());
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.slice(0, 4)).toEqual(["demographics.birthDate", "demographics.age", "demographics.sex", "stroke.onset"]);
    // With sex unknown, EXC-15 may apply: the reproductive questions are asked.
    for (const p of reproductive) expect(asked).toContain(p);
    // Neither screening time nor id is a criterion's field: the session asks those itself.
    expect(asked).not.toContain("screenedAt");
    expect(asked).not.toContain("id");
  });
});

describe("only what can still change an outcome is asked", () => {
  const upToHeparin = (heparin: unknown, extra: Answers = {}) => session(blank(), { ...eligibleMan, "medications.lastHeparinDose": heparin, ...extra });

  it("no heparin (null) → no aPTT question", () => {
    expect(upToHeparin(null).asked).not.toContain("labs.aptt");
  });

  it("heparin within 48 h → aPTT is asked, right after the heparin question", () => {
    const { asked } = upToHeparin("2026-11-23T20:00:00+08:00", { "labs.aptt": { value: 30, unit: "s" } });
    expect(asked.indexOf("labs.aptt")).toBe(asked.indexOf("medications.lastHeparinDose") + 1);
  });

  it("heparin 5 days ago → no aPTT question", () => {
    expect(upToHeparin("2026-11-19T08:00:00+08:00").asked).not.toContain("labs.aptt");
  });

  it("heparin unknown → aPTT is asked (a normal aPTT settles EXC-02's heparin part)", () => {
    const { asked } = session(blank(), { ...eligibleMan, "medications.lastHeparinDose": undefined });
    expect(asked.indexOf("labs.aptt")).toBe(asked.indexOf("medications.lastHeparinDose") + 1);
  });

  it("aPTT is not asked before the heparin question, although the labs come first", () => {
    const { asked } = session(blank());
    expect(asked.indexOf("labs.platelets")).toBeLessThan(asked.indexOf("medications.lastHeparinDose"));
    expect(asked.indexOf("labs.aptt")).toBeGreaterThan(asked.indexOf("medications.lastHeparinDose"));
  });

  it("warfarin false → no INR; warfarin true → INR, right after", () => {
    expect(session(blank(), eligibleMan).asked).not.toContain("labs.inr");
    const { asked } = session(blank(), { ...eligibleMan, "medications.warfarin": true, "labs.inr": { value: 1.1 } });
    expect(asked.indexOf("labs.inr")).toBe(asked.indexOf("medications.warfarin") + 1);
  });

  it("a man is asked no reproductive questions; a woman is", () => {
    const man = session(blank(), eligibleMan).asked;
    for (const p of reproductive) expect(man).not.toContain(p);
    const woman = session(blank(), { ...eligibleMan, "demographics.sex": "female" }).asked;
    for (const p of reproductive) expect(woman).toContain(p);
  });

  it("a woman not of childbearing potential is not asked about contraception", () => {
    const { asked } = session(blank(), {
      ...eligibleMan,
      "demographics.sex": "female",
      "reproductive.pregnant": false,
      "reproductive.breastfeeding": false,
      "reproductive.childbearingPotential": false,
    });
    expect(asked).toContain("reproductive.childbearingPotential");
    expect(asked).not.toContain("reproductive.usesContraception");
  });

  it("no anterior circulation occlusion → the imaging is not asked", () => {
    const { asked } = session(blank(), { ...eligibleMan, "stroke.anteriorCirculationOcclusion": false });
    expect(asked).not.toContain("stroke.occlusionImaging");
  });

  it("the date of birth gives the age: the age is asked only when the date of birth is unknown", () => {
    expect(session(blank(), eligibleMan).asked).not.toContain("demographics.age");
    const { asked } = session(blank(), { ...eligibleMan, "demographics.birthDate": undefined, "demographics.age": 58 });
    expect(asked.slice(0, 3)).toEqual(["demographics.birthDate", "demographics.age", "demographics.sex"]);
  });

  it("the last-known-well flag follows an onset answered in the session that leaves INC-06 open, not a skipped one", () => {
    // A date-only onset the day before screening: 9 to 33 hours, so the 24 h window is not decided.
    const { asked } = session(blank(), { ...eligibleMan, "stroke.onset": "2026-11-23" });
    expect(asked[asked.indexOf("stroke.onset") + 1]).toBe("stroke.onsetIsLastKnownWell");
    expect(session(blank(), { ...eligibleMan, "stroke.onset": undefined }).asked).not.toContain("stroke.onsetIsLastKnownWell");
  });

  it("the last-known-well flag is not asked once the onset has decided INC-06 (it can change no outcome)", () => {
    expect(session(blank(), eligibleMan).asked).not.toContain("stroke.onsetIsLastKnownWell");
    // Too early (INC-06 fails): the flag only relabels the reason, so it is not asked either.
    expect(session(blank(), { ...eligibleMan, "stroke.onset": "2026-11-24T08:00:00+08:00" }).asked).not.toContain("stroke.onsetIsLastKnownWell");
  });

  it("no ULN question with the trial's rules: the site ranges apply", () => {
    const { asked } = session(blank(), eligibleMan);
    expect(asked.filter((p) => p.endsWith(".uln"))).toEqual([]);
    // Also with sex and age unknown: the planner asks sex and birth date, never a ULN.
    expect(session(blank()).asked.filter((p) => p.endsWith(".uln"))).toEqual([]);
  });

  it("a ULN is asked, right after its lab, when the criterion needs it (no site range)", () => {
    const json = JSON.parse(readFileSync(DEFAULT_RULES_PATH, "utf8"));
    delete json.labs.alt.siteUln;
    const noSiteRange = compileRules(JSON.stringify(json), "test-rules");
    const { asked } = session(blank(), { ...eligibleMan, "labs.alt.uln": 40 }, noSiteRange);
    expect(asked.indexOf("labs.alt.uln")).toBe(asked.indexOf("labs.alt") + 1);
    expect(asked.filter((p) => p.endsWith(".uln"))).toEqual(["labs.alt.uln"]);
  });

  it("a lab's own ULN is offered right after it when the site range fails it, and can turn the fail into a pass", () => {
    const high = { ...eligibleMan, "labs.alt": { value: 200, unit: "U/L" } }; // > 2.5 × 50 (male site ULN)
    const { asked, questions, record } = session(blank(), { ...high, "labs.alt.uln": 90 });
    expect(asked.indexOf("labs.alt.uln")).toBe(asked.indexOf("labs.alt") + 1);
    expect(asked.filter((p) => p.endsWith(".uln"))).toEqual(["labs.alt.uln"]);
    const offer = questions.find((q) => q.path === "labs.alt.uln")!;
    expect(offer).toMatchObject({ kind: "uln", present: false });
    expect(offer.criteria).toEqual([expect.objectContaining({ id: "INC-08", reason: expect.stringContaining("ALT 200 U/L exceeds 2.5 × ULN 50 = 125 U/L (site range, male)") })]);
    expect(record.labs).toMatchObject({ alt: { value: 200, unit: "U/L", uln: 90 } });
    expect(plan(rules, record, options, new Set()).result.verdict).toBe("eligible");
    // Skipped, the site range stands: INC-08 fails, and the ULN is not offered again.
    const skipped = session(blank(), high);
    expect(skipped.asked.filter((p) => p === "labs.alt.uln")).toHaveLength(1);
    const result = plan(rules, skipped.record, options, new Set(skipped.asked)).result;
    expect(result.verdict !== "error" && result.failed).toEqual(["INC-08"]);
  });

  it("no ULN is offered that could not undo the fail: another part of the criterion fails it anyway", () => {
    const altHigh = withValue(fixture("eligible.json"), "labs.alt", { value: 200, unit: "U/L" }); // fails under the site range
    expect(plan(rules, altHigh, options, new Set()).next?.path).toBe("labs.alt.uln");
    // Creatinine 300 against the report's own ULN 104: INC-08 fails whatever ALT's ULN.
    const bothHigh = withValue(altHigh, "labs.creatinine", { value: 300, unit: "umol/L", uln: 104 });
    const planned = plan(rules, bothHigh, options, new Set());
    expect(planned.result.verdict !== "error" && planned.result.failed).toEqual(["INC-08"]);
    expect(planned.pending.map((q) => q.path)).not.toContain("labs.alt.uln");
    // Without its own ULN, creatinine's could undo the fail only together with ALT's: both are offered.
    const bothSite = withValue(altHigh, "labs.creatinine", { value: 130, unit: "umol/L" });
    expect(plan(rules, bothSite, options, new Set()).pending.map((q) => q.path)).toEqual(expect.arrayContaining(["labs.alt.uln", "labs.creatinine.uln"]));
  });

  it("the ULN is offered when the site range cannot decide (sex unknown, candidate ULNs disagree), not when it passes for every candidate", () => {
    const noSex = { ...eligibleMan, "demographics.sex": undefined };
    // 110 U/L: ≤ 2.5 × 50 (men) but > 2.5 × 40 (women).
    const open = session(blank(), { ...noSex, "labs.alt": { value: 110, unit: "U/L" } });
    expect(open.asked.indexOf("labs.alt.uln")).toBe(open.asked.indexOf("labs.alt") + 1);
    expect(open.questions.find((q) => q.path === "labs.alt.uln")!.criteria[0]!.reason).toMatch(/needs demographics\.sex/);
    // 35 U/L passes under either: no ULN question.
    expect(session(blank(), noSex).asked.filter((p) => p.endsWith(".uln"))).toEqual([]);
  });

  it("resuming a record whose lab has no ULN and fails under the site range offers the ULN first", () => {
    const record = withValue(fixture("eligible.json"), "labs.creatinine", { value: 130, unit: "umol/L" }); // > 1.25 × 97 (male, < 60)
    expect(plan(rules, record, options, new Set()).result.verdict).toBe("ineligible");
    expect(session(record).asked).toEqual(["labs.creatinine.uln"]);
    expect(session(withValue(fixture("eligible.json"), "labs.creatinine", { value: 80, unit: "umol/L" })).asked).toEqual([]);
  });

  it("the ULN offer is derived from the rules: an exclusion's part under a `not`, with another lab's name", () => {
    const json = JSON.parse(readFileSync(DEFAULT_RULES_PATH, "utf8"));
    // "fails when AST > 3 × ULN" written as an exclusion: its passing truth is false.
    json.criteria.push({ id: "EXC-99", category: "exclusion", short: "AST", text: "AST > 3 × ULN", failWhen: { not: { lab: "ast", op: "le", timesUln: "3" } } });
    const r = compileRules(JSON.stringify(json), "test-rules");
    const low = session(blank(), { ...eligibleMan, "labs.ast": { value: 110, unit: "U/L" } }, r); // ≤ 3 × 40 but > 2.5 × 40
    expect(low.questions.find((q) => q.path === "labs.ast.uln")!.criteria.map((c) => c.id)).toEqual(["INC-08"]);
    const high = session(blank(), { ...eligibleMan, "labs.ast": { value: 150, unit: "U/L" } }, r);
    expect(high.questions.find((q) => q.path === "labs.ast.uln")!.criteria.map((c) => c.id)).toEqual(["INC-08", "EXC-99"]);
  });

  it("a failing criterion does not stop the plan", () => {
    const { asked, record } = session(blank(), { ...eligibleMan, "stroke.nihss": 3 });
    expect(asked).toEqual(Object.keys(eligibleMan).filter((p) => p !== "stroke.onsetIsLastKnownWell"));
    const result = plan(rules, record, options, new Set()).result;
    expect(result.verdict).toBe("ineligible");
    if (result.verdict !== "error") expect(result.failed).toEqual(["INC-05"]);
  });

  it("a part decided by a failure is not asked for: platelets 80 → no heparin, aPTT, warfarin, INR or other bleeding questions", () => {
    const { asked } = session(blank(), { ...eligibleMan, "labs.platelets": { value: 80, unit: "10^9/L" } });
    for (const p of ["medications.lastHeparinDose", "labs.aptt", "medications.warfarin", "labs.inr", "history.otherBleedingTendency"]) expect(asked).not.toContain(p);
  });

  it("an answer that decides nothing is not asked again (imaging CT only, HBsAg indeterminate)", () => {
    const { asked } = session(blank(), { ...eligibleMan, "stroke.occlusionImaging": "CT", "infections.hbsag": "indeterminate" });
    expect(asked.filter((p) => p === "stroke.occlusionImaging")).toHaveLength(1);
    expect(asked.filter((p) => p === "infections.hbsag")).toHaveLength(1);
  });
});

describe("resume", () => {
  it("fixtures/incomplete.json asks only ASPECTS, urea/BUN, heparin, and aPTT when the heparin is unknown", () => {
    expect(session(fixture("incomplete.json")).asked).toEqual(["stroke.aspects", "labs.bun", "medications.lastHeparinDose", "labs.aptt"]);
  });

  it("fixtures/incomplete.json with no heparin asks no aPTT, and ends eligible", () => {
    const { asked, record } = session(fixture("incomplete.json"), {
      "stroke.aspects": 8,
      "labs.bun": { value: 5.5, unit: "mmol/L" },
      "medications.lastHeparinDose": null,
    });
    expect(asked).toEqual(["stroke.aspects", "labs.bun", "medications.lastHeparinDose"]);
    expect(plan(rules, record, options, new Set()).result.verdict).toBe("eligible");
  });

  it("fixtures/incomplete.json: the first question is marked missing and names INC-04", () => {
    const next = plan(rules, fixture("incomplete.json"), options, new Set()).next!;
    expect(next).toMatchObject({ path: "stroke.aspects", kind: "field", present: false });
    expect(next.criteria.map((c) => c.id)).toEqual(["INC-04"]);
  });

  it("complete records ask nothing: eligible, ineligible, a woman", () => {
    for (const name of ["eligible.json", "ineligible.json", "woman-childbearing.json", "woman-no-contraception.json"]) {
      expect(session(fixture(name)).asked, name).toEqual([]);
    }
  });

  it("a date-only onset that cannot decide the window is asked again, once, as present", () => {
    const { questions } = session(fixture("onset-date-only.json"));
    expect(questions.map((q) => q.path)).toEqual(["stroke.onset"]);
    expect(questions[0]).toMatchObject({ present: true });
  });

  it("the last-known-well flag is not asked when resuming a record that has its onset", () => {
    const record = withValue(fixture("incomplete.json"), "stroke", { ...(fixture("incomplete.json").stroke as JsonRecord), onsetIsLastKnownWell: undefined });
    expect(session(JSON.parse(JSON.stringify(record))).asked).not.toContain("stroke.onsetIsLastKnownWell");
  });

  it("an invalid record plans nothing (the session repairs it first)", () => {
    const p = plan(rules, fixture("invalid.json"), options, new Set());
    expect(p.result.verdict).toBe("error");
    expect(p.next).toBeUndefined();
  });
});

describe("typed times become the record's text (typed.ts)", () => {
  const clock = () => Date.UTC(2026, 10, 24, 1, 0, 0); // 2026-11-24 09:00 in Shanghai

  it("a time without offset gets the zone's offset; a space stands for the T", () => {
    expect(normaliseTime("2026-11-20 14:30", "Asia/Shanghai", clock)).toBe("2026-11-20T14:30+08:00");
    expect(normaliseTime("2026-07-01T08:00:00", "Europe/Berlin", clock)).toBe("2026-07-01T08:00:00+02:00");
    expect(normaliseTime("2026-12-01T08:00", "Europe/Berlin", clock)).toBe("2026-12-01T08:00+01:00");
  });

  it("an offset given is kept; a date alone and anything unreadable pass through for the schema to judge", () => {
    expect(normaliseTime("2026-11-20T14:30:00Z", "Asia/Shanghai", clock)).toBe("2026-11-20T14:30:00Z");
    expect(normaliseTime(" 2026-11-20 14:30 +05:30 ", "Asia/Shanghai", clock)).toBe("2026-11-20T14:30+05:30");
    expect(normaliseTime("2026-11-23", "Asia/Shanghai", clock)).toBe("2026-11-23");
    expect(normaliseTime("yesterday", "Asia/Shanghai", clock)).toBe("yesterday");
  });

  it("blank, ? and unknown mean unknown; now is the injected clock in the zone", () => {
    for (const blankish of ["", "  ", "?", "unknown", "UNKNOWN"]) expect(normaliseTime(blankish, "UTC", clock)).toBeUndefined();
    expect(normaliseTime("now", "Asia/Shanghai", clock)).toBe("2026-11-24T09:00:00+08:00");
    expect(isoInZone(clock(), "America/New_York")).toBe("2026-11-23T20:00:00-05:00");
  });
});

describe("typed answers (typed.ts)", () => {
  const clock = () => Date.UTC(2026, 10, 24, 1, 0, 0);

  it("the skip words the banner advertises skip every kind of typed answer", () => {
    for (const word of ["", "   ", "unknown", "Unknown", "?", " ? "]) {
      expect(isSkip(word), word).toBe(true);
      expect(readNumber(word), word).toEqual({ kind: "skip" });
      expect(normaliseDate(word), word).toBeUndefined();
      expect(normaliseTime(word, "UTC", clock), word).toBeUndefined();
    }
    expect(isSkip("unknow")).toBe(false);
  });

  it("numbers are decimal as written: hex, binary, octal, exponents and commas are refused", () => {
    for (const [typed, value] of [["9", 9], ["5.5", 5.5], [" 0.25 ", 0.25], [".5", 0.5], ["7.", 7], ["+3", 3], ["-2", -2], ["-0", 0]] as const) {
      expect(readNumber(typed), typed).toEqual({ kind: "number", value });
    }
    for (const typed of ["0x9", "0b1001", "0o11", "1e3", "1,5", "Infinity", "9 9", "nine", "5 mg"]) {
      expect(readNumber(typed), typed).toMatchObject({ kind: "bad", message: expect.stringContaining("is not a decimal number") });
    }
    expect(readNumber("1.80000000000000001")).toMatchObject({ kind: "bad", message: expect.stringContaining("more digits than can be compared exactly") });
  });

  it("a lab value may be typed with its unit, read against the lab's declared units (symbol or name, any case)", () => {
    const unitsOf = (name: string) => [...rules.labs.get(name)!.units].map(([unit, u]) => (u.name ? { unit, name: u.name } : { unit }));
    const creatinine = unitsOf("creatinine");
    const bun = unitsOf("bun");
    expect(readLabValue("1.1 mg/dL", creatinine)).toEqual({ kind: "number", value: 1.1, unit: "mg/dL" });
    expect(readLabValue("80 umol/L", creatinine)).toEqual({ kind: "number", value: 80, unit: "umol/L" });
    expect(readLabValue("80umol/l", creatinine)).toEqual({ kind: "number", value: 80, unit: "umol/L" });
    expect(readLabValue("22 BUN", bun)).toEqual({ kind: "number", value: 22, unit: "mg/dL" });
    expect(readLabValue("22 urea", bun)).toEqual({ kind: "number", value: 22, unit: "mmol/L" });
    expect(readLabValue("22", bun)).toEqual({ kind: "number", value: 22 });
    expect(readLabValue("?", bun)).toEqual({ kind: "skip" });
    expect(readLabValue("80 mmol/L", creatinine)).toMatchObject({ kind: "bad", message: expect.stringContaining('"mmol/L" is not a unit of this lab') });
    expect(readLabValue("1.2 mg", unitsOf("inr"))).toMatchObject({ kind: "bad", message: "this lab has no unit: type the number alone" });
    // Glued letters are a misread number, said as for any number.
    expect(readLabValue("0x9", creatinine)).toMatchObject({ kind: "bad", message: expect.stringContaining("is not a decimal number") });
  });

  it("back is its own word, not a skip", () => {
    expect(isBack(" Back ")).toBe(true);
    expect(isSkip("back")).toBe(false);
    expect(isBack("?")).toBe(false);
  });
});

describe("the offset a typed time is read in", () => {
  const clock = () => Date.UTC(2026, 10, 24, 1, 0, 0);
  const plus8 = { timeZone: "UTC", offsetMin: 480 };

  it("without an offset: the screening time's offset when known, else the machine's zone, and it says which", () => {
    expect(readTime("2026-11-23 07:00", plus8, clock)).toEqual({ text: "2026-11-23T07:00+08:00", readIn: "the screening time's offset" });
    expect(readTime("2026-11-23 07:00", { timeZone: "UTC" }, clock)).toEqual({ text: "2026-11-23T07:00+00:00", readIn: "UTC, this machine's zone" });
    expect(readTime("2026-07-01 07:00", { timeZone: "Europe/Berlin", offsetMin: 60 }, clock)!.text).toBe("2026-07-01T07:00+01:00"); // the offset, not the zone's summer time
    expect(readTime("now", plus8, clock)).toEqual({ text: "2026-11-24T09:00:00+08:00", readIn: "the screening time's offset" });
  });

  it("an offset typed by the user always wins; a date alone is left for the day rule", () => {
    expect(readTime("2026-11-23 07:00 -05:00", plus8, clock)).toEqual({ text: "2026-11-23T07:00-05:00" });
    expect(readTime("2026-11-23T07:00Z", plus8, clock)).toEqual({ text: "2026-11-23T07:00Z" });
    expect(readTime("2026-11-23", plus8, clock)).toEqual({ text: "2026-11-23" });
  });

  it("the screening time's offset counts only when it was written with one", () => {
    expect(offsetGiven("2026-11-24T09:00:00+08:00")).toBe(480);
    expect(offsetGiven("2026-11-24T09:00:00Z")).toBe(0);
    expect(offsetGiven("2026-11-24T09:00:00")).toBeUndefined();
    expect(offsetGiven(undefined)).toBeUndefined();
  });

  it("read at the screening time's offset, a typed onset keeps INC-06 as the bedside meant it", () => {
    const record = withValue(fixture("eligible.json"), "stroke.onset", readTime("2026-11-23 08:30", plus8, clock)!.text);
    expect(plan(rules, record, { timeZone: "UTC" }, new Set()).result.verdict).toBe("eligible");
    const machine = withValue(fixture("eligible.json"), "stroke.onset", readTime("2026-11-23 08:30", { timeZone: "UTC" }, clock)!.text);
    const result = plan(rules, machine, { timeZone: "UTC" }, new Set()).result;
    expect(result.verdict !== "error" && result.failed).toEqual(["INC-06"]); // 16 h 30 min: too early
  });
});

describe("the closing summary", () => {
  it("names the skipped questions that would decide what is still unknown", () => {
    const record = withValue(withValue(fixture("eligible.json"), "stroke", { ...(fixture("eligible.json").stroke as JsonRecord), nihss: undefined }), "stroke.occlusionImaging", "CT");
    const result = plan(rules, JSON.parse(JSON.stringify(record)), options, new Set()).result;
    if (result.verdict === "error") throw new Error("invalid");
    expect(stillUnknown(rules, result, new Set(["stroke.nihss"]))).toEqual([
      "Still unknown: INC-02, INC-05.",
      "  Skipped, and would decide them: NIHSS (INC-05).",
      "  INC-02: nothing left to ask would decide it.",
    ]);
    expect(stillUnknown(rules, result, new Set())).toEqual(["Still unknown: INC-02, INC-05.", "  INC-02, INC-05: nothing left to ask would decide them."]);
  });
});
