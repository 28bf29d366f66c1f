/**
 * Real-world FHIR data (issue 11): the codes, units and shapes that hospital exports (Synthea,
 * converted C-CDA/HL7v2, the German core data set) really hold, recency, old strokes, deceased
 * patients and simultaneous results. Each Bundle is small and self-contained, modelled on those samples.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleToRecords } from "../src/input/fhir/bundle.js";
import type { FhirContext } from "../src/input/fhir/context.js";
import type { AdaptedRecord } from "../src/input/fhir/evidence.js";
import { formatShort, parseRational } from "../src/numbers/rational.js";
import { loadRules } from "../src/rules/load.js";
import { loadFhirMapping } from "../src/rules/mapping/fhir.js";
import { unfavourableDirection } from "../src/rules/mapping/direction.js";
import { lookupUnitByPath } from "../src/rules/mapping/units.js";
import { screen } from "./helpers/cli.js";

const rules = loadRules();
const mapping = loadFhirMapping(rules);
const SCREENING = { ms: Date.parse("2026-11-24T01:00:00Z"), offsetMin: 480 }; // 2026-11-24T09:00+08:00
const ctx: FhirContext = { rules, mapping, timeZone: "UTC", screening: SCREENING };
const dir = mkdtempSync(join(tmpdir(), "screen-fhirreal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOINC = "http://loinc.org";
const SCT = "http://snomed.info/sct";
const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const ICD10GM = "http://fhir.de/CodeSystem/bfarm/icd-10-gm";

type Json = Record<string, unknown>;
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const status = (code: string) => ({ coding: [{ code }] });
const patient = (extra: Json = {}): Json => ({ resourceType: "Patient", id: "p1", gender: "male", birthDate: "1950-01-01", ...extra });
const bundle = (...resources: Json[]): Json => ({ resourceType: "Bundle", type: "collection", entry: resources.map((resource) => ({ resource })) });
const subject = { reference: "Patient/p1" };
const lab = (id: string, code: string, value: number, unit: string, effective: string, unitCode: string | null = unit): Json => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: cc(LOINC, code),
  subject,
  effectiveDateTime: effective,
  valueQuantity: { value, unit, ...(unitCode !== null ? { system: "http://unitsofmeasure.org", code: unitCode } : {}) },
});
const condition = (id: string, system: string, code: string, extra: Json = {}): Json => ({
  resourceType: "Condition",
  id,
  clinicalStatus: status("active"),
  verificationStatus: status("confirmed"),
  code: cc(system, code),
  subject,
  ...extra,
});
const order = (id: string, code: string, st: string, authoredOn: string, extra: Json = {}): Json => ({
  resourceType: "MedicationRequest",
  id,
  status: st,
  intent: "order",
  medicationCodeableConcept: cc(RXNORM, code),
  subject,
  authoredOn,
  ...extra,
});
const RECENT = "2026-11-23T07:00:00+08:00";
const ONSET = "2026-11-21T10:00:00+08:00";

function one(b: Json, c: FhirContext = ctx): AdaptedRecord {
  const out = bundleToRecords(b, c);
  if (!out.ok) throw new Error(out.error);
  expect(out.patients).toHaveLength(1);
  return out.patients[0]!;
}
const labs = (r: AdaptedRecord) => (r.record.labs ?? {}) as Json;
const warningsAt = (r: AdaptedRecord, path: string) => r.warnings.filter((w) => w.path === path).map((w) => w.message);

describe("codes of real exports", () => {
  it("Synthea's blood codes: creatinine 38483-4 and BUN 6299-2 in mg/dL", () => {
    const r = one(bundle(patient(), lab("cr", "38483-4", 1.1, "mg/dL", RECENT), lab("bun", "6299-2", 18, "mg/dL", RECENT)));
    expect(labs(r)).toEqual({ creatinine: { value: 1.1, unit: "mg/dL" }, bun: { value: 18, unit: "mg/dL" } });
  });

  it("creatinine in blood by substance (59826-8, umol/L) and urea nitrogen by substance (14937-7, mmol/L)", () => {
    const r = one(bundle(patient(), lab("cr", "59826-8", 88, "umol/L", RECENT), lab("bun", "14937-7", 6.1, "mmol/L", RECENT)));
    expect(labs(r)).toEqual({ creatinine: { value: 88, unit: "umol/L" }, bun: { value: 6.1, unit: "mmol/L" } });
  });

  it("platelets by manual count (778-1) and by estimate (49497-1)", () => {
    expect(labs(one(bundle(patient(), lab("p", "778-1", 210, "10*3/uL", RECENT)))).platelets).toEqual({ value: 210, unit: "10^3/uL" });
    expect(labs(one(bundle(patient(), lab("p", "49497-1", 210, "10*9/L", RECENT)))).platelets).toEqual({ value: 210, unit: "10^9/L" });
  });

  it("warfarin as an RxNorm product (855332 Warfarin Sodium 5 MG Oral Tablet)", () => {
    const r = one(bundle(patient(), order("w", "855332", "active", "2026-10-01")));
    expect(r.record.medications).toEqual({ warfarin: true });
  });

  it("a product coded only locally is matched through its Medication's ingredient (contained)", () => {
    const contained = { resourceType: "Medication", id: "m", code: cc("urn:local:pharmacy", "WARF5"), ingredient: [{ itemCodeableConcept: cc(RXNORM, "11289") }] };
    const r = one(bundle(patient(), { ...order("w", "x", "active", "2026-10-01"), medicationCodeableConcept: undefined, medicationReference: { reference: "#m" }, contained: [contained] }));
    expect(r.record.medications).toEqual({ warfarin: true });
    expect(r.sources["medications.warfarin"]).toMatchObject({ resource: "MedicationRequest/w", code: `${RXNORM}|11289` });
  });

  it("immunosuppressant products (cyclosporine 835900, methotrexate 105586) and heparin products (enoxaparin 854235)", () => {
    expect(one(bundle(patient(), order("c", "835900", "active", "2026-10-01"))).record.medications).toEqual({ immunosuppressants: true });
    expect(one(bundle(patient(), order("m", "105586", "active", "2026-10-01"))).record.medications).toEqual({ immunosuppressants: true });
    const dose = { resourceType: "MedicationAdministration", id: "e", status: "completed", medicationCodeableConcept: cc(RXNORM, "854235"), subject, effectiveDateTime: "2026-11-23T20:00:00+08:00" };
    expect(one(bundle(patient(), dose)).record.medications).toEqual({ lastHeparinDose: "2026-11-23T20:00:00+08:00" });
  });

  it("seizure disorder (SNOMED 128613002) is epilepsy; a Synthea colon malignancy (109838007) is another malignancy", () => {
    const r = one(bundle(patient(), condition("s", SCT, "128613002"), condition("c", SCT, "109838007")));
    expect(r.record.history).toEqual({ epilepsy: true, otherMalignancy: true });
  });

  it("ICD-10-GM's system URI (bfarm, and the older dimdi one) is ICD-10, matched by prefix", () => {
    const r = one(bundle(patient(), condition("g", ICD10GM, "G40.3"), condition("i", "http://fhir.de/CodeSystem/dimdi/icd-10-gm", "I63.5", { onsetDateTime: ONSET })));
    expect(r.record.history).toEqual({ epilepsy: true });
    expect(r.record.stroke).toEqual({ onset: ONSET });
  });
});

describe("thrombolysis in the current stroke episode", () => {
  const stroke = condition("stroke", SCT, "230690007", { onsetDateTime: ONSET });
  it("an alteplase order (RxNorm 1804799) completed after the onset: thrombolysis", () => {
    const r = one(bundle(patient(), stroke, order("tpa", "1804799", "completed", "2026-11-21T11:00:00+08:00")));
    expect(r.record.stroke).toMatchObject({ thrombolysis: true });
    expect(r.sources["stroke.thrombolysis"]).toMatchObject({ resource: "MedicationRequest/tpa" });
  });

  it("an order stopped (some doses may have been given) leaves it unknown, named in a warning; no longer listed as unmapped", () => {
    const r = one(bundle(patient(), stroke, order("tpa", "1804799", "stopped", "2026-11-21T11:00:00+08:00")));
    expect(r.record.stroke).not.toHaveProperty("thrombolysis");
    expect(warningsAt(r, "stroke.thrombolysis")).toEqual([expect.stringContaining("MedicationRequest/tpa (RxNorm 1804799) has status stopped")]);
    expect(r.warnings.map((w) => w.message).join("\n")).not.toMatch(/not mapped.*MedicationRequest\/tpa/);
  });

  it("an order before this stroke's onset is not for this stroke; a cancelled one is not used", () => {
    const r = one(bundle(patient(), stroke, order("old", "1804799", "completed", "2025-01-01T10:00:00+08:00"), order("c", "8410", "cancelled", "2026-11-21T11:00:00+08:00")));
    expect(r.record.stroke).toEqual({ onset: ONSET });
    expect(warningsAt(r, "stroke.thrombolysis")).toEqual([expect.stringContaining("precedes stroke.onset"), expect.stringContaining("MedicationRequest/c (RxNorm 8410) is an order with status cancelled; not used")]);
  });
});

describe("units as labs write them (the alias table, then the lab's table ignoring case)", () => {
  const cases: [lab: string, code: string, value: number, unit: string, expected: Json][] = [
    ["platelets", "26515-7", 250000, "{cells}/uL", { value: 250, unit: "10^3/uL" }], // cells per microlitre
    ["platelets", "26515-7", 250, "10+3/ul", { value: 250, unit: "10^3/uL" }],
    ["platelets", "777-3", 250, "10*3/uL", { value: 250, unit: "10^3/uL" }],
    ["platelets", "777-3", 250, "K/uL", { value: 250, unit: "10^3/uL" }],
    ["creatinine", "2160-0", 1.1, "mg/dl", { value: 1.1, unit: "mg/dL" }],
    ["creatinine", "14682-9", 88, "umol/l", { value: 88, unit: "umol/L" }],
    ["creatinine", "14682-9", 88, "µmol/L", { value: 88, unit: "umol/L" }], // micro sign
    ["creatinine", "14682-9", 88, "μmol/L", { value: 88, unit: "umol/L" }], // Greek mu
  ];
  for (const [name, code, value, unit, expected] of cases) {
    it(`${value} ${unit} → ${String(expected.value)} ${String(expected.unit)}`, () => {
      const r = one(bundle(patient(), lab("x", code, value, unit, RECENT, null)));
      expect(labs(r)[name]).toEqual(expected);
    });
  }

  it("every entry of the alias table reaches a unit of some lab", () => {
    for (const [alias, to] of Object.entries(mapping.file.unitAliases)) {
      const spec = mapping.file.labs.find((l) => Object.hasOwn(l.units, to))!;
      const code = Object.values(spec.codes)[0]![0]!;
      const r = one(bundle(patient(), lab("x", code, 2, alias, RECENT, alias)));
      const name = spec.path.split(".")[1]!;
      expect(labs(r)[name], alias).toMatchObject({ unit: spec.units[to]!.unit ?? undefined });
    }
  });
});

describe("one unit lookup for every reader", () => {
  it("by record path: the alias table, then the lab's tables, with the factor to apply", () => {
    const plt = lookupUnitByPath(mapping, "labs.platelets", ["{cells}/uL"])!;
    expect([plt.key, plt.rule.unit, formatShort(plt.rule.factor)]).toEqual(["{cells}/uL", "10^3/uL", "0.001"]);
    expect(lookupUnitByPath(mapping, "labs.creatinine", ["UMOL/L"])?.rule.unit).toBe("umol/L");
    expect(lookupUnitByPath(mapping, "labs.creatinine", ["furlongs"])).toBeUndefined();
  });
});

describe("recency", () => {
  it("a lab older than 14 days at screening is not used, and the warning names it and its age", () => {
    const r = one(bundle(patient(), lab("old", "777-3", 90, "10*3/uL", "2024-11-10T08:00:00+08:00"), lab("cr", "2160-0", 1, "mg/dL", "2026-11-09T08:00:00+08:00")));
    expect(labs(r)).toEqual({});
    expect(warningsAt(r, "labs.platelets")).toEqual([expect.stringMatching(/Observation\/old \(LOINC 777-3 at 2024-11-10T08:00:00\+08:00\) is 744 d old at screening, older than the 14d/)]);
    expect(warningsAt(r, "labs.creatinine")).toEqual([expect.stringMatching(/is 15 d old/)]);
  });

  it("the latest recent result is used even when older ones exist; 14 days is inclusive", () => {
    const r = one(bundle(patient(), lab("old", "777-3", 90, "10*3/uL", "2025-01-01T08:00:00+08:00"), lab("new", "777-3", 200, "10*3/uL", "2026-11-10T09:00:00+08:00")));
    expect(labs(r)).toEqual({ platelets: { value: 200, unit: "10^3/uL" } });
  });

  it("a lab's own maxAge in the mapping overrides labMaxAge", () => {
    const table = JSON.parse(readFileSync(mapping.source, "utf8"));
    table.labs.find((l: { path: string }) => l.path === "labs.platelets").maxAge = "30d";
    const file = join(dir, "fhir-r4.json");
    writeFileSync(file, JSON.stringify(table));
    const r = one(bundle(patient(), lab("p", "777-3", 200, "10*3/uL", "2026-11-01T08:00:00+08:00")), { ...ctx, mapping: loadFhirMapping(rules, file) });
    expect(labs(r)).toEqual({ platelets: { value: 200, unit: "10^3/uL" } });
  });

  it("an undated lab cannot be shown to be recent: not used", () => {
    const undated = lab("u", "777-3", 200, "10*3/uL", RECENT);
    delete undated.effectiveDateTime;
    const r = one(bundle(patient(), undated));
    expect(labs(r)).toEqual({});
    expect(warningsAt(r, "labs.platelets")).toEqual([expect.stringContaining("no effective time")]);
  });
});

describe("an old stroke is not this stroke", () => {
  const old = condition("stroke-2018", SCT, "230690007", { onsetDateTime: "2018-09-29T07:44:08+00:00", encounter: { reference: "Encounter/e2018" } });
  it("a stroke Condition years before screening leaves stroke.onset unknown, with a warning naming it (INC-06 is not failed)", async () => {
    const b = bundle(patient(), old);
    const r = one(b);
    expect(r.record.stroke).toBeUndefined();
    expect(warningsAt(r, "stroke.onset")).toEqual([expect.stringMatching(/Condition\/stroke-2018 .* is 2977 d before screening, earlier than the 14d .* not linked to a current encounter/)]);
    const file = join(dir, "old-stroke.json");
    writeFileSync(file, JSON.stringify(b));
    const run = await screen([file, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"]);
    const result = JSON.parse(run.stdout);
    expect(result.criteria.find((c: { id: string }) => c.id === "INC-06").outcome).toBe("unknown");
  });

  it("linked to an encounter going on at screening, it is this stroke's onset", () => {
    const enc = { resourceType: "Encounter", id: "now", status: "in-progress", subject, period: { start: "2026-11-20T10:00:00+08:00" } };
    const r = one(bundle(patient(), { ...old, encounter: { reference: "Encounter/now" } }, enc));
    expect(r.record.stroke).toEqual({ onset: "2018-09-29T07:44:08+00:00" });
  });

  it("with the onset unknown, a thrombolysis years before screening is not for this stroke; a recent one stays unknown", () => {
    const oldTpa = order("tpa-2018", "1804799", "completed", "2018-09-29T09:00:00+00:00");
    const r = one(bundle(patient(), old, oldTpa));
    expect(r.record.stroke).toBeUndefined();
    expect(warningsAt(r, "stroke.thrombolysis")).toEqual([expect.stringContaining("is more than 14d before screening, earlier than any stroke.onset the criteria admit: not for this stroke; not used")]);
    const recent = one(bundle(patient(), old, order("tpa-now", "1804799", "completed", "2026-11-22T09:00:00+08:00")));
    expect(warningsAt(recent, "stroke.thrombolysis")).toEqual([expect.stringContaining("stroke.onset is unknown, so whether it treated this stroke cannot be told")]);
  });

  it("the window comes from the rules: the longest elapsed.max since stroke.onset (14d)", () => {
    const r = one(bundle(patient(), condition("s", SCT, "230690007", { onsetDateTime: "2026-11-10T10:00:00+08:00" })));
    expect(r.record.stroke).toEqual({ onset: "2026-11-10T10:00:00+08:00" }); // 13 d 23 h: inside
  });
});

describe("deceased patients", () => {
  it("deceasedDateTime at or before screening: an error result naming Patient.deceasedDateTime, exit 2", async () => {
    const file = join(dir, "deceased.json");
    writeFileSync(file, JSON.stringify(bundle(patient({ identifier: [{ value: "MRN-9" }], deceasedDateTime: "2026-11-23T10:00:00+08:00" }))));
    const run = await screen([file, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"]);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ id: "MRN-9", verdict: "error", errors: [{ path: "Patient.deceasedDateTime", message: expect.stringContaining("Patient/p1 died 2026-11-23T10:00:00+08:00") }] });
  });

  it("deceasedBoolean true is refused; a death after the screening time is not a contradiction", () => {
    expect(one(bundle(patient({ deceasedBoolean: true }))).error).toEqual({ path: "Patient.deceasedBoolean", message: expect.stringContaining("deceasedBoolean true") });
    expect(one(bundle(patient({ deceasedDateTime: "2027-01-01" }))).error).toBeUndefined();
    expect(one(bundle(patient({ deceasedBoolean: false }))).error).toBeUndefined();
  });
});

describe("simultaneous results and identifiers", () => {
  it("simultaneous values that give every criterion the same outcome: the least favourable is used (platelets: the lowest)", () => {
    const r = one(bundle(patient(), lab("a", "777-3", 160, "10*3/uL", RECENT), lab("b", "777-3", 150, "10*3/uL", RECENT)));
    expect(labs(r)).toEqual({ platelets: { value: 150, unit: "10^3/uL" } });
    expect(warningsAt(r, "labs.platelets")).toContainEqual(expect.stringMatching(/2 results at the same time \(160 10\^3\/uL \(Observation\/a\), 150 10\^3\/uL \(Observation\/b\)\) give every criterion the same outcome; used the least favourable, 150 10\^3\/uL from Observation\/b/));
  });

  it("for creatinine the least favourable is the highest, compared across units (0.8 mg/dL = 70.72 umol/L > 60 umol/L)", () => {
    const r = one(bundle(patient(), lab("a", "14682-9", 60, "umol/L", RECENT), lab("b", "2160-0", 0.8, "mg/dL", RECENT)));
    expect(labs(r)).toEqual({ creatinine: { value: 0.8, unit: "mg/dL" } });
  });

  it("the direction comes from the criteria: an exclusion below a limit (platelets) or an inclusion at most a limit (creatinine)", () => {
    expect(unfavourableDirection(rules, "labs.platelets")).toBe("low");
    expect(unfavourableDirection(rules, "labs.creatinine")).toBe("high");
    expect(unfavourableDirection(rules, "stroke.nihss")).toBeUndefined();
  });

  it("simultaneous values on either side of a limit: unknown, with the values (never '(an object)')", () => {
    const r = one(bundle(patient(), lab("a", "777-3", 90, "10*3/uL", RECENT), lab("b", "777-3", 150, "10*3/uL", RECENT)));
    expect(labs(r)).toEqual({});
    const w = warningsAt(r, "labs.platelets");
    expect(w).toContainEqual(expect.stringContaining("disagree and would decide differently: 90 10^3/uL (Observation/a), 150 10^3/uL (Observation/b); left unknown"));
    expect(w.join()).not.toContain("(an object)");
  });

  it("an identifier whose period has ended is not the id", () => {
    const r = one(bundle(patient({ identifier: [{ value: "OLD-1", period: { end: "2020-01-01" } }, { value: "MRN-2" }] })));
    expect(r.record.id).toBe("MRN-2");
    expect(warningsAt(r, "id")).toEqual([expect.stringContaining('"OLD-1" is an identifier whose period ended')]);
  });
});


describe("converted values are compared exactly and printed rounded", () => {
  it("formatShort: exact up to 4 decimals, else ≈ rounded", () => {
    expect(formatShort(parseRational("246.85724845594104656")!)).toBe("≈246.8572");
    expect(formatShort(parseRational("246.8")!)).toBe("246.8");
    expect(formatShort(parseRational("88.4")!)).toBe("88.4");
  });

  it("a Synthea creatinine with many digits is shown rounded in the reason", async () => {
    const file = join(dir, "long-digits.json");
    writeFileSync(file, JSON.stringify(bundle(patient(), lab("cr", "38483-4", 2.7925378, "mg/dL", RECENT))));
    const run = await screen([file, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"]);
    const reason: string = JSON.parse(run.stdout).criteria.find((c: { id: string }) => c.id === "INC-08").reason;
    expect(reason).toContain("2.7925378 mg/dL");
    expect(reason).not.toMatch(/\d\.\d{5,} umol/);
    expect(reason).toMatch(/≈\d+\.\d{1,4} umol\/L/);
  });
});
