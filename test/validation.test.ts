/**
 * Invalid records (every error at once, each naming its path), unknown fields, timestamps without
 * an offset, and where the screening time comes from.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson, textProblems } from "../src/text/json.js";
import { UsageError } from "../src/index.js";
import {
  criterion,
  eligibleRecord,
  errorAt,
  errorPaths,
  invalid,
  run,
  screened,
  withPath,
  withPaths,
  withoutPath,
} from "./helpers/records.js";

describe("wrong types and out-of-range values", () => {
  it.each([
    ["stroke.nihss", "9", "an integer from 0 to 42"],
    ["stroke.nihss", 6.5, "an integer from 0 to 42"],
    ["stroke.nihss", 43, "an integer from 0 to 42"],
    ["stroke.nihss", -1, "an integer from 0 to 42"],
    ["stroke.preStrokeMrs", 6, "an integer from 0 to 5"],
    ["stroke.aspects", 11, "an integer from 0 to 10"],
    ["demographics.age", 131, "an integer from 0 to 130"],
    ["demographics.age", -1, "an integer from 0 to 130"],
    ["demographics.sex", "M", '"female", "male"'],
    ["stroke.occlusionImaging", "cta", '"CTA", "MRA"'],
    ["allergies.contrast", "mild", '"none", "mild-rash", "severe"'],
    ["infections.hbsag", "unknown", '"positive", "negative", "indeterminate"'],
    ["history.epilepsy", "no", "true or false"],
    ["history.epilepsy", 0, "true or false"],
    ["stroke.thrombolysis", "false", "true or false"],
    ["id", 17, "a string"],
  ])("%s = %j is invalid (expected %s)", (path, value, expected) => {
    const error = errorAt(invalid(withPath(eligibleRecord(), path, value)), path);
    expect(error.message).toContain(expected);
  });

  it.each([
    ["stroke.onset", "20 Nov 2026"],
    ["stroke.onset", "2026-11-20T25:00:00+08:00"],
    ["stroke.onset", "2026-02-30T10:00:00+08:00"],
    ["stroke.onset", 1763620200000],
    ["screenedAt", "2026-11-24"],
    ["screenedAt", "yesterday"],
    ["demographics.birthDate", "1968-06-15T00:00:00Z"],
    ["demographics.birthDate", "1968-02-30"],
    ["demographics.birthDate", "15/06/1968"],
    ["trials.lastOtherTrialParticipation", "2026-09-01T00:00:00Z"],
    ["medications.lastHeparinDose", "soon"],
  ])("%s = %j is not a valid time", (path, value) => {
    errorAt(invalid(withPath(eligibleRecord(), path, value)), path);
  });

  it("a timestamp's message says what was expected", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "stroke.onset", "20 Nov 2026")), "stroke.onset");
    expect(error.message).toContain("ISO 8601");
    expect(error.message).toContain("20 Nov 2026");
  });

  it("a date-only screenedAt is invalid (it needs a time of day)", () => {
    expect(errorAt(invalid(withPath(eligibleRecord(), "screenedAt", "2026-11-24")), "screenedAt").message).toContain("time of day");
  });

  it.each(["stroke.nihss", "history.epilepsy", "demographics.sex", "demographics.birthDate", "stroke.onset", "screenedAt", "consent.ableToComply", "labs.platelets"])(
    "null is a type error in %s",
    (path) => {
      errorAt(invalid(withPath(eligibleRecord(), path, null)), path);
    },
  );

  it("null is allowed (known none) in lastHeparinDose and lastOtherTrialParticipation", () => {
    const result = screened(eligibleRecord());
    expect(result.verdict).toBe("eligible");
    expect(criterion(result, "EXC-13").reason).toBe("never in another clinical trial");
  });

  it.each([
    ["history", []],
    ["stroke", "x"],
    ["labs", null],
    ["demographics", 5],
  ])("a group %s that is not an object is invalid", (path, value) => {
    errorAt(invalid(withPath(eligibleRecord(), path, value)), path);
  });

  it("a man's reproductive fields are still type-checked", () => {
    errorAt(invalid(withPath(eligibleRecord(), "reproductive.childbearingPotential", "no")), "reproductive.childbearingPotential");
  });
});

describe("contradictions", () => {
  it("onset after screenedAt (by 1 ms) is invalid", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "stroke.onset", "2026-11-24T01:00:00.001Z")), "stroke.onset");
    expect(error.message).toContain("after screenedAt");
  });

  it("onset before birth is invalid", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "stroke.onset", "1968-06-14T10:00:00+08:00")), "stroke.onset");
    expect(error.message).toContain("demographics.birthDate");
  });

  it("a date-only onset before birth is invalid", () => {
    errorAt(invalid(withPath(eligibleRecord(), "stroke.onset", "1960-01-01")), "stroke.onset");
  });

  it("birth after screening is invalid", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "demographics.birthDate", "2026-11-25")), "demographics.birthDate");
    expect(error.message).toContain("after the screening date 2026-11-24");
  });

  it("birth on the screening date is valid (age 0, INC-01 fails)", () => {
    const record = withPaths(eligibleRecord(), { "demographics.birthDate": "2026-11-24", "stroke.onset": "2026-11-24T08:00:00+08:00" });
    expect(criterion(screened(record), "INC-01").outcome).toBe("fail");
  });

  it("a birth date giving an age above 130 is invalid", () => {
    errorAt(invalid(withPath(eligibleRecord(), "demographics.birthDate", "1890-01-01")), "demographics.birthDate");
  });

  it("age disagreeing with birthDate is invalid", () => {
    errorAt(invalid(withPath(eligibleRecord(), "demographics.age", 60)), "demographics.age");
  });

  it("heparin after screenedAt is invalid", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "medications.lastHeparinDose", "2026-11-24T12:00:00+08:00")), "medications.lastHeparinDose");
    expect(error.message).toContain("after screenedAt");
  });

  it.each([
    ["reproductive.pregnant", "pregnant"],
    ["reproductive.breastfeeding", "breastfeeding"],
  ])("a man with %s true is invalid", (path, word) => {
    const error = errorAt(invalid(withPath(eligibleRecord(), path, true)), path);
    expect(error.message).toContain(word);
    expect(error.message).toContain("man");
  });

  it("a pregnant woman, or a pregnant patient of unknown sex, is valid", () => {
    expect(screened(withPaths(eligibleRecord(), { "demographics.sex": "female", "reproductive.pregnant": true })).verdict).toBe("ineligible");
    expect(screened(withoutPath(withPath(eligibleRecord(), "reproductive.pregnant", true), "demographics.sex")).verdict).toBe("incomplete");
  });
});

describe("every error at once", () => {
  it("reports each offending path, never a verdict, and echoes the id", () => {
    const record = withPaths(eligibleRecord(), {
      "stroke.nihss": 50,
      "labs.creatinine": { value: 1.1, unit: "umol/L" },
      "stroke.onset": "2026-11-24T15:00:00+08:00",
      "labs.inr": { value: 1, unit: "ratio" },
      "demographics.sex": "M",
      "history.epilepsy": null,
      "medications.lastHeparinDose": "2026-11-25",
      "trials.lastOtherTrialParticipation": "2026-09-01T00:00:00Z",
    });
    const result = invalid(record);
    expect(result.id).toBe("T-0001");
    expect(result).not.toHaveProperty("criteria");
    expect(result).not.toHaveProperty("failed");
    expect([...errorPaths(result)].sort()).toEqual(
      [
        "demographics.sex",
        "history.epilepsy",
        "labs.creatinine.value",
        "labs.inr.unit",
        "medications.lastHeparinDose",
        "stroke.nihss",
        "stroke.onset",
        "trials.lastOtherTrialParticipation",
      ].sort(),
    );
    for (const e of result.errors) expect(e.message.length, e.path).toBeGreaterThan(5);
    expect(result.rules.trial).toBe("NCT07232563");
  });

  it("reports a man pregnant and breastfeeding and a disagreeing age together", () => {
    const record = withPaths(eligibleRecord(), { "reproductive.pregnant": true, "reproductive.breastfeeding": true, "demographics.age": 30 });
    expect([...errorPaths(invalid(record))].sort()).toEqual(["demographics.age", "reproductive.breastfeeding", "reproductive.pregnant"]);
  });
});

describe("input that is not an object", () => {
  it.each([
    ["an array", [eligibleRecord()]],
    ["null", null],
    ["a string", "SCR-0001"],
    ["a number", 42],
    ["undefined", undefined],
  ])("%s is an error at path ''", (_, input) => {
    const result = invalid(input);
    expect(result.errors).toEqual([{ path: "", message: expect.stringContaining("expected a JSON object") }]);
    expect(result).not.toHaveProperty("id");
  });
});

describe("unknown fields", () => {
  it("a typo is a warning naming its path, with a did-you-mean hint", () => {
    const record = withPath(eligibleRecord(), "history.epilepsey", false);
    const result = screened(record);
    expect(result.warnings).toEqual([{ path: "history.epilepsey", message: expect.stringContaining("did you mean history.epilepsy?") }]);
    expect(result.verdict).toBe("eligible"); // the verdict does not change
  });

  it("the typo instead of the real field leaves the real field absent", () => {
    const record = withPath(withoutPath(eligibleRecord(), "history.epilepsy"), "history.epilepsey", false);
    const result = screened(record);
    expect(result.warnings.map((w) => w.path)).toEqual(["history.epilepsey"]);
    expect(criterion(result, "EXC-03").outcome).toBe("unknown");
    expect(result.verdict).toBe("incomplete");
  });

  it("unknown fields at any depth each get a warning, and do not change the verdict", () => {
    const record = withPaths(eligibleRecord(), {
      notes: "walked in",
      "demographics.ethnicity": "Han",
      "labs.alt.ulnn": 40,
      "consent.date": "2026-11-24",
      "strokes.nihss": 3,
    });
    const result = screened(record);
    expect(result.verdict).toBe("eligible");
    expect(result.warnings.map((w) => w.path).sort()).toEqual(["consent.date", "demographics.ethnicity", "labs.alt.ulnn", "notes", "strokes"].sort());
    expect(result.warnings.find((w) => w.path === "labs.alt.ulnn")!.message).toContain("did you mean labs.alt.uln?");
    expect(result.warnings.find((w) => w.path === "strokes")!.message).toContain("did you mean stroke?");
  });

  it("an unknown field does not change an ineligible verdict either", () => {
    const record = withPaths(eligibleRecord(), { "stroke.nihss": 4, "stroke.nihs": 9 });
    const result = screened(record);
    expect(result.verdict).toBe("ineligible");
    expect(result.failed).toEqual(["INC-05"]);
    expect(result.warnings.map((w) => w.path)).toEqual(["stroke.nihs"]);
  });

  it("unknown fields are warned about in error results too", () => {
    const result = invalid(withPaths(eligibleRecord(), { "stroke.nihss": 99, "history.epilepsey": true }));
    expect(result.warnings.map((w) => w.path)).toEqual(["history.epilepsey"]);
    expect(errorPaths(result)).toEqual(["stroke.nihss"]);
  });
});

describe("timestamps without a UTC offset are read in the given time zone, with a warning", () => {
  it("Asia/Shanghai reads screenedAt as +08:00", () => {
    const result = screened(withPath(eligibleRecord(), "screenedAt", "2026-11-24T09:00:00"), { timeZone: "Asia/Shanghai" });
    expect(result.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(result.warnings).toEqual([{ path: "screenedAt", message: expect.stringMatching(/Asia\/Shanghai.*\+08:00/) }]);
  });

  it("America/New_York reads screenedAt as -05:00 in November", () => {
    const result = screened(withPath(eligibleRecord(), "screenedAt", "2026-11-24T09:00:00"), { timeZone: "America/New_York" });
    expect(result.screenedAt).toBe("2026-11-24T14:00:00.000Z");
    expect(result.warnings).toEqual([{ path: "screenedAt", message: expect.stringMatching(/America\/New_York.*-05:00/) }]);
  });

  it("America/New_York uses the offset in force at that moment (-04:00 in July)", () => {
    const record = withPaths(eligibleRecord(), { screenedAt: "2026-07-01T09:00:00", "stroke.onset": "2026-06-28T09:00:00-04:00" });
    const result = screened(record, { timeZone: "America/New_York" });
    expect(result.screenedAt).toBe("2026-07-01T13:00:00.000Z");
    expect(result.warnings[0]!.message).toContain("-04:00");
  });

  it("the same boundary case gets a different verdict in each zone", () => {
    // Onset 2026-11-20T14:00Z; screenedAt 09:00 local on the 21st.
    const record = withPaths(eligibleRecord(), { "stroke.onset": "2026-11-20T09:00:00-05:00", screenedAt: "2026-11-21T09:00:00" });
    const newYork = screened(record, { timeZone: "America/New_York" }); // exactly 24 h
    const shanghai = screened(record, { timeZone: "Asia/Shanghai" }); // 11 h
    expect(criterion(newYork, "INC-06").outcome).toBe("pass");
    expect(newYork.verdict).toBe("eligible");
    expect(criterion(shanghai, "INC-06").outcome).toBe("fail");
    expect(shanghai.verdict).toBe("ineligible");
    expect(newYork.warnings.map((w) => w.path)).toEqual(["screenedAt"]);
    expect(shanghai.warnings.map((w) => w.path)).toEqual(["screenedAt"]);
  });

  it("each field without an offset gets its own warning naming the path and offset", () => {
    const record = withPaths(eligibleRecord(), {
      screenedAt: "2026-11-24T09:00:00",
      "stroke.onset": "2026-11-20T14:30:00",
      "medications.lastHeparinDose": "2026-11-10T08:00:00",
    });
    const result = screened(record, { timeZone: "Asia/Shanghai" });
    expect(result.verdict).toBe("eligible");
    expect(result.warnings.map((w) => w.path).sort()).toEqual(["medications.lastHeparinDose", "screenedAt", "stroke.onset"]);
    for (const w of result.warnings) expect(w.message).toContain("+08:00");
  });

  it("an onset without an offset is read in the zone (the window boundary moves with it)", () => {
    // screenedAt 2026-11-24T01:00Z; onset 2026-11-23T09:00 local: +08:00 is 24 h before, -05:00 only 11 h.
    const record = withPath(eligibleRecord(), "stroke.onset", "2026-11-23T09:00:00");
    expect(criterion(screened(record, { timeZone: "Asia/Shanghai" }), "INC-06").outcome).toBe("pass");
    expect(criterion(screened(record, { timeZone: "America/New_York" }), "INC-06").outcome).toBe("fail");
  });

  it("timestamps with an offset give no warning, whatever the zone", () => {
    expect(screened(eligibleRecord(), { timeZone: "America/New_York" }).warnings).toEqual([]);
  });
});

describe("screening time precedence: record > asOf > now", () => {
  const NOW = Date.parse("2026-11-24T01:00:00Z");

  it("the record's screenedAt wins over asOf and now", () => {
    const result = screened(eligibleRecord(), { asOf: "2030-01-01T00:00:00Z", now: Date.parse("2031-01-01T00:00:00Z") });
    expect(result.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(result.warnings).toEqual([]);
  });

  it("asOf is used without a warning when the record has no screenedAt, and wins over now", () => {
    const result = screened(withoutPath(eligibleRecord(), "screenedAt"), { asOf: "2026-11-25T09:00:00+08:00", now: NOW });
    expect(result.screenedAt).toBe("2026-11-25T01:00:00.000Z");
    expect(result.warnings).toEqual([]);
  });

  it("asOf's own offset gives the screening date", () => {
    const record = withoutPath(withPath(eligibleRecord(), "demographics.birthDate", "2008-11-24"), "screenedAt");
    expect(criterion(screened(record, { asOf: "2026-11-24T09:00:00+08:00" }), "INC-01").outcome).toBe("pass");
    expect(criterion(screened(record, { asOf: "2026-11-23T20:00:00-05:00" }), "INC-01").outcome).toBe("fail");
  });

  it("asOf without an offset is read in the time zone", () => {
    const result = screened(withoutPath(eligibleRecord(), "screenedAt"), { asOf: "2026-11-24T09:00:00", timeZone: "Asia/Shanghai" });
    expect(result.screenedAt).toBe("2026-11-24T01:00:00.000Z");
  });

  it("asOf without a time of day is bad usage", () => {
    expect(() => run(withoutPath(eligibleRecord(), "screenedAt"), { asOf: "2026-11-24" })).toThrow(UsageError);
    expect(() => run(eligibleRecord(), { asOf: "tomorrow" })).toThrow(/time of day/);
  });

  it("now is used, with a warning at screenedAt, when neither is given", () => {
    const result = screened(withoutPath(eligibleRecord(), "screenedAt"), { now: NOW, timeZone: "Asia/Shanghai" });
    expect(result.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(result.verdict).toBe("eligible");
    expect(result.warnings).toEqual([{ path: "screenedAt", message: expect.stringContaining("now") }]);
  });

  it("now's screening date is taken in the time zone", () => {
    const record = withoutPath(withPath(eligibleRecord(), "demographics.birthDate", "2008-11-24"), "screenedAt");
    expect(criterion(screened(record, { now: NOW, timeZone: "Asia/Shanghai" }), "INC-01").outcome).toBe("pass");
    expect(criterion(screened(record, { now: NOW, timeZone: "America/New_York" }), "INC-01").outcome).toBe("fail");
  });

  it("without any screening time the record is an error at screenedAt", () => {
    const result = invalid(withoutPath(eligibleRecord(), "screenedAt"));
    expect(errorPaths(result)).toEqual(["screenedAt"]);
  });
});

describe("contract details found by audit", () => {
  it("a uln on a lab whose ULN is never read is ignored with a warning, whatever it holds", () => {
    for (const uln of [-5, 0, null, "abc", 99999]) {
      const r = screened(withPath(eligibleRecord(), "labs.platelets.uln", uln));
      expect(r.verdict).toBe("eligible");
      expect(r.warnings).toContainEqual({ path: "labs.platelets.uln", message: "not read for platelets: ignored" });
    }
  });

  it("an implausible uln names the unit it looks like, as a value does", () => {
    const error = errorAt(invalid(withPath(eligibleRecord(), "labs.creatinine.uln", 1.44)), "labs.creatinine.uln");
    expect(error.message).toMatch(/^1\.44 umol\/L is not a plausible upper limit of normal .*; it looks like a value in mg\/dL$/);
  });

  it("contradictions that need no screening time are reported even when screenedAt is unreadable", () => {
    const record = withPaths(eligibleRecord(), { screenedAt: 123, "reproductive.pregnant": true, "reproductive.breastfeeding": true });
    expect(errorPaths(invalid(record))).toEqual(["screenedAt", "reproductive.pregnant", "reproductive.breastfeeding"]);
  });

  it.each([
    ["2026-11-24T09:00:00.123456+08:00", "2026-11-24T01:00:00.123Z"],
    ["2026-11-24T09:00:00,5+08:00", "2026-11-24T01:00:00.500Z"],
    ["2026-11-24T09:00:00+08", "2026-11-24T01:00:00.000Z"],
    ["2026-11-24T09:00:00+0800", "2026-11-24T01:00:00.000Z"],
    ["2026-11-24T06:45:00+0545", "2026-11-24T01:00:00.000Z"],
  ])("ISO 8601 timestamp %s is read (as %s)", (screenedAt, utc) => {
    expect(screened(withPath(eligibleRecord(), "screenedAt", screenedAt)).screenedAt).toBe(utc);
  });

  it("digits past the millisecond are kept, not rounded into a window", () => {
    // 24 h minus 0.5 µs: outside the window, although its milliseconds alone say exactly 24 h.
    const record = withPaths(eligibleRecord(), { "stroke.onset": "2026-11-23T09:00:00.000001+08:00", screenedAt: "2026-11-24T09:00:00.0000005+08:00" });
    expect(criterion(screened(record), "INC-06").outcome).toBe("fail");
    const exact = withPaths(eligibleRecord(), { "stroke.onset": "2026-11-23T09:00:00.000001+08:00", screenedAt: "2026-11-24T09:00:00.000001+08:00" });
    expect(criterion(screened(exact), "INC-06").outcome).toBe("pass");
  });

  it("a local time in a DST gap: the warning names the offset actually used and says the time does not exist", () => {
    const record = withPaths(eligibleRecord(), { screenedAt: "2026-03-08T02:30:00", "stroke.onset": "2026-03-05T10:00:00-05:00" });
    const r = screened(record, { timeZone: "America/New_York" });
    expect(r.screenedAt).toBe("2026-03-08T07:30:00.000Z");
    expect(r.warnings).toContainEqual({
      path: "screenedAt",
      message: "no UTC offset: read in local time America/New_York (-05:00); that wall-clock time does not exist there (the clocks moved forward), so it is 2026-03-08 03:30 -04:00",
    });
  });

  it("an --as-of without an offset warns on the records it dates", () => {
    const r = screened(withoutPath(eligibleRecord(), "screenedAt"), { asOf: "2026-11-24T09:00", timeZone: "Asia/Shanghai" });
    expect(r.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(r.warnings).toContainEqual({ path: "screenedAt", message: "no screenedAt: screened as of --as-of 2026-11-24T09:00, which has no UTC offset: read in local time Asia/Shanghai (+08:00)" });
    expect(screened(eligibleRecord(), { asOf: "2026-11-24T09:00", timeZone: "Asia/Shanghai" }).warnings).toEqual([]);
  });

  it("an unknown time zone is bad usage, never a verdict computed on NaN", () => {
    expect(() => run(eligibleRecord(), { timeZone: "Mars/Olympus" })).toThrow(UsageError);
    expect(() => run(eligibleRecord(), { timeZone: "Mars/Olympus" })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

// The strict JSON reader skips its duplicate-key / exact-number scan for text that is exactly its
// value's own serialisation; that shortcut must never let a duplicate or an inexact number pass.
describe("strict JSON reading: the round-trip shortcut keeps every check", () => {
  it("a key given twice, or a number with more digits than a double, is still refused in compact text", () => {
    const dup = parseJson('{"stroke":{"nihss":3,"nihss":9}}');
    expect(dup).toMatchObject({ ok: false, path: "stroke.nihss" });
    const inexact = parseJson('{"labs":{"inr":{"value":1.70000000000000001}}}');
    expect(inexact).toMatchObject({ ok: false, path: "labs.inr.value" });
    expect(parseJson('{"a":1,"b":[1.5,{"c":null}]}')).toEqual({ ok: true, value: { a: 1, b: [1.5, { c: null }] } });
  });

  it("agrees with the full scan on texts with duplicates anywhere, spacing, escaped quotes and long or exponent numbers", () => {
    const key = fc.constantFrom("a", "b", "nihss", 'q"', "c:", "e1", "", "x\\");
    const scalar = fc.oneof(fc.constantFrom(1, -0.5, 1e21, 1.5e-7, 123456789012345, 0.1234567890123456, 2e3, null, true, "e5", "\"", ' :"', "12345678901234567"), fc.string({ maxLength: 4 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), fc.constantFrom(0, 1, 2), fc.nat(), fc.constantFrom("", " ", "\n"), (obj, indent, at, space) => {
        let text = JSON.stringify(obj, null, indent || undefined);
        // Inject a duplicate of some object's first key, right after that object's opening brace.
        const braces = [...text.matchAll(/\{"((?:[^"\\]|\\.)*)":/g)];
        if (braces.length && at % 3) {
          const m = braces[at % braces.length]!;
          text = `${text.slice(0, m.index + 1)}"${m[1]}"${space}:0,${text.slice(m.index + 1)}`;
        }
        // The injection may land inside a string that holds `{"…":` and break the text: then the
        // reader must refuse it whatever the scan says.
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(parseJson(text).ok).toBe(valid && textProblems(text).length === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the full scan on serialised objects, with and without an injected duplicate key", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), fc.boolean(), (obj, duplicate) => {
        let text = JSON.stringify(obj);
        if (duplicate) text = `${text.slice(0, -1)},${JSON.stringify(Object.keys(obj)[0])}:0}`;
        const parsed = parseJson(text);
        expect(parsed.ok).toBe(textProblems(text).length === 0);
        if (duplicate) expect(parsed.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
