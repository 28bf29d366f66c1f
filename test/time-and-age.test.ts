/**
 * Age on the screening date (INC-01), the 24 h – 14 d onset window (INC-06), the 48 h heparin
 * window (EXC-02), date-only values, and UTC offsets.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES_PATH, compileRules } from "../src/index.js";
import {
  DAY,
  HOUR,
  SCREENED_AT,
  beforeScreening,
  criterion,
  eligibleRecord,
  errorAt,
  expectOutcome,
  invalid,
  outcome,
  screened,
  screenedAtWithOnset,
  withPath,
  withPaths,
  withoutPath,
} from "./helpers/records.js";

const born = (birthDate: string) => withPath(eligibleRecord(), "demographics.birthDate", birthDate);
const aged = (age: number) => withPath(withoutPath(eligibleRecord(), "demographics.birthDate"), "demographics.age", age);

describe("INC-01 age 18–70 from the date of birth (screening date 2026-11-24)", () => {
  it("17 the day before the 18th birthday fails", () => {
    expect(expectOutcome(born("2008-11-25"), "INC-01", "fail").reason).toBe("age 17 (born 2008-11-25) is below 18");
  });

  it("18 on the 18th birthday itself passes", () => {
    expect(expectOutcome(born("2008-11-24"), "INC-01", "pass").reason).toBe("age 18 (born 2008-11-24) is within 18–70");
  });

  it("70 the day before the 71st birthday passes", () => {
    expectOutcome(born("1955-11-25"), "INC-01", "pass");
  });

  it("71 on the 71st birthday fails", () => {
    expect(expectOutcome(born("1955-11-24"), "INC-01", "fail").reason).toBe("age 71 (born 1955-11-24) is above 70");
  });

  it("the screening date is the date of screenedAt in its own offset (same instant, different age)", () => {
    // 2026-11-24T09:00+08:00 and 2026-11-23T20:00-05:00 are the same instant (01:00Z).
    const plus8 = withPath(born("2008-11-24"), "screenedAt", "2026-11-24T09:00:00+08:00");
    const minus5 = withPath(born("2008-11-24"), "screenedAt", "2026-11-23T20:00:00-05:00");
    expect(screened(plus8).screenedAt).toBe(screened(minus5).screenedAt);
    expectOutcome(plus8, "INC-01", "pass");
    expect(expectOutcome(minus5, "INC-01", "fail").reason).toContain("age 17");
  });

  it("a 29 February birthday is reached on 1 March in a common year", () => {
    const leapling = born("2008-02-29");
    expect(expectOutcome(screenedAtWithOnset(leapling, "2026-02-28T12:00:00Z"), "INC-01", "fail").reason).toContain("age 17");
    expect(expectOutcome(screenedAtWithOnset(leapling, "2026-03-01T12:00:00Z"), "INC-01", "pass").reason).toContain("age 18");
  });

  it("a 29 February birthday is reached on 29 February in a leap year", () => {
    expect(outcome(screenedAtWithOnset(born("2012-02-29"), "2030-02-28T12:00:00Z"), "INC-01").reason).toContain("age 17");
    expect(outcome(screenedAtWithOnset(born("2012-02-29"), "2032-02-29T12:00:00Z"), "INC-01").reason).toContain("age 20");
    expect(outcome(screenedAtWithOnset(born("2012-02-29"), "2032-02-28T12:00:00Z"), "INC-01").reason).toContain("age 19");
  });
});

describe("INC-01 with the age given directly", () => {
  it.each([
    [17, "fail", "age 17 is below 18"],
    [18, "pass", "age 18 is within 18–70"],
    [70, "pass", "age 70 is within 18–70"],
    [71, "fail", "age 71 is above 70"],
  ] as const)("age %i → %s", (age, expected, reason) => {
    expect(expectOutcome(aged(age), "INC-01", expected).reason).toBe(reason);
  });

  it("age and birthDate that agree are accepted", () => {
    expectOutcome(withPath(eligibleRecord(), "demographics.age", 58), "INC-01", "pass");
  });

  it("age and birthDate that disagree make the record invalid, naming demographics.age", () => {
    const result = invalid(withPath(eligibleRecord(), "demographics.age", 57));
    const error = errorAt(result, "demographics.age");
    expect(error.message).toContain("58");
    expect(error.message).toContain("1968-06-15");
  });

  it("age from a 29 February birthday: 18 on 28 Feb 2026 disagrees (17 completed years)", () => {
    const record = screenedAtWithOnset(withPaths(eligibleRecord(), { "demographics.birthDate": "2008-02-29", "demographics.age": 18 }), "2026-02-28T12:00:00Z");
    expect(errorAt(invalid(record), "demographics.age").message).toContain("17");
  });

  it("no age and no birthDate leaves INC-01 unknown", () => {
    const c = expectOutcome(withoutPath(eligibleRecord(), "demographics.birthDate"), "INC-01", "unknown");
    expect(c.needs).toEqual(["demographics.age"]);
  });
});

describe("INC-06 within 24 hours to 14 days of onset, across UTC offsets", () => {
  // Onset written in +08:00: 2026-11-20T08:00+08:00 is 2026-11-20T00:00Z.
  const ONSET = "2026-11-20T08:00:00+08:00";
  const at = (screenedAt: string) => withPaths(eligibleRecord(), { "stroke.onset": ONSET, screenedAt });

  it("exactly 24 h (screenedAt in Z) passes; 1 ms less fails", () => {
    const pass = expectOutcome(at("2026-11-21T00:00:00Z"), "INC-06", "pass");
    expect(pass.reason).toContain("the window opens at 2026-11-21 00:00 +00:00 and closes at 2026-12-04 00:00 +00:00");
    const fail = expectOutcome(at("2026-11-20T23:59:59.999Z"), "INC-06", "fail");
    // Exact to the millisecond: a reason rounded to "24 h" would contradict its own fail.
    expect(fail.reason).toBe("stroke onset 23 h 59 min 59.999 s before screening: the window opens at 2026-11-21 00:00 +00:00 and closes at 2026-12-04 00:00 +00:00: not yet open at screening");
  });

  it("exactly 24 h (screenedAt in -05:00) passes; 1 ms less fails", () => {
    const pass = expectOutcome(at("2026-11-20T19:00:00-05:00"), "INC-06", "pass");
    expect(pass.reason).toContain("opens at 2026-11-20 19:00 -05:00");
    expectOutcome(at("2026-11-20T18:59:59.999-05:00"), "INC-06", "fail");
  });

  it("exactly 14 days (Z) passes; 1 ms more fails", () => {
    expect(expectOutcome(at("2026-12-04T00:00:00Z"), "INC-06", "pass").reason).toContain("14 d before screening");
    expect(expectOutcome(at("2026-12-04T00:00:00.001Z"), "INC-06", "fail").reason).toMatch(/^stroke onset 14 d 0\.001 s before screening: .*: already closed at screening$/);
  });

  it("exactly 14 days (-05:00) passes; 1 ms more fails", () => {
    expectOutcome(at("2026-12-03T19:00:00-05:00"), "INC-06", "pass");
    expectOutcome(at("2026-12-03T19:00:00.001-05:00"), "INC-06", "fail");
  });

  it("the same boundaries relative to the eligible record's screenedAt (+08:00)", () => {
    const onset = (ms: number) => withPath(eligibleRecord(), "stroke.onset", beforeScreening(ms));
    expectOutcome(onset(DAY), "INC-06", "pass");
    expectOutcome(onset(DAY - 1), "INC-06", "fail");
    expectOutcome(onset(14 * DAY), "INC-06", "pass");
    expectOutcome(onset(14 * DAY + 1), "INC-06", "fail");
  });

  it("too early is not forever: a fail only because the window has not opened carries recheckAt, the opening instant in the screening offset", () => {
    const early = expectOutcome(withPath(eligibleRecord(), "stroke.onset", "2026-11-24T07:00:00+08:00"), "INC-06", "fail");
    expect(early.recheckAt).toBe("2026-11-25T07:00:00.000+08:00");
    // The onset's own offset does not matter; the screening offset does (screenedAt in -05:00).
    const west = expectOutcome(at("2026-11-20T18:59:59.999-05:00"), "INC-06", "fail");
    expect(west.recheckAt).toBe("2026-11-20T19:00:00.000-05:00");
    // A window already closed, or a pass, has none; the rest of the result is unchanged.
    expect(expectOutcome(at("2026-12-04T00:00:00.001Z"), "INC-06", "fail").recheckAt).toBeUndefined();
    expect(expectOutcome(at("2026-11-21T00:00:00Z"), "INC-06", "pass").recheckAt).toBeUndefined();
    const result = screened(withPath(eligibleRecord(), "stroke.onset", "2026-11-24T07:00:00+08:00"));
    expect(result.criteria.filter((c) => c.recheckAt !== undefined).map((c) => c.id)).toEqual(["INC-06"]);
  });

  it("recheckAt is generic: any elapsed minimum, also inside an all, and only when nothing else fails there", () => {
    const json = JSON.parse(readFileSync(DEFAULT_RULES_PATH, "utf8"));
    const inc05 = json.criteria.find((c: { id: string }) => c.id === "INC-05");
    // A made-up rule: NIHSS at least 6 and the onset at least 30 h ago.
    inc05.passWhen = { all: [inc05.passWhen, { elapsed: { since: "stroke.onset", min: "30h" } }] };
    const edited = compileRules(JSON.stringify(json), "inc05-30h.json");
    const onset = withPath(eligibleRecord(), "stroke.onset", "2026-11-23T09:00:00+08:00"); // 24 h before screening
    expect(criterion(screened(onset, {}, edited), "INC-05")).toMatchObject({ outcome: "fail", recheckAt: "2026-11-24T15:00:00.000+08:00" });
    const lowScore = withPath(onset, "stroke.nihss", 5); // fails for a reason time does not mend
    expect(criterion(screened(lowScore, {}, edited), "INC-05").recheckAt).toBeUndefined();
  });

  it("an onset at screenedAt itself is valid and fails the window", () => {
    expectOutcome(withPath(eligibleRecord(), "stroke.onset", SCREENED_AT), "INC-06", "fail");
  });

  it("says 'last known well' when the onset is the last-known-well time", () => {
    const lkw = expectOutcome(withPath(eligibleRecord(), "stroke.onsetIsLastKnownWell", true), "INC-06", "pass");
    expect(lkw.reason).toContain("from last known well");
    const witnessed = expectOutcome(eligibleRecord(), "INC-06", "pass");
    expect(witnessed.reason).toContain("stroke onset 3 d 18 h 30 min before screening");
    expect(witnessed.reason).not.toContain("last known well");
  });

  it("counts the window from last known well all the same (the boundary does not move)", () => {
    const record = withPaths(eligibleRecord(), { "stroke.onsetIsLastKnownWell": true, "stroke.onset": beforeScreening(DAY - 1) });
    expect(expectOutcome(record, "INC-06", "fail").reason).toContain("last known well");
  });

  it("absent onset is unknown", () => {
    expect(expectOutcome(withoutPath(eligibleRecord(), "stroke.onset"), "INC-06", "unknown").needs).toEqual(["stroke.onset"]);
  });
});

describe("INC-06 with a date-only onset (the whole day in screenedAt's offset)", () => {
  const dated = (onset: string, screenedAt = SCREENED_AT) => withPaths(eligibleRecord(), { "stroke.onset": onset, screenedAt });

  it("passes when every moment of the day is inside the window, with a warning", () => {
    const result = screened(dated("2026-11-22"));
    const c = criterion(result, "INC-06");
    expect(c.outcome).toBe("pass");
    expect(c.reason).toContain("date only");
    expect(c.reason).toContain("at every time of that day");
    expect(result.verdict).toBe("eligible");
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.path).toBe("stroke.onset");
    expect(result.warnings[0]!.message).toContain("+08:00");
  });

  it("passes on the earliest whole day inside 14 days (2026-11-11)", () => {
    expectOutcome(dated("2026-11-11"), "INC-06", "pass");
  });

  it("fails when every moment of the day is outside the window", () => {
    const result = screened(dated("2026-11-09"));
    expect(criterion(result, "INC-06").outcome).toBe("fail");
    expect(criterion(result, "INC-06").reason).toContain("outside");
    expect(result.warnings.map((w) => w.path)).toEqual(["stroke.onset"]);
  });

  it("is unknown when the day straddles the 24 h bound, needing the time", () => {
    const result = screened(dated("2026-11-23"));
    const c = criterion(result, "INC-06");
    expect(c.outcome).toBe("unknown");
    expect(c.needs).toEqual(["stroke.onset"]);
    expect(c.reason).toContain("9 h to 1 d 9 h");
    expect(result.verdict).toBe("incomplete");
    expect(result.warnings.map((w) => w.path)).toEqual(["stroke.onset"]);
  });

  it("is unknown when the day straddles the 14 d bound", () => {
    expectOutcome(dated("2026-11-10"), "INC-06", "unknown");
  });

  it("with screening at midnight, the window's ends are inclusive for a whole day", () => {
    const midnight = "2026-11-24T00:00:00+08:00";
    expectOutcome(dated("2026-11-10", midnight), "INC-06", "pass"); // 13 d .. exactly 14 d
    expectOutcome(dated("2026-11-09", midnight), "INC-06", "fail"); // 14 d + 1 ms at the least
    expectOutcome(dated("2026-11-22", midnight), "INC-06", "pass"); // 24 h + 1 ms .. 48 h
    expectOutcome(dated("2026-11-23", midnight), "INC-06", "unknown"); // 1 ms .. 24 h
  });

  it("reads the day in screenedAt's offset (same instant, different outcome)", () => {
    // 09:00+08:00 on the 24th: the 22nd (+08:00) is 33 h to 57 h ago.
    expectOutcome(dated("2026-11-22", "2026-11-24T09:00:00+08:00"), "INC-06", "pass");
    // 20:00-05:00 on the 23rd (the same instant): the 22nd (-05:00) is 20 h to 44 h ago.
    expectOutcome(dated("2026-11-22", "2026-11-23T20:00:00-05:00"), "INC-06", "unknown");
  });

  it("on the screening date itself the day ends at screenedAt (fails the 24 h bound, warns 'up to screenedAt')", () => {
    const result = screened(dated("2026-11-24"));
    expect(criterion(result, "INC-06").outcome).toBe("fail");
    expect(criterion(result, "INC-06").reason).toContain("0 min to 9 h");
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ path: "stroke.onset" });
    expect(result.warnings[0]!.message).toContain("up to screenedAt");
  });

  it("on the screening date itself the day ends at screenedAt (a window from 0 h passes)", () => {
    // A copy of the rules whose INC-06 window starts at 0 h: the screening date counts as
    // 00:00 to screenedAt, so every moment of it is inside; a whole 24 h day would not be.
    const text = readFileSync(DEFAULT_RULES_PATH, "utf8");
    const edited = text.replace('"min": "24h"', '"min": "0h"');
    expect(edited).not.toBe(text);
    const fromZero = compileRules(edited, "inc06-from-zero.json");
    expect(criterion(screened(dated("2026-11-24"), {}, fromZero), "INC-06").outcome).toBe("pass");
    expect(criterion(screened(dated("2026-11-24", "2026-11-24T23:59:00+08:00"), {}, fromZero), "INC-06").outcome).toBe("pass");
  });

  it("a date after the screening date is invalid", () => {
    const error = errorAt(invalid(dated("2026-11-25")), "stroke.onset");
    expect(error.message).toContain("after the screening date 2026-11-24");
  });

  it("whether a date is after the screening date is judged in screenedAt's own offset", () => {
    // 2026-11-24T09:00+08:00 is 01:00Z; the screening date is the 24th, not the 23rd.
    expectOutcome(dated("2026-11-24", "2026-11-24T01:00:00+08:00"), "INC-06", "fail");
    errorAt(invalid(dated("2026-11-24", "2026-11-23T17:00:00Z")), "stroke.onset");
  });
});

describe("EXC-02 heparin within 48 h (inclusive) with aPTT ≥ 35 s", () => {
  const heparin = (last: string | null, aptt = 40) =>
    withPaths(eligibleRecord(), { "medications.lastHeparinDose": last, "labs.aptt": { value: aptt, unit: "s" } });

  it("exactly 48 h counts; 48 h + 1 ms does not", () => {
    const fail = expectOutcome(heparin(beforeScreening(48 * HOUR)), "EXC-02", "fail");
    expect(fail.reason).toContain("aPTT 40 s is at least 35 s");
    expectOutcome(heparin(beforeScreening(48 * HOUR + 1)), "EXC-02", "pass");
  });

  it("exactly 48 h across offsets (+08:00, Z and -05:00 spellings)", () => {
    expectOutcome(heparin("2026-11-22T09:00:00+08:00"), "EXC-02", "fail");
    expectOutcome(heparin("2026-11-22T01:00:00Z"), "EXC-02", "fail");
    expectOutcome(heparin("2026-11-21T20:00:00-05:00"), "EXC-02", "fail");
    expectOutcome(heparin("2026-11-22T00:59:59.999Z"), "EXC-02", "pass");
    expectOutcome(heparin("2026-11-21T19:59:59.999-05:00"), "EXC-02", "pass");
  });

  it("a dose at screenedAt itself counts", () => {
    expectOutcome(heparin(SCREENED_AT), "EXC-02", "fail");
  });

  it("a dose 1 ms after screenedAt is invalid", () => {
    const error = errorAt(invalid(heparin("2026-11-24T09:00:00.001+08:00")), "medications.lastHeparinDose");
    expect(error.message).toContain("after screenedAt");
  });

  it("date only: the day before screening is wholly within 48 h", () => {
    const result = screened(heparin("2026-11-23"));
    expect(criterion(result, "EXC-02").outcome).toBe("fail");
    expect(result.warnings.map((w) => w.path)).toEqual(["medications.lastHeparinDose"]);
  });

  it("date only: the screening date itself is within 48 h", () => {
    expectOutcome(heparin("2026-11-24"), "EXC-02", "fail");
  });

  it("date only: a day straddling the 48 h bound is unknown, needing the time", () => {
    const c = expectOutcome(heparin("2026-11-22"), "EXC-02", "unknown");
    expect(c.needs).toEqual(["medications.lastHeparinDose"]);
  });

  it("date only: a straddling day does not matter when aPTT < 35 s", () => {
    expectOutcome(heparin("2026-11-22", 30), "EXC-02", "pass");
  });

  it("date only: a day wholly before the 48 h window passes", () => {
    expectOutcome(heparin("2026-11-21"), "EXC-02", "pass");
  });

  it("date only: a date after the screening date is invalid", () => {
    errorAt(invalid(heparin("2026-11-25")), "medications.lastHeparinDose");
  });
});

describe("offsets and timestamps, read and worded (src/time/instant.ts)", () => {
  it("words an offset the same however often it is asked (the wording is remembered)", async () => {
    const { formatOffset } = await import("../src/time/instant.js");
    for (let i = 0; i < 2; i++) {
      expect([345, -570, 0, -0, 840, -720].map(formatOffset)).toEqual(["+05:45", "-09:30", "+00:00", "+00:00", "+14:00", "-12:00"]);
    }
  });

  it("reads every part of a timestamp, fraction digits past the millisecond included", async () => {
    const { parseTime } = await import("../src/time/instant.js");
    expect(parseTime("2026-11-24T09:05:07.1234+05:45", "UTC", false)).toEqual({ kind: "instant", instant: { ms: Date.UTC(2026, 10, 24, 3, 20, 7, 123) + 0.4, offsetMin: 345 }, offsetGiven: true });
    expect(parseTime("2026-11-24T09:05Z", "UTC", false)).toEqual({ kind: "instant", instant: { ms: Date.UTC(2026, 10, 24, 9, 5), offsetMin: 0 }, offsetGiven: true });
    expect(parseTime("2026-11-24T09:05:07,5-03", "UTC", false)).toEqual({ kind: "instant", instant: { ms: Date.UTC(2026, 10, 24, 12, 5, 7, 500), offsetMin: -180 }, offsetGiven: true });
    expect(parseTime("2026-02-30T09:05Z", "UTC", false)).toBeNull();
  });
});
