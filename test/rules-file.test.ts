/**
 * The rules file as data: an edited copy changes the verdict, results carry the file's sha256,
 * and broken files are rejected whole with the rule id and the place in the file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES_PATH, RulesError, compileRules, loadRules } from "../src/index.js";
import { criterion, eligibleRecord, invalid, screened, withoutPath, withPath } from "./helpers/records.js";

const TEXT = readFileSync(DEFAULT_RULES_PATH, "utf8");
const BYTES = readFileSync(DEFAULT_RULES_PATH);

/** The rules file as JSON, edited by `edit`, back to text. */
function edited(edit: (json: any) => void): string {
  const json = JSON.parse(TEXT);
  edit(json);
  return JSON.stringify(json, null, 2);
}

function criterionIndex(json: any, id: string): number {
  const i = json.criteria.findIndex((c: { id: string }) => c.id === id);
  if (i < 0) throw new Error(`no ${id}`);
  return i;
}

/** The problems of a rules text that must be rejected. */
function problemsOf(text: string): readonly { path: string; message: string }[] {
  try {
    compileRules(text, "broken.json");
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toContain("broken.json");
    return (err as RulesError).problems;
  }
  throw new Error("the rules were accepted");
}

describe("the trial's rules file", () => {
  it("loads with 27 criteria, for the trial NCT07232563", () => {
    const rules = loadRules();
    expect(rules.meta.trial).toBe("NCT07232563");
    expect(rules.meta.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(rules.criteria).toHaveLength(27);
  });

  it("results carry the sha256 of the file's bytes", () => {
    const expected = createHash("sha256").update(BYTES).digest("hex");
    const result = screened(eligibleRecord(), {}, loadRules(DEFAULT_RULES_PATH));
    expect(result.rules.sha256).toBe(expected);
    expect(result.rules.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.rules.trial).toBe("NCT07232563");
  });

  it("error results carry the rules metadata too", () => {
    const result = invalid(withPath(eligibleRecord(), "stroke.nihss", 99));
    expect(result.rules.sha256).toBe(createHash("sha256").update(BYTES).digest("hex"));
    expect(result.rules.trial).toBe("NCT07232563");
  });

  it("the site reference ranges are data in the rules file", () => {
    const json = JSON.parse(TEXT);
    expect(json.labs.creatinine.siteUln.ranges).toEqual([
      { sex: "male", ageBelow: 60, uln: "97" },
      { sex: "female", ageBelow: 60, uln: "73" },
      { sex: "male", ageFrom: 60, uln: "111" },
      { sex: "female", ageFrom: 60, uln: "81" },
    ]);
  });

  it("an unreadable file is a RulesError naming the problem", () => {
    expect(() => loadRules("/nonexistent/rules.json")).toThrow(RulesError);
    try {
      loadRules("/nonexistent/rules.json");
    } catch (err) {
      expect((err as RulesError).problems[0]!.message).toContain("cannot read");
    }
  });
});

describe("an edited copy of the rules", () => {
  it("NIHSS threshold 6 → 4 (edited JSON text) turns NIHSS 5 from ineligible to eligible", () => {
    const pattern = /("field": "stroke\.nihss",\s*"op": "ge",\s*"value": )6/;
    expect(TEXT).toMatch(pattern);
    const text = TEXT.replace(pattern, "$14");
    const modified = compileRules(text, "nihss-4.json");
    const record = withPath(eligibleRecord(), "stroke.nihss", 5);

    const original = screened(record);
    expect(original.verdict).toBe("ineligible");
    expect(criterion(original, "INC-05").reason).toBe("NIHSS 5 is below 6");

    const result = screened(record, {}, modified);
    expect(result.verdict).toBe("eligible");
    expect(criterion(result, "INC-05").reason).toBe("NIHSS 5 is at least 4");
    expect(result.rules.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(result.rules.sha256).not.toBe(original.rules.sha256);
  });

  it("NIHSS 3 is still ineligible under the edited threshold", () => {
    const modified = compileRules(TEXT.replace(/("field": "stroke\.nihss",\s*"op": "ge",\s*"value": )6/, "$14"), "nihss-4.json");
    expect(screened(withPath(eligibleRecord(), "stroke.nihss", 3), {}, modified).verdict).toBe("ineligible");
  });

  it("a different site ULN changes a lab outcome (the ranges are read from the file)", () => {
    const text = edited((json) => {
      json.labs.alt.siteUln.ranges[0].uln = "40";
    });
    const record = withPath(eligibleRecord(), "labs.alt", { value: 110, unit: "U/L" });
    expect(criterion(screened(record), "INC-08").outcome).toBe("pass");
    expect(criterion(screened(record, {}, compileRules(text, "alt-40.json")), "INC-08").outcome).toBe("fail");
  });

  // A rule that names its population only in appliesWhen (the trial's EXC-15 repeats "female" in
  // failWhen too): while it is unknown whether the rule applies, a finding cannot exclude anyone.
  describe("applicability left open (sex unknown) under a rule that says 'women' only in appliesWhen", () => {
    const text = edited((json) => {
      const exc15 = json.criteria[criterionIndex(json, "EXC-15")];
      exc15.failWhen = exc15.failWhen.all[1];
      json.criteria.push({
        id: "INC-11", category: "inclusion", short: "test", text: "Women: not breastfeeding",
        appliesWhen: { field: "demographics.sex", op: "eq", value: "female" },
        passWhen: { field: "reproductive.breastfeeding", op: "eq", value: false },
      });
    });
    const rules = compileRules(text, "applies-only.json");
    const sexUnknown = (reproductive: Record<string, boolean>) =>
      withoutPath(withPath(eligibleRecord(), "reproductive", reproductive), "demographics.sex");

    it("a finding that would exclude stays unknown, and asks for what settles applicability", () => {
      const r = screened(sexUnknown({ pregnant: true, breastfeeding: true }), {}, rules);
      expect(criterion(r, "EXC-15").outcome).toBe("unknown");
      expect(criterion(r, "EXC-15").needs).toEqual(["demographics.sex"]);
      expect(criterion(r, "EXC-15").reason).toContain("whether the criterion applies is not known");
      expect(criterion(r, "INC-11").outcome).toBe("unknown");
      expect(criterion(r, "INC-11").needs).toEqual(["demographics.sex"]);
      expect(r.verdict).toBe("incomplete");
    });

    it("a finding that passes decides: pass and not applicable agree", () => {
      const r = screened(sexUnknown({ pregnant: false, breastfeeding: false, childbearingPotential: false }), {}, rules);
      expect(criterion(r, "EXC-15").outcome).toBe("pass");
      expect(criterion(r, "INC-11").outcome).toBe("pass");
    });

    it("both open: needs both the finding's fields and applicability's", () => {
      const r = screened(sexUnknown({}), {}, rules);
      expect(criterion(r, "INC-11").outcome).toBe("unknown");
      expect(criterion(r, "INC-11").needs).toEqual(["reproductive.breastfeeding", "demographics.sex"]);
    });

    it("known sex decides as before", () => {
      const woman = withPath(withPath(eligibleRecord(), "demographics.sex", "female"), "reproductive", { pregnant: false, breastfeeding: true, childbearingPotential: false, usesContraception: true });
      expect(criterion(screened(woman, {}, rules), "EXC-15").outcome).toBe("fail");
      expect(criterion(screened(woman, {}, rules), "INC-11").outcome).toBe("fail");
      expect(criterion(screened(eligibleRecord(), {}, rules), "INC-11").outcome).toBe("not_applicable");
    });
  });

  it("a UTF-8 BOM is accepted", () => {
    expect(compileRules(`\uFEFF${TEXT}`, "bom.json").criteria).toHaveLength(27);
  });
});

describe("broken rules files are rejected with the rule id and the place", () => {
  it("malformed JSON", () => {
    const problems = problemsOf(TEXT.slice(0, 200));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("not valid JSON");
  });

  it("a key given twice (JSON.parse would keep the last: NIHSS >= 0)", () => {
    const pattern = /("field": "stroke\.nihss",\s*"op": "ge",\s*"value": 6)/;
    expect(TEXT).toMatch(pattern);
    const problems = problemsOf(TEXT.replace(pattern, '$1, "value": 0'));
    expect(problems).toEqual([{ path: "criteria[4] (INC-05).passWhen.value", message: expect.stringMatching(/^duplicate key "value"/) }]);
  });

  it("a duplicate criterion id", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-05")].id = "INC-04";
    });
    const problems = problemsOf(text);
    expect(problems).toEqual([{ path: "criteria[4] (INC-04).id", message: "duplicate id: also criteria[3]" }]);
  });

  it("an unknown operator", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-05")].passWhen.op = "gte";
    });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("criteria[4] (INC-05).passWhen.op");
    expect(problems[0]!.message).toContain('"ge"');
  });

  it("an unknown operator deep inside a criterion names the nested place", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "EXC-02")].failWhen.any[2].all[1].op = "more";
    });
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(["criteria[11] (EXC-02).failWhen.any[2].all[1].op"]);
    expect(problems[0]!.message).toContain('"gt"');
  });

  it("a malformed duration names its place", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-06")].passWhen.elapsed.min = "24 hours";
    });
    expect(problemsOf(text).map((p) => p.path)).toEqual(["criteria[5] (INC-06).passWhen.elapsed.min"]);
  });

  it("a condition that fits no kind at all is named at the condition", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-05")].passWhen = { field: "stroke.nihss" };
    });
    expect(problemsOf(text).map((p) => p.path)).toEqual(["criteria[4] (INC-05).passWhen"]);
  });

  it("a field path that does not exist", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-05")].passWhen.field = "stroke.nihs";
    });
    const problems = problemsOf(text);
    expect(problems).toEqual([{ path: "criteria[4] (INC-05).passWhen.field", message: "stroke.nihs is not a declared field" }]);
  });

  it("a nested field path that does not exist", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "EXC-03")].failWhen.any[1].field = "history.epilepsey";
    });
    expect(problemsOf(text)).toEqual([{ path: "criteria[12] (EXC-03).failWhen.any[1].field", message: "history.epilepsey is not a declared field" }]);
  });

  it("an enum value not in the field's values", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "EXC-01")].failWhen.value = "sever";
    });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("criteria[10] (EXC-01).failWhen.value");
    expect(problems[0]!.message).toContain('"sever" does not fit allergies.contrast');
    expect(problems[0]!.message).toContain('"mild-rash"');
  });

  it("an enum value in an `in` list", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-02")].passWhen.all[1].value = ["CTA", "MRAngio"];
    });
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(["criteria[1] (INC-02).passWhen.all[1].value"]);
    expect(problems[0]!.message).toContain("MRAngio");
  });

  it("a lab that is not declared", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-08")].passWhen.all[0].lab = "alat";
    });
    expect(problemsOf(text).map((p) => p.path)).toEqual(["criteria[7] (INC-08).passWhen.all[0].lab"]);
  });

  it("every problem is reported at once", () => {
    const text = edited((json) => {
      json.criteria[criterionIndex(json, "INC-05")].passWhen.field = "stroke.nihs";
      json.criteria[criterionIndex(json, "EXC-01")].failWhen.value = "sever";
      json.criteria[criterionIndex(json, "EXC-17")].id = "EXC-16";
    });
    expect(problemsOf(text).map((p) => p.path)).toEqual([
      "criteria[4] (INC-05).passWhen.field",
      "criteria[10] (EXC-01).failWhen.value",
      "criteria[26] (EXC-16).id",
    ]);
  });
});
