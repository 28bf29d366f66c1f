/**
 * `screen coverage` (issue 11 item 5): per record field, how many inputs supplied it, and the codes
 * in the data the mapping does not use, ranked by count with their display text; text and JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CoverageCollector } from "../src/input/coverage.js";
import { renderCoverage } from "../src/report/coverage.js";
import { loadRules } from "../src/rules/load.js";
import { screen } from "./helpers/cli.js";

const rules = loadRules();
const dir = mkdtempSync(join(tmpdir(), "screen-coverage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const obs = (id: string, pid: string, code: string, display: string, value = 1): Json => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: cc("http://loinc.org", code, display),
  subject: { reference: `Patient/${pid}` },
  effectiveDateTime: "2026-11-23T07:00:00+08:00",
  valueQuantity: { value, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
});
const bundle = (pid: string, ...resources: Json[]): Json => ({
  resourceType: "Bundle",
  type: "collection",
  entry: [{ resourceType: "Patient", id: pid, gender: "female", birthDate: "1960-01-01" }, ...resources].map((resource) => ({ resource })),
});

describe("coverage collector", () => {
  it("counts the fields each record supplied, and ranks unused codes by count with their display", () => {
    const c = new CoverageCollector(rules, (s) => (s === "http://loinc.org" ? "LOINC" : (s ?? "?")));
    c.add({ value: { id: "a", stroke: { nihss: 8 }, labs: { creatinine: { value: 1, unit: "mg/dL" } } }, unmappedCodes: [{ resourceType: "Observation", system: "http://loinc.org", code: "2339-0", display: "Glucose" }] });
    c.add({ value: { id: "b" }, unmappedCodes: [{ resourceType: "Observation", system: "http://loinc.org", code: "2339-0" }, { resourceType: "Condition", system: "http://loinc.org", code: "8302-2", display: "Body Height" }] });
    c.add({ error: "deceased", sources: { id: { resource: "Patient/c" }, "labs.alt": { resource: "Observation/x" } } });
    const r = c.report();
    expect(r).toMatchObject({ inputs: 3, errors: 1 });
    const count = (p: string) => r.fields.find((f) => f.path === p)!.count;
    expect([count("id"), count("stroke.nihss"), count("labs.creatinine"), count("labs.alt"), count("stroke.onset")]).toEqual([3, 1, 1, 1, 0]);
    expect(r.unusedCodes).toEqual([
      { system: "http://loinc.org", label: "LOINC", code: "2339-0", display: "Glucose", resourceTypes: ["Observation"], count: 2 },
      { system: "http://loinc.org", label: "LOINC", code: "8302-2", display: "Body Height", resourceTypes: ["Condition"], count: 1 },
    ]);
    const text = renderCoverage(r, "text");
    expect(text).toMatch(/Coverage of 3 input records \(1 not screenable\)/);
    expect(text).toMatch(/\n {4}2 {2}LOINC 2339-0 {2}Glucose {2}\[Observation\]\n/);
  });
});

describe("screen coverage (CLI, in-process)", () => {
  const a = join(dir, "a.json");
  const b = join(dir, "b.ndjson");
  writeFileSync(a, JSON.stringify(bundle("p1", obs("cr", "p1", "38483-4", "Creatinine"), obs("g", "p1", "2339-0", "Glucose"))));
  writeFileSync(b, [bundle("p2", obs("g2", "p2", "2339-0", "Glucose"), obs("h", "p2", "8302-2", "Body Height")), bundle("p3")].map((x) => JSON.stringify(x)).join("\n") + "\n");

  it("text: fields with counts, unused codes most frequent first", async () => {
    const run = await screen(["coverage", a, b, "--as-of", "2026-11-24T09:00:00+08:00"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Coverage of 3 input records/);
    expect(run.stdout).toMatch(/ {4}3 {2}demographics\.birthDate\n/);
    expect(run.stdout).toMatch(/ {4}1 {2}labs\.creatinine\n/);
    expect(run.stdout.indexOf("LOINC 2339-0  Glucose")).toBeLessThan(run.stdout.indexOf("LOINC 8302-2  Body Height"));
  });

  it("--format json", async () => {
    const run = await screen(["coverage", a, b, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"]);
    const report = JSON.parse(run.stdout);
    expect(report.unusedCodes[0]).toEqual({ system: "http://loinc.org", label: "LOINC", code: "2339-0", display: "Glucose", resourceTypes: ["Observation"], count: 2 });
  });

  it("sheets and JSON records are counted too (a blank cell supplies nothing)", async () => {
    const sheet = join(dir, "sheet.csv");
    writeFileSync(sheet, "id,stroke.nihss,labs.platelets.value,labs.platelets.unit\r\nA,8,210,10^9/L\r\nB,,,\r\n");
    const record = join(dir, "record.json");
    writeFileSync(record, JSON.stringify({ id: "C", stroke: { nihss: 4 } }));
    const report = JSON.parse((await screen(["coverage", sheet, record, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"])).stdout);
    const count = (p: string) => report.fields.find((f: { path: string }) => f.path === p).count;
    expect([report.inputs, count("id"), count("stroke.nihss"), count("labs.platelets"), count("stroke.onset")]).toEqual([3, 3, 2, 1, 0]);
    expect(report.unusedCodes).toEqual([]);
  });

  it("a format it does not write is bad usage", async () => {
    const run = await screen(["coverage", a, "--format", "csv"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format .* 'csv' is invalid.*text, json/s);
  });
});
