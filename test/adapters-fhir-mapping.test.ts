/**
 * The FHIR mapping table's schema and vocabulary (issue 10 item 4): strict keys named with their
 * place, and the reporter naming the Patient through the rules' own subject id field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules } from "../src/rules/load.js";
import { loadCsvMapping } from "../src/rules/mapping/csv.js";
import { loadFhirMapping } from "../src/rules/mapping/fhir.js";
import { fhirOutOptions, researchSubject } from "../src/report/fhir.js";
import type { OutputResult } from "../src/result.js";

const rules = loadRules();
const mapping = loadFhirMapping(rules);
const dir = mkdtempSync(join(tmpdir(), "screen-fhirmap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withTable(edit: (table: any) => void): string {
  const table = JSON.parse(readFileSync(mapping.source, "utf8"));
  edit(table);
  const file = join(dir, `fhir-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(table));
  return file;
}

describe("mapping schema is strict", () => {
  it("a misspelt top-level key is refused, naming the file and the key", () => {
    const file = withTable((t) => {
      t.conditionOnset = t.conditionOnsets;
    });
    expect(() => loadFhirMapping(rules, file)).toThrow(new RegExp(`invalid mapping table ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\n  conditionOnset: unknown key "conditionOnset"`));
  });

  it("a misspelt nested key is refused with its JSON path", () => {
    const file = withTable((t) => {
      t.labs[2].units["mg/dL"].factr = "1";
      t.allergies[0].values.severe = "severe";
    });
    expect(() => loadFhirMapping(rules, file)).toThrow(/labs\.2\.units\.mg\/dL\.factr: unknown key "factr"[\s\S]*allergies\.0\.values\.severe: unknown key "severe"/);
  });

  it("the spreadsheet conventions are strict too", () => {
    const table = JSON.parse(readFileSync(join(dirname(mapping.source), "csv.json"), "utf8"));
    table.nones = table.none;
    const file = join(dir, "csv.json");
    writeFileSync(file, JSON.stringify(table));
    expect(() => loadCsvMapping(rules, file)).toThrow(/nones: unknown key "nones"/);
  });

  it("a medication's 'sets' must fit its path's type (taken-now is a boolean field)", () => {
    const file = withTable((t) => {
      t.medications[0].sets = "last-dose-time";
    });
    expect(() => loadFhirMapping(rules, file)).toThrow(/medications\[0\]: "medications\.warfarin" is a boolean field, expected timestamp/);
  });

  it("an onset path must be a timestamp field", () => {
    const file = withTable((t) => {
      t.conditionOnsets[0].path = "history.epilepsy";
    });
    expect(() => loadFhirMapping(rules, file)).toThrow(/conditionOnsets\[0\]: "history\.epilepsy" is a boolean field, expected timestamp/);
  });
});

describe("ResearchSubject names the Patient through the rules' subject id", () => {
  const base = { rules: rules.meta, screenedAt: "2026-11-24T09:00:00+08:00", verdict: "eligible", criteria: [], warnings: [] } as unknown as OutputResult;
  it("the id field's source, when a Patient, is the individual", () => {
    const r = { ...base, id: "SCR-1", sources: { [rules.file.subject.id]: { resource: "Patient/p1" } } } as unknown as OutputResult;
    expect(researchSubject(r, fhirOutOptions(rules)).individual).toEqual({ reference: "Patient/p1", display: "SCR-1" });
  });
  it("a source under another path is not taken for the id's", () => {
    const o = { ...fhirOutOptions(rules), idPath: "subjectId" };
    const r = { ...base, id: "SCR-1", sources: { id: { resource: "Patient/p1" } } } as unknown as OutputResult;
    expect(researchSubject(r, o).individual).toEqual({ identifier: { system: `${o.base}/screening-id`, value: "SCR-1" }, display: "SCR-1" });
  });
});
