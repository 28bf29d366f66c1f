/**
 * FHIR R4 input and output (issue 7): Bundles → records through the mapping table
 * (rules/mappings/fhir-r4.json), the latest Observation at or before screening, UCUM units,
 * provenance, malformed Bundles, and ResearchSubject output. The sample Bundles are in
 * test/fixtures/fhir/; each verdict is checked end to end through the built CLI.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleToRecords } from "../src/input/fhir/bundle.js";
import type { FhirContext } from "../src/input/fhir/context.js";
import type { AdaptedRecord } from "../src/input/fhir/evidence.js";
import { loadFhirMapping } from "../src/rules/mapping/fhir.js";
import { loadRules } from "../src/rules/load.js";
import { fixture, fixtureRecord, ndjson, parseNdjson, ROOT, screen, STACK_TRACE } from "./helpers/cli.js";

const rules = loadRules();
const mapping = loadFhirMapping(rules);
const SCREENING = { ms: Date.parse("2026-11-24T01:00:00Z"), offsetMin: 480 };
const ctx: FhirContext = { rules, mapping, timeZone: "UTC", screening: SCREENING };
const sample = (name: string) => join(ROOT, "test", "fixtures", "fhir", name);
const bundleFile = (name: string): any => JSON.parse(readFileSync(sample(name), "utf8"));

const LOINC = "http://loinc.org";
const SCT = "http://snomed.info/sct";
const ICD10 = "http://hl7.org/fhir/sid/icd-10";
const ATC = "http://www.whocc.no/atc";
const UCUM = "http://unitsofmeasure.org";

type Json = Record<string, unknown>;
const cc = (system: string, code: string) => ({ coding: [{ system, code }] });
const status = (code: string) => ({ coding: [{ code }] });
const patient = (id = "p1", extra: Json = {}): Json => ({ resourceType: "Patient", id, gender: "female", birthDate: "1970-03-01", ...extra });
const bundle = (...resources: Json[]): Json => ({ resourceType: "Bundle", type: "collection", entry: resources.map((resource) => ({ resource })) });
const onsetCondition = (onsetDateTime = "2026-11-21T10:00:00+08:00"): Json => ({
  resourceType: "Condition",
  id: "stroke",
  clinicalStatus: status("active"),
  verificationStatus: status("confirmed"),
  code: cc(SCT, "422504002"),
  subject: { reference: "Patient/p1" },
  onsetDateTime,
});
const lab = (id: string, code: string, value: number, unit: string, effective: string, high?: number, highUnit = unit): Json => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: cc(LOINC, code),
  subject: { reference: "Patient/p1" },
  effectiveDateTime: effective,
  valueQuantity: { value, unit, system: UCUM, code: unit },
  ...(high !== undefined ? { referenceRange: [{ high: { value: high, unit: highUnit, system: UCUM, code: highUnit } }] } : {}),
});
const condition = (id: string, system: string, code: string, clinical?: string, verification?: string): Json => ({
  resourceType: "Condition",
  id,
  ...(clinical ? { clinicalStatus: status(clinical) } : {}),
  ...(verification ? { verificationStatus: status(verification) } : {}),
  code: cc(system, code),
  subject: { reference: "Patient/p1" },
});

function one(b: Json, c: FhirContext = ctx): AdaptedRecord {
  const out = bundleToRecords(b, c);
  if (!out.ok) throw new Error(out.error);
  expect(out.patients).toHaveLength(1);
  return out.patients[0]!;
}
const warningsAt = (r: AdaptedRecord, path: string) => r.warnings.filter((w) => w.path === path).map((w) => w.message);

describe("sample Bundles → records (library)", () => {
  it("a full eligible patient maps to the contract's record, every value traced to its resource", () => {
    const r = one(bundleFile("eligible.json"));
    const expected = fixtureRecord("eligible.json");
    expected.id = "SCR-F001";
    delete expected.demographics.age; // FHIR gives the birth date only
    delete expected.reproductive; // a man: EXC-15 does not apply, and nothing in the Bundle says
    expect(r.record).toEqual(expected);
    expect(r.warnings).toEqual([]);
    expect(r.sources["labs.alt"]).toEqual({ resource: "Observation/alt", code: `${LOINC}|1742-6`, effective: "2026-11-23T07:30:00+08:00", element: "valueQuantity, referenceRange.high" });
    expect(r.sources["stroke.onset"]).toMatchObject({ resource: "Condition/stroke", element: "onsetDateTime" });
    expect(r.sources["consent.ableToComply"]).toMatchObject({ resource: "QuestionnaireResponse/screening", element: "item consent.ableToComply" });
    expect(r.sources["history.epilepsy"]).toMatchObject({ resource: "Condition/no-epilepsy", element: "verificationStatus=refuted" });
  });

  it("repeated labs: the latest at or before screening is used, and the warning says so", () => {
    const r = one(bundleFile("repeated-labs.json"));
    expect(r.record.labs).toMatchObject({ alt: { value: 35, unit: "U/L", uln: 40 }, creatinine: { value: 80, unit: "umol/L", uln: 104 } });
    expect(r.sources["labs.alt"]).toMatchObject({ resource: "Observation/alt" });
    const alt = warningsAt(r, "labs.alt");
    expect(alt).toContainEqual(expect.stringMatching(/Observation\/alt-late .* is after the screening time; not used|Observation\/alt-late .*after the screening time .*not used/));
    expect(alt).toContainEqual(expect.stringMatching(/2 Observations .*Observation\/alt-old.*used the latest at or before screening, Observation\/alt$/));
    expect(warningsAt(r, "labs.creatinine")).toContainEqual(expect.stringMatching(/3 Observations .*used the latest at or before screening, Observation\/creat$/));
  });

  it("UCUM units are normalised exactly, ULNs with them", () => {
    const r = one(bundleFile("ucum-units.json"));
    expect(r.record.labs).toEqual({
      alt: { value: 30, unit: "U/L", uln: 48 }, // 0.5 and 0.8 µkat/L × 60
      ast: { value: 30, unit: "U/L", uln: 40 },
      creatinine: { value: 0.9, unit: "mg/dL", uln: 1.2 },
      bun: { value: 15, unit: "mg/dL", uln: 20 }, // LOINC 3094-0: urea nitrogen, so BUN
      platelets: { value: 210, unit: "10^3/uL" }, // 210000 /uL
      aptt: { value: 30, unit: "s" },
      inr: { value: 1.1 }, // unit "1": INR has none
    });
    expect(warningsAt(r, "labs.platelets")).toEqual(["Observation/plt: 210000 /uL converted to 210 10^3/uL"]);
  });

  it("conversions are exact decimals (0.0884 mmol/L is 88.4 umol/L, not 88.39999999999999)", () => {
    const r = one(bundle(patient(), lab("c", "14682-9", 0.0884, "mmol/L", "2026-11-23T07:00:00+08:00", 0.104), lab("b", "22664-7", 5, "mg/dL", "2026-11-23T07:00:00+08:00")));
    expect(r.record.labs).toEqual({ creatinine: { value: 88.4, unit: "umol/L", uln: 104 } });
    // Urea in mg/dL is urea mass, not BUN: the table maps only mmol/L for LOINC 22664-7.
    expect(warningsAt(r, "labs.bun")).toEqual([expect.stringMatching(/unit "mg\/dL" is not mapped for labs\.bun/)]);
  });

  it("unmappable resources stay unknown and are named in one warning", () => {
    const r = one(bundleFile("unmappable.json"));
    expect(r.record.labs).not.toHaveProperty("ast");
    expect(warningsAt(r, "labs.ast")).toEqual([expect.stringMatching(/Observation\/ast .*unit "ukat\/s" is not mapped for labs\.ast/)]);
    const [listing] = warningsAt(r, "");
    expect(listing).toMatch(/^5 resources not mapped/);
    for (const ref of ["Encounter/enc-1", "ImagingStudy/cta-1", "Observation/hr (LOINC 8867-4)", "Condition/htn (ICD-10 I10)", "MedicationStatement/aspirin (RxNorm 1191)"]) expect(listing).toContain(ref);
    expect(listing).not.toContain("Practitioner");
  });

  it("a lab value given as a bound (<5), or without a value, is not a number: unknown", () => {
    const bounded = lab("a", "1742-6", 5, "U/L", "2026-11-23T07:00:00+08:00");
    (bounded.valueQuantity as Json).comparator = "<";
    const absent: Json = { ...lab("p", "777-3", 1, "10*9/L", "2026-11-23T07:00:00+08:00"), valueQuantity: undefined, dataAbsentReason: status("error") };
    const r = one(bundle(patient(), bounded, absent));
    expect(r.record).not.toHaveProperty("labs");
    expect(warningsAt(r, "labs.alt")).toEqual([expect.stringMatching(/a bound, not a measured number/)]);
    expect(warningsAt(r, "labs.platelets")).toEqual([expect.stringMatching(/no value \(dataAbsentReason error\)/)]);
  });
});

describe("malformed Bundles", () => {
  const cases: [string, unknown, RegExp][] = [
    ["not an object", [1, 2], /expected a FHIR Bundle/],
    ["another resource", { resourceType: "Patient", id: "p1" }, /got a Patient resource/],
    ["entry not an array", { resourceType: "Bundle", entry: {} }, /"entry" must be an array/],
    ["an entry without a resource", bundleFile("malformed.json"), /entry\[2\] has no resource/],
    ["a resource without resourceType", bundle(patient(), { id: "x" }), /entry\[1\]\.resource has no resourceType/],
    ["no Patient", bundle(lab("a", "1742-6", 5, "U/L", "2026-11-23")), /holds no Patient resource/],
  ];
  for (const [what, value, message] of cases) {
    it(`${what} → a clear error`, () => {
      const out = bundleToRecords(value, ctx);
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error).toMatch(message);
    });
  }
});

describe("mapping rules (library)", () => {
  it("a Bundle with two Patients gives two records, each with its own resources", () => {
    const out = bundleToRecords(
      bundle(
        patient("p1"),
        patient("p2", { gender: "male" }),
        { ...lab("a1", "1742-6", 20, "U/L", "2026-11-23T07:00:00+08:00"), subject: { reference: "Patient/p1" } },
        { ...lab("a2", "1742-6", 90, "U/L", "2026-11-23T07:00:00+08:00"), subject: { reference: "http://h.example/fhir/Patient/p2/_history/3" } },
        { ...lab("a3", "1742-6", 70, "U/L", "2026-11-23T07:00:00+08:00"), subject: { reference: "Patient/p9" } },
      ),
      ctx,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.patients.map((p) => [p.record.id, (p.record.labs as Json).alt])).toEqual([
      ["p1", { value: 20, unit: "U/L" }],
      ["p2", { value: 90, unit: "U/L" }],
    ]);
    expect(out.patients[0]!.warnings).toContainEqual({ path: "", message: "Observation/a3 refers to Patient/p9, which is not in the Bundle; ignored" });
  });

  it("Conditions: active → true; resolved, unconfirmed → unknown; a refuted subtype does not rule out the whole", () => {
    const r = one(
      bundle(
        patient(),
        condition("c1", ICD10, "G40.909", "active", "confirmed"),
        condition("c2", ICD10, "C34.1", "resolved"),
        condition("c3", SCT, "126952004", "active", "provisional"),
        condition("c4", ICD10, "D68.5", undefined, "refuted"),
        condition("c5", ICD10, "A41.9", "active"),
      ),
    );
    expect(r.record.history).toEqual({ epilepsy: true });
    expect(r.record.infections).toEqual({ severeInfection: true });
    expect(warningsAt(r, "history.otherMalignancy")).toEqual([expect.stringMatching(/Condition\/c2 \(ICD-10 C34\.1\) has clinicalStatus resolved.*left unknown/)]);
    expect(warningsAt(r, "history.brainTumor")).toEqual([expect.stringMatching(/provisional, not confirmed; left unknown/)]);
    expect(warningsAt(r, "history.coagulationDisorder")).toEqual([expect.stringMatching(/refutes ICD-10 D68\.5, which does not rule out history\.coagulationDisorder as a whole/)]);
  });

  it("resources that disagree leave the field unknown, with a warning naming both", () => {
    const r = one(bundle(patient(), condition("yes", SCT, "84757009", "active", "confirmed"), condition("no", SCT, "84757009", undefined, "refuted")));
    expect(r.record).not.toHaveProperty("history");
    expect(warningsAt(r, "history.epilepsy")).toEqual([expect.stringMatching(/disagrees with itself \(true from Condition\/yes, false from Condition\/no\); left unknown/)]);
  });

  it("heparin: the latest administration at or before screening; a statement without one leaves it unknown", () => {
    const admin = (id: string, at: string): Json => ({ resourceType: "MedicationAdministration", id, status: "completed", medicationCodeableConcept: cc(ATC, "B01AB05"), subject: { reference: "Patient/p1" }, effectiveDateTime: at });
    const r = one(bundle(patient(), admin("h1", "2026-11-22T20:00:00+08:00"), admin("h2", "2026-11-23T08:00:00+08:00"), admin("h3", "2026-11-24T10:00:00+08:00")));
    expect(r.record.medications).toEqual({ lastHeparinDose: "2026-11-23T08:00:00+08:00" });
    expect(warningsAt(r, "medications.lastHeparinDose")).toEqual([expect.stringMatching(/h3 .*after the screening time/), expect.stringMatching(/2 administrations; used the latest .*h2/)]);
    const onlyStatement = one(bundle(patient(), { resourceType: "MedicationStatement", id: "s", status: "active", medicationCodeableConcept: cc(ATC, "B01AB01"), subject: { reference: "Patient/p1" } }));
    expect(onlyStatement.record).not.toHaveProperty("medications");
    expect(warningsAt(onlyStatement, "medications.lastHeparinDose")).toEqual([expect.stringMatching(/not the time of its last dose/)]);
  });

  it("a drug named through a Medication resource (medicationReference) is found", () => {
    const r = one(
      bundle(
        patient(),
        { resourceType: "Medication", id: "m1", code: cc("http://www.nlm.nih.gov/research/umls/rxnorm", "11289") },
        { resourceType: "MedicationRequest", id: "rq", status: "active", intent: "order", medicationReference: { reference: "Medication/m1" }, subject: { reference: "Patient/p1" } },
      ),
    );
    expect(r.record.medications).toEqual({ warfarin: true });
  });

  it("thrombolysis for this stroke only: an alteplase administration after the onset counts, one before it does not", () => {
    const alteplase = (id: string, at: string): Json => ({ resourceType: "MedicationAdministration", id, status: "completed", medicationCodeableConcept: cc(ATC, "B01AD02"), subject: { reference: "Patient/p1" }, effectiveDateTime: at });
    expect(one(bundle(patient(), onsetCondition(), alteplase("t", "2026-11-21T11:30:00+08:00"))).record.stroke).toMatchObject({ thrombolysis: true });
    const before = one(bundle(patient(), onsetCondition(), alteplase("t", "2026-03-01T11:30:00+08:00")));
    expect(before.record.stroke).not.toHaveProperty("thrombolysis");
    expect(warningsAt(before, "stroke.thrombolysis")).toEqual([expect.stringMatching(/precedes stroke\.onset .*not for this stroke/)]);
    const noOnset = one(bundle(patient(), alteplase("t", "2026-11-21T11:30:00+08:00")));
    expect(noOnset.record).not.toHaveProperty("stroke");
  });

  it("an mRS is the pre-stroke mRS only when dated before the onset", () => {
    const mrs = (id: string, at: string, value: number): Json => ({ resourceType: "Observation", id, status: "final", code: cc(LOINC, "75859-9"), subject: { reference: "Patient/p1" }, effectiveDateTime: at, valueInteger: value });
    const r = one(bundle(patient(), onsetCondition(), mrs("before", "2026-11-01", 1), mrs("after", "2026-11-23T09:00:00+08:00", 4)));
    expect(r.record.stroke).toMatchObject({ preStrokeMrs: 1 });
    expect(warningsAt(r, "stroke.preStrokeMrs")).toEqual([expect.stringMatching(/Observation\/after .*not dated before stroke\.onset/)]);
  });

  it("contrast allergy: high criticality is severe, mild rash is mild-rash, anything else unknown (and a general 'no known allergy' does not override it)", () => {
    const allergy = (extra: Json): Json => ({ resourceType: "AllergyIntolerance", id: "a", code: cc(SCT, "293637006"), patient: { reference: "Patient/p1" }, ...extra });
    const nka: Json = { resourceType: "AllergyIntolerance", id: "nka", code: cc(SCT, "716186003"), patient: { reference: "Patient/p1" } };
    expect(one(bundle(patient(), allergy({ criticality: "high" }), nka)).record.allergies).toEqual({ contrast: "severe", studyDrug: false });
    const rash = allergy({ criticality: "low", reaction: [{ severity: "mild", manifestation: [cc(SCT, "271807003")] }] });
    expect(one(bundle(patient(), rash)).record.allergies).toEqual({ contrast: "mild-rash" });
    const vague = one(bundle(patient(), allergy({ reaction: [{ severity: "moderate", manifestation: [cc(SCT, "271807003")] }] }), nka));
    expect(vague.record.allergies).toEqual({ studyDrug: false });
    expect(warningsAt(vague, "allergies.contrast")).toEqual([expect.stringMatching(/severity cannot be read/)]);
  });

  it("the screening questionnaire: the latest answer wins; other questionnaires and unknown items are named, not read", () => {
    const qr = (id: string, authored: string, items: Json[], questionnaire = mapping.file.questionnaire.urls[0]): Json => ({ resourceType: "QuestionnaireResponse", id, questionnaire, status: "completed", subject: { reference: "Patient/p1" }, authored, item: items });
    const r = one(
      bundle(
        patient(),
        qr("q2", "2026-11-24T08:00:00+08:00", [{ linkId: "consent.ableToComply", answer: [{ valueBoolean: true }] }]),
        qr("q1", "2026-11-23T08:00:00+08:00", [{ linkId: "consent.ableToComply", answer: [{ valueBoolean: false }] }, { linkId: "stroke.nihs", answer: [{ valueInteger: 3 }] }]),
        qr("other", "2026-11-24T08:00:00+08:00", [{ linkId: "consent.ableToComply", answer: [{ valueBoolean: false }] }], "http://example.org/Questionnaire/phq9"),
      ),
    );
    expect(r.record.consent).toEqual({ ableToComply: true });
    expect(warningsAt(r, "consent.ableToComply")).toEqual([expect.stringMatching(/answered differently in QuestionnaireResponse\/q1 and QuestionnaireResponse\/q2; used the latest authored/)]);
    expect(warningsAt(r, "stroke.nihs")).toEqual([expect.stringMatching(/item "stroke\.nihs" is not a record field/)]);
    expect(warningsAt(r, "")[0]).toContain("QuestionnaireResponse/other (questionnaire http://example.org/Questionnaire/phq9)");
  });

  it("without a screening time from the Bundle, --as-of (or now) decides which results are 'at or before'", () => {
    const b = bundle(patient(), lab("a1", "1742-6", 20, "U/L", "2026-11-20T07:00:00+08:00"), lab("a2", "1742-6", 90, "U/L", "2026-11-22"));
    expect((one(b, { ...ctx, screening: { ms: Date.parse("2026-11-21T00:00:00Z"), offsetMin: 480 } }).record.labs as Json).alt).toEqual({ value: 20, unit: "U/L" });
    expect((one(b).record.labs as Json).alt).toEqual({ value: 90, unit: "U/L" }); // a date-only result counts from the start of its day
  });

  it("the mapping table is checked against the rules when loaded", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "screen-map-"));
    try {
      const table = JSON.parse(readFileSync(mapping.source, "utf8"));
      table.conditions.push({ path: "history.epilepsey", codes: { snomed: ["1"] }, present: true });
      table.labs[0].units["U/L"].unit = "IU";
      const file = join(dir, "fhir-r4.json");
      writeFileSync(file, JSON.stringify(table));
      expect(() => loadFhirMapping(rules, file)).toThrow(/"IU" is not a unit of labs\.alt[\s\S]*"history\.epilepsey" is not a field the rules declare/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.concurrent("Bundles through the CLI (node bin/screen.js)", () => {
  const cases: [file: string, verdict: string, code: number, failed: string[], unknown: string[]][] = [
    [sample("eligible.json"), "eligible", 0, [], []],
    [sample("repeated-labs.json"), "eligible", 0, [], []],
    [sample("unmappable.json"), "incomplete", 3, [], ["INC-08"]],
    [sample("ucum-units.json"), "eligible", 0, [], []],
    [fixture("fhir-bundle.json"), "eligible", 0, [], []],
  ];
  for (const [file, verdict, code, failed, unknown] of cases) {
    it(`${file.slice(ROOT.length + 1)} → ${verdict}, exit ${code}`, async () => {
      const run = await screen([file, "--format", "json"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(code);
      const r = JSON.parse(run.stdout);
      expect([r.verdict, r.failed, r.unknown]).toEqual([verdict, failed, unknown]);
      expect(r.id).toBe("SCR-F001");
      expect(r.sources["labs.alt"].resource).toMatch(/^Observation\//);
    });
  }

  it("a malformed Bundle → a clear error, exit 2", async () => {
    const run = await screen([sample("malformed.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/INVALID RECORD/);
    expect(run.stdout).toMatch(/malformed FHIR Bundle: entry\[2\] has no resource/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const json = await screen([sample("malformed.json"), "--format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "error", errors: [{ path: "", message: expect.stringMatching(/entry\[2\]/) }] });
  });

  it("--from fhir: text that is not JSON, or a record that is not a Bundle, is an error result, exit 2", async () => {
    const broken = await screen(["--from", "fhir", "--format", "json"], { input: '{"resourceType": "Bundle", "entry": [' });
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stdout).errors[0].message).toMatch(/not valid JSON/);
    const record = await screen([fixture("eligible.json"), "--from", "fhir", "--format", "json"]);
    expect(record.code).toBe(2);
    expect(JSON.parse(record.stdout).errors[0].message).toMatch(/expected a FHIR Bundle/);
  });

  it("NDJSON of Bundles: one result per Bundle, in order, with line numbers", async () => {
    const eligible = bundleFile("eligible.json");
    const low = structuredClone(eligible);
    low.entry.find((e: { resource: Json }) => e.resource.id === "nihss").resource.valueInteger = 4;
    const run = await screen(["--format", "ndjson"], { input: ndjson([eligible, low, bundleFile("malformed.json")]) });
    expect(run.code).toBe(2);
    const results = parseNdjson(run.stdout);
    expect(results.map((r) => [r.line, r.verdict, r.failed])).toEqual([
      [1, "eligible", []],
      [2, "ineligible", ["INC-05"]],
      [3, "error", undefined],
    ]);
    expect(results[1].sources["stroke.nihss"]).toMatchObject({ resource: "Observation/nihss" });
  });

  it("--explain-sources names the resource behind each value", async () => {
    const run = await screen([sample("repeated-labs.json"), "--explain-sources"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/labs\.alt\s+← Observation\/alt valueQuantity, referenceRange\.high http:\/\/loinc\.org\|1742-6 at 2026-11-23T07:30:00\+08:00/);
    expect(run.stdout).toMatch(/Warnings[\s\S]*used the latest at or before screening/);
  });

  it("--format fhir: one ResearchSubject with a contained Observation per criterion", async () => {
    const run = await screen([sample("eligible.json"), "--format", "fhir"]);
    expect(run.code).toBe(0);
    const rs = JSON.parse(run.stdout);
    expect(rs.resourceType).toBe("ResearchSubject");
    expect(rs.status).toBe("eligible");
    expect(rs.study.identifier.value).toBe("NCT07232563");
    expect(rs.individual).toEqual({ reference: "Patient/p-0001", display: "SCR-F001" });
    expect(rs.contained).toHaveLength(27);
    expect(rs.contained[0]).toMatchObject({ resourceType: "Observation", id: "INC-01", status: "final", focus: [{ reference: "#" }], valueCodeableConcept: { coding: [{ code: "pass" }] } });
    expect(rs.contained.find((o: Json) => o.id === "EXC-15").valueCodeableConcept.coding[0].code).toBe("not_applicable");
  });

  it("--format fhir on a batch: a collection Bundle; incomplete is 'candidate', an invalid record an OperationOutcome", async () => {
    const run = await screen([sample("unmappable.json"), fixture("ineligible.json"), fixture("invalid.json"), "--format", "fhir"]);
    expect(run.code).toBe(2);
    const b = JSON.parse(run.stdout);
    expect(b).toMatchObject({ resourceType: "Bundle", type: "collection" });
    expect(b.entry.map((e: { resource: Json }) => [e.resource.resourceType, e.resource.status])).toEqual([
      ["ResearchSubject", "candidate"],
      ["ResearchSubject", "ineligible"],
      ["OperationOutcome", undefined],
    ]);
    const candidate = b.entry[0].resource;
    expect(candidate.contained.find((o: Json) => o.id === "INC-08").extension).toEqual([{ url: expect.stringMatching(/criterion-needs$/), valueString: "labs.ast" }]);
    expect(b.entry[1].resource.individual).toMatchObject({ identifier: { value: "SCR-0002" } });
    expect(b.entry[2].resource.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toEqual(expect.arrayContaining(["stroke.nihss"]));
  });

  it("--from json reads a Bundle as a plain record (no mapping): its fields are unknown", async () => {
    const run = await screen([sample("eligible.json"), "--from", "json", "--format", "json"]);
    const r = JSON.parse(run.stdout);
    expect(r.verdict).toBe("incomplete");
    expect(r).not.toHaveProperty("sources");
    expect(r.warnings.map((w: Json) => w.path)).toContain("resourceType");
  });
});

// ---------------------------------------------------------------------------------------------
// Audit repros: unconfirmed / resolved / unclassified evidence is never overruled by a firm "no";
// deep nesting is not a crash; Bundle data never indexes the prototype; a completed order does
// not say "not taking"; a BUN code in mmol/L is named.

const withResources = (...resources: Json[]): any => {
  const b = bundleFile("eligible.json");
  b.entry.push(...resources.map((resource) => ({ resource: { ...resource, subject: { reference: "Patient/p-0001" } } })));
  return b;
};
const screenBundle = async (b: Json) => {
  const run = await screen(["--format", "json"], { input: JSON.stringify(b) });
  expect(run.stderr).toBe("");
  return { code: run.code, r: JSON.parse(run.stdout) };
};
const warned = (r: { warnings?: { path: string; message: string }[] }, path: string, resource: string) =>
  (r.warnings ?? []).some((w) => w.path === path && w.message.includes(resource));

describe.concurrent("a firm 'no' never overrules unconfirmed, resolved or unclassified evidence (CLI)", () => {
  const cases: [what: string, path: string, resource: string, extra: Json[]][] = [
    ["an epilepsy Condition resolved, next to a refuted one", "history.epilepsy", "Condition/g40-resolved", [condition("g40-resolved", ICD10, "G40.909", "resolved")]],
    ["an epilepsy Condition with no clinicalStatus, next to a refuted one", "history.epilepsy", "Condition/g40-nostatus", [condition("g40-nostatus", ICD10, "G40.909")]],
    ["a provisional brain tumour, next to a refuted one", "history.brainTumor", "Condition/bt-prov", [condition("bt-prov", SCT, "126952004", "active", "provisional")]],
    ["a lung cancer in remission, next to a refuted malignancy", "history.otherMalignancy", "Condition/c34", [condition("c34", ICD10, "C34.1", "remission")]],
    [
      "a contrast allergy of unclassified severity, next to a refuted one",
      "allergies.contrast",
      "AllergyIntolerance/contrast-vague",
      [
        { resourceType: "AllergyIntolerance", id: "contrast-vague", code: cc(SCT, "293637006"), patient: { reference: "Patient/p-0001" } },
        { resourceType: "AllergyIntolerance", id: "contrast-refuted", verificationStatus: status("refuted"), code: cc(SCT, "293637006"), patient: { reference: "Patient/p-0001" } },
      ],
    ],
    [
      "a thrombectomy completed with no time, next to a not-done one",
      "stroke.endovascularTreatment",
      "Procedure/evt-undated",
      [{ resourceType: "Procedure", id: "evt-undated", status: "completed", code: cc("http://www.cms.gov/Medicare/Coding/ICD10", "03CG3ZZ") }],
    ],
  ];
  for (const [what, path, resource, extra] of cases) {
    it(`${what} → ${path} unknown, incomplete, with a warning naming ${resource}`, async () => {
      const { code, r } = await screenBundle(withResources(...extra));
      expect(r.verdict).toBe("incomplete");
      expect(code).toBe(3);
      expect(warned(r, path, resource)).toBe(true);
    });
  }

  it("a firm confirmed 'yes' still decides next to resolved evidence", () => {
    const r = one(bundle(patient(), condition("act", ICD10, "G40.909", "active", "confirmed"), condition("old", ICD10, "G40.1", "resolved")));
    expect(r.record.history).toEqual({ epilepsy: true });
  });
});

describe("deep nesting in a Bundle is not a crash", () => {
  // Built as text: JSON.stringify itself would overflow on such values.
  const deepItems = (levels: number, leaf: string) => `${'[{"linkId":"g","item":'.repeat(levels)}${leaf}${"}]".repeat(levels)}`;
  const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
  const line = (b: Json, deep: Record<string, string>) => Object.entries(deep).reduce((text, [mark, value]) => text.replace(JSON.stringify(mark), value), JSON.stringify(b));
  it("NDJSON good / deep questionnaire / deep lab value / deep answer / good: every record is screened, the deep parts ignored with a warning", async () => {
    const good = bundleFile("eligible.json");
    const qr = (id: string, item: unknown): Json => ({ resourceType: "QuestionnaireResponse", id, questionnaire: mapping.file.questionnaire.urls[0], status: "completed", authored: "2026-11-24T09:00:30+08:00", item });
    const deepQr = withResources(qr("deep-qr", "@ITEMS"));
    const deepLab = bundleFile("eligible.json");
    deepLab.entry.find((e: { resource: Json }) => e.resource.id === "alt").resource.valueQuantity.value = "@OBJECT";
    const deepAnswer = withResources(qr("deep-answer", [{ linkId: "history.epilepsy", answer: [{ valueAttachment: "@OBJECT" }] }]));
    const deep = { "@ITEMS": deepItems(10_000, '[{"linkId":"consent.ableToComply","answer":[{"valueBoolean":true}]}]'), "@OBJECT": deepObject(10_000) };
    const input = [good, deepQr, deepLab, deepAnswer, good].map((b) => line(b, deep)).join("\n") + "\n";
    expect(input.length).toBeGreaterThan(200_000);
    const run = await screen(["--format", "ndjson"], { input });
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack/);
    const results = parseNdjson(run.stdout);
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(results[0].verdict).toBe("eligible");
    expect(results[4].verdict).toBe("eligible");
    expect(results[1].verdict).toBe("eligible"); // the nested groups are read iteratively
    expect(results[1].sources["consent.ableToComply"]).toMatchObject({ resource: "QuestionnaireResponse/deep-qr" });
    expect(results[2].verdict).toBe("incomplete");
    expect(results[2].warnings.find((w: Json) => w.path === "labs.alt").message).toMatch(/valueQuantity\.value \(an object\) is not a number/);
    expect(results[3].verdict).not.toBe("eligible");
    expect(warned(results[3], "history.epilepsy", "QuestionnaireResponse/deep-answer")).toBe(true);
  });
});

describe("Bundle data never reaches the object prototype", () => {
  for (const gender of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    it(`gender "${gender}" → not mapped, left unknown`, () => {
      const r = one(bundle(patient("p1", { gender })));
      expect(r.record).not.toHaveProperty("demographics.sex");
      expect(warningsAt(r, "demographics.sex")).toEqual([expect.stringMatching(/is not mapped to a sex the criteria read; left unknown/)]);
    });
  }
  it("a questionnaire linkId or a unit named after a prototype property is not mapped", () => {
    const qr: Json = { resourceType: "QuestionnaireResponse", id: "q", questionnaire: mapping.file.questionnaire.urls[0], status: "completed", subject: { reference: "Patient/p1" }, authored: "2026-11-24T08:00:00+08:00", item: [{ linkId: "constructor", answer: [{ valueBoolean: true }] }] };
    const r = one(bundle(patient(), qr, lab("a", "1742-6", 5, "constructor", "2026-11-23T07:00:00+08:00")));
    expect(r.record).not.toHaveProperty("labs");
    expect(warningsAt(r, "constructor")).toEqual([expect.stringMatching(/not a record field/)]);
  });
});

describe("medications: only a status that says so means 'not taking'", () => {
  const rx = (id: string, st: string, code = "11289", type = "MedicationRequest"): Json => ({ resourceType: type, id, status: st, intent: "order", medicationCodeableConcept: cc("http://www.nlm.nih.gov/research/umls/rxnorm", code), subject: { reference: "Patient/p1" } });
  for (const [code, path] of [["11289", "medications.warfarin"], ["42316", "medications.immunosuppressants"]] as const) {
    it(`a completed MedicationRequest (${path}) leaves it unknown, with a warning; a MedicationStatement not-taken next to it does not settle it`, () => {
      const r = one(bundle(patient(), rx("rq", "completed", code)));
      expect(r.record).not.toHaveProperty("medications");
      expect(warningsAt(r, path)).toEqual([expect.stringMatching(/MedicationRequest\/rq .*completed.*left unknown/)]);
      const both = one(bundle(patient(), rx("rq", "completed", code), rx("st", "not-taken", code, "MedicationStatement")));
      expect(both.record).not.toHaveProperty("medications");
      expect(warningsAt(both, path)).toContainEqual(expect.stringMatching(/MedicationRequest\/rq/));
      const active = one(bundle(patient(), rx("rq", "completed", code), rx("st", "active", code, "MedicationStatement")));
      expect(active.record.medications).toEqual({ [path.split(".")[1]!]: true });
    });
  }
  it("a MedicationStatement completed still means no longer taken (weak: an active one overrides)", () => {
    expect(one(bundle(patient(), rx("st", "completed", "11289", "MedicationStatement"))).record.medications).toEqual({ warfarin: false });
  });
  it("a warfarin order completed: INR 2.5 is not waved through (CLI)", async () => {
    const b = withResources({ ...rx("rq", "completed"), subject: { reference: "Patient/p-0001" } });
    b.entry = b.entry.filter((e: { resource: Json }) => e.resource.id !== "no-warfarin");
    b.entry.find((e: { resource: Json }) => e.resource.id === "inr").resource.valueQuantity.value = 2.5;
    const { r } = await screenBundle(b);
    expect(r.verdict).not.toBe("eligible");
    expect(warned(r, "medications.warfarin", "MedicationRequest/rq")).toBe(true);
  });
  it("heparin: a completed order does not give a last dose, nor does it let a not-taken statement say 'none'", () => {
    const r = one(bundle(patient(), rx("rq", "completed", "5224"), rx("st", "not-taken", "5224", "MedicationStatement")));
    expect(r.record).not.toHaveProperty("medications");
    expect(warningsAt(r, "medications.lastHeparinDose")).toContainEqual(expect.stringMatching(/MedicationRequest\/rq/));
  });
});

it("LOINC 3094-0 (urea nitrogen by mass) in mmol/L is read as urea mmol/L, with a warning", () => {
  const r = one(bundle(patient(), lab("u", "3094-0", 5.5, "mmol/L", "2026-11-23T07:00:00+08:00")));
  expect(r.record.labs).toEqual({ bun: { value: 5.5, unit: "mmol/L" } });
  expect(warningsAt(r, "labs.bun")).toEqual([expect.stringMatching(/Observation\/u: .*read as urea mmol\/L from a BUN code/)]);
});

it("a treatment or heparin dose of unclear status (on-hold, unknown, none) is held unknown beside a 'no'", () => {
  const evt = (id: string, st?: string): Json => ({ resourceType: "Procedure", id, ...(st ? { status: st } : {}), code: cc("http://www.cms.gov/Medicare/Coding/ICD10", "03CG3ZZ"), subject: { reference: "Patient/p1" }, performedDateTime: "2026-11-21T12:00:00+08:00" });
  for (const st of ["on-hold", "unknown", undefined]) {
    const r = one(bundle(patient(), onsetCondition(), evt("maybe", st), evt("no", "not-done")));
    expect(r.record.stroke).not.toHaveProperty("endovascularTreatment");
    expect(warningsAt(r, "stroke.endovascularTreatment")).toEqual([expect.stringMatching(/Procedure\/maybe .*whether it was done cannot be told; left unknown/)]);
  }
  expect(one(bundle(patient(), onsetCondition(), evt("prep", "preparation"), evt("no", "not-done"))).record.stroke).toMatchObject({ endovascularTreatment: false });
  const dose: Json = { resourceType: "MedicationAdministration", id: "dose", status: "unknown", medicationCodeableConcept: cc(ATC, "B01AB05"), subject: { reference: "Patient/p1" }, effectiveDateTime: "2026-11-23T08:00:00+08:00" };
  const none: Json = { resourceType: "MedicationStatement", id: "none", status: "not-taken", medicationCodeableConcept: cc(ATC, "B01AB05"), subject: { reference: "Patient/p1" } };
  const r = one(bundle(patient(), dose, none));
  expect(r.record).not.toHaveProperty("medications");
  expect(warningsAt(r, "medications.lastHeparinDose")).toEqual([expect.stringMatching(/MedicationAdministration\/dose .*status unknown.*left unknown/)]);
});
