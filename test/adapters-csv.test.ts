/**
 * Spreadsheet input (issue 7): CSV/TSV rows → records, provenance, errors that name the row and
 * column, the template, and the round trip record → CSV row → record. The sample sheets are in
 * test/fixtures/csv/ (and fixtures/sheet.csv); each verdict is checked through the built CLI.
 */
import { Readable } from "node:stream";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatRow, readCsv, recordToRow } from "../src/input/csv.js";
import { templateColumns } from "../src/rules/mapping/csv.js";
import { knownColumns } from "../src/rules/mapping/csv.js";
import type { AdaptedItem } from "../src/input/provenance.js";
import { loadRules } from "../src/rules/load.js";
import { screen as screenRecord } from "../src/index.js";
import { fixture, fixtureRecord, parseCsv, parseNdjson, ROOT, screen, STACK_TRACE, tempDir } from "./helpers/cli.js";
import { getPath, recordArb } from "./helpers/arbitraries.js";

const rules = loadRules();
const COLUMNS = templateColumns(rules);
const sample = (name: string) => join(ROOT, "test", "fixtures", "csv", name);
const tmp = tempDir("screen-csv-");
afterAll(() => tmp.cleanup());

async function readText(text: string, delimiter: "," | "\t" = ","): Promise<AdaptedItem[]> {
  const items: AdaptedItem[] = [];
  for await (const item of readCsv({ name: "-", open: () => Readable.from([text]) }, undefined, rules, delimiter)) items.push(item);
  return items;
}

/** The record as the sheet can hold it: only the paths the rules declare. */
function declaredPart(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of knownColumns(rules)) {
    const value = getPath(record, path);
    if (value === undefined) continue;
    const keys = path.split(".");
    let node = out;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  }
  return out;
}

describe("round trip: record → CSV row → record", () => {
  const fixtures = ["eligible.json", "ineligible.json", "incomplete.json", "woman-childbearing.json", "woman-no-contraception.json", "onset-date-only.json"];
  for (const name of fixtures) {
    it(`${name} comes back identical`, async () => {
      const record = fixtureRecord(name);
      const text = [formatRow(COLUMNS), formatRow(recordToRow(record, COLUMNS, rules))].join("\r\n") + "\r\n";
      const [item] = await readText(text);
      expect(item?.error).toBeUndefined();
      expect(item?.value).toEqual(record);
      expect(item?.line).toBe(2);
    });
  }

  it("texts that need quoting (commas, quotes, line breaks) and nulls survive", async () => {
    const record = { ...fixtureRecord("eligible.json"), id: 'Chen, "Wei"\nbed 4' };
    const text = formatRow(COLUMNS) + "\n" + formatRow(recordToRow(record, COLUMNS, rules)) + "\n";
    const [item] = await readText(text);
    expect(item?.value).toEqual(record);
    expect((item?.value as { medications: { lastHeparinDose: unknown } }).medications.lastHeparinDose).toBeNull();
  });

  it("every valid generated record (TSV and CSV) comes back identical on the paths a sheet holds", async () => {
    await fc.assert(
      fc.asyncProperty(recordArb, fc.constantFrom<"," | "\t">(",", "\t"), async ({ record, asOf }, delimiter) => {
        const result = screenRecord(record, rules, { asOf, timeZone: "UTC" });
        fc.pre(result.verdict !== "error");
        const expected = declaredPart(record);
        const all = knownColumns(rules); // every path a sheet can hold, beyond the template's (e.g. labs.platelets.uln)
        const text = formatRow(all, delimiter) + "\r\n" + formatRow(recordToRow(record, all, rules), delimiter) + "\r\n";
        const items = await readText(text, delimiter);
        if (Object.keys(expected).length === 0) return; // an all-empty row is no patient
        expect(items).toHaveLength(1);
        expect(items[0]!.value).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe("reading sheets (library)", () => {
  it("an empty cell is unknown, a unit beside an empty value is not a result, an all-empty row is skipped", async () => {
    const items = await readText(readFileSync(sample("blank-cells.csv"), "utf8"));
    expect(items.map((i) => i.line)).toEqual([2, 3, 5]);
    const [noAspects, noLabs] = items.map((i) => i.value as Record<string, Record<string, unknown>>);
    expect(noAspects!.stroke).not.toHaveProperty("aspects");
    expect(noLabs!.labs).not.toHaveProperty("alt");
    expect(noLabs!.labs).toHaveProperty("platelets");
    expect(items[1]!.sources).not.toHaveProperty("labs.alt.unit");
  });

  it("booleans read true/false/yes/no/1/0 in any case; none/null is null where a field allows it", async () => {
    const cols = ["id", "medications.warfarin", "medications.immunosuppressants", "consent.ableToComply", "history.epilepsy", "stroke.thrombolysis", "stroke.endovascularTreatment", "medications.lastHeparinDose", "trials.lastOtherTrialParticipation"];
    const items = await readText(`${cols.join(",")}\nX,YES,no,1,0,True,FALSE,None,null\n`);
    expect(items[0]!.value).toEqual({
      id: "X",
      medications: { warfarin: true, immunosuppressants: false, lastHeparinDose: null },
      consent: { ableToComply: true },
      history: { epilepsy: false },
      stroke: { thrombolysis: true, endovascularTreatment: false },
      trials: { lastOtherTrialParticipation: null },
    });
  });

  it("rows are numbered as a spreadsheet shows them (the header is row 1; a line break inside a cell does not add a row)", async () => {
    const items = await readText(readFileSync(sample("quoted.csv"), "utf8"));
    expect(items.map((i) => [i.line, (i.value as { id: string }).id])).toEqual([
      [2, "SCR-0301, bed 4"],
      [3, 'SCR-0302 "Wei"'],
      [4, "SCR-0303"],
      [5, "SCR-0304"],
    ]);
    expect(items[0]!.sources!["stroke.nihss"]).toEqual({ row: 2, column: "stroke.nihss", letter: expect.stringMatching(/^[A-Z]+$/), value: expect.any(String) });
  });

  it("a BOM, CRLF line ends and spaces around cells are accepted", async () => {
    const items = await readText("\uFEFFid , stroke.nihss\r\n SCR-1 , 9 \r\n");
    expect(items[0]!.value).toEqual({ id: "SCR-1", stroke: { nihss: 9 } });
    expect(items[0]!.warnings).toEqual([]);
  });

  it("a row with more cells than the header is an error for that row only", async () => {
    const items = await readText("id,stroke.nihss\nA,9\nB,9,extra\nC,9,\n");
    expect(items.map((i) => i.error ?? (i.value as { id: string }).id)).toEqual(["A", expect.stringMatching(/^row 3 has 3 cells but the header has 2 columns/), "C"]);
  });

  it("an unclosed quote is an error naming the row; the rows before it are still read", async () => {
    const items = await readText('id,stroke.nihss\nA,9\n"B,9\nC,9\n');
    expect(items[0]!.value).toEqual({ id: "A", stroke: { nihss: 9 } });
    expect(items[1]!.error).toMatch(/^row 3 of standard input cannot be read: a quoted cell is never closed/);
    expect(items[1]!.line).toBe(3);
  });

  it("a column named twice makes the sheet unreadable (which cell holds the value is unclear)", async () => {
    const items = await readText("id,stroke.nihss,stroke.nihss\nA,9,4\n");
    expect(items).toHaveLength(1);
    expect(items[0]!.error).toMatch(/column "stroke\.nihss" appears twice in the header \(columns B and C\)/);
  });

  it("the template's columns are every record path (labs as value/unit/uln), each once", () => {
    expect(new Set(COLUMNS).size).toBe(COLUMNS.length);
    for (const f of rules.fields.keys()) expect(COLUMNS).toContain(f);
    expect(COLUMNS).toContain("labs.alt.uln");
    expect(COLUMNS).not.toContain("labs.inr.unit");
    expect(COLUMNS).not.toContain("labs.platelets.uln");
  });
});

describe.concurrent("sheets through the CLI (node bin/screen.js)", () => {
  const cases: [file: string, code: number, rows: [id: string, line: number, verdict: string, failed: string[], unknown: string[]][]][] = [
    [
      fixture("sheet.csv"),
      1,
      [
        ["SCR-0001", 2, "eligible", [], []],
        ["SCR-0002", 3, "ineligible", ["INC-05", "INC-07", "INC-08", "EXC-02"], []],
        ["SCR-0003", 4, "incomplete", [], ["INC-04", "INC-08", "EXC-02"]],
      ],
    ],
    [
      sample("quoted.csv"),
      1,
      [
        ["SCR-0301, bed 4", 2, "eligible", [], []],
        ['SCR-0302 "Wei"', 3, "eligible", [], []],
        ["SCR-0303", 4, "eligible", [], []],
        ["SCR-0304", 5, "ineligible", ["INC-05", "INC-07", "INC-08", "EXC-02"], []],
      ],
    ],
    [
      sample("blank-cells.csv"),
      3,
      [
        ["SCR-0401", 2, "incomplete", [], ["INC-04"]],
        ["SCR-0402", 3, "incomplete", [], ["INC-08"]],
        ["SCR-0403", 5, "incomplete", [], rules.criteria.map((c) => c.id)],
      ],
    ],
    [
      sample("unknown-column.csv"),
      3,
      [["SCR-0601", 2, "incomplete", [], ["INC-05"]]],
    ],
    [
      sample("sheet.tsv"),
      1,
      [
        ["SCR-0701", 2, "eligible", [], []],
        ["SCR-0702", 3, "ineligible", ["EXC-15"], []],
      ],
    ],
  ];
  for (const [file, code, rows] of cases) {
    it(`${file.slice(ROOT.length + 1)} → exit ${code}`, async () => {
      const run = await screen([file, "--format", "ndjson"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(code);
      const results = parseNdjson(run.stdout);
      expect(results.map((r) => [r.id, r.line, r.verdict, r.failed, r.unknown])).toEqual(rows);
      for (const r of results) expect(r).toHaveProperty("sources");
    });
  }

  it("wrong types in cells: an error result naming the row and the column, the other rows screened, exit 2", async () => {
    const run = await screen([sample("wrong-types.csv"), "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const results = JSON.parse(run.stdout);
    expect(results.map((r: { verdict: string }) => r.verdict)).toEqual(["error", "error", "error", "eligible"]);
    const messages = results.slice(0, 3).map((r: { errors: { path: string; message: string }[] }) => r.errors.map((e) => `${e.path}: ${e.message}`));
    expect(messages[0]).toEqual([expect.stringMatching(/^stroke\.nihss: .*"nine".*row 2, column [A-Z]+ \(stroke\.nihss\)/)]);
    expect(messages[1]).toEqual([expect.stringMatching(/^medications\.warfarin: .*"maybe".*a yes\/no column takes true, yes, Y, 1, false, no, N, 0 \(in any case\).*row 3, column [A-Z]+ \(medications\.warfarin\)/)]);
    expect(messages[2]).toEqual([expect.stringMatching(/^labs\.alt\.value: .*"35 U\/L".*row 4, column [A-Z]+ \(labs\.alt\.value\)/)]);
  });

  it("an unknown column is a warning naming it (with a suggestion for a typo)", async () => {
    const run = await screen([sample("unknown-column.csv"), "--format", "json"]);
    const [r] = JSON.parse(run.stdout);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        { path: "stroke.nihs", message: expect.stringMatching(/unknown column "stroke\.nihs".*did you mean stroke\.nihss\?/) },
        { path: "coordinator", message: expect.stringMatching(/unknown column "coordinator"/) },
      ]),
    );
  });

  it("standard input with --from csv (and --from tsv)", async () => {
    const csv = await screen(["--from", "csv", "--format", "ndjson"], { input: readFileSync(fixture("sheet.csv")) });
    expect(parseNdjson(csv.stdout).map((r) => r.verdict)).toEqual(["eligible", "ineligible", "incomplete"]);
    const tsv = await screen(["-", "--from", "tsv", "--format", "ndjson"], { input: readFileSync(sample("sheet.tsv")) });
    expect(parseNdjson(tsv.stdout).map((r) => r.verdict)).toEqual(["eligible", "ineligible"]);
  });

  it("the screening log (--format csv) names each sheet row in its line column", async () => {
    const run = await screen([fixture("sheet.csv"), "--format", "csv"]);
    const rows = parseCsv(run.stdout);
    expect(rows[0]!.slice(0, 5)).toEqual(["id", "file", "line", "screenedAt", "verdict"]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[4]])).toEqual([
      ["SCR-0001", "2", "eligible"],
      ["SCR-0002", "3", "ineligible"],
      ["SCR-0003", "4", "incomplete"],
    ]);
  });

  it("--explain-sources prints the cell each value came from", async () => {
    const run = await screen([fixture("sheet.csv"), "--explain-sources"]);
    expect(run.stdout).toMatch(/Sources\n/);
    expect(run.stdout).toMatch(/stroke\.nihss\s+← row 3, column [A-Z]+ \(stroke\.nihss\): "4"/);
    const plain = await screen([fixture("sheet.csv")]);
    expect(plain.stdout).not.toMatch(/Sources\n/);
  });

  it("screen template --format csv prints a header and an example row that screens eligible", async () => {
    const run = await screen(["template", "--format", "csv"]);
    expect(run.code).toBe(0);
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(COLUMNS);
    const sheet = tmp.write("template.csv", run.stdout);
    const screened = await screen([sheet, "--format", "json"]);
    expect(screened.code).toBe(0);
    expect(JSON.parse(screened.stdout)[0].verdict).toBe("eligible");
    const bad = await screen(["template", "--format", "ndjson"]);
    expect(bad.code).toBe(2);
  });

  it("an empty sheet (header only) holds no record: bad usage, exit 2", async () => {
    const run = await screen([tmp.write("empty.csv", COLUMNS.join(",") + "\n")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no record/);
  });

  it("a missing sheet is an error result naming the file, exit 2", async () => {
    const run = await screen([tmp.path("nope.csv"), "--format", "json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)[0].errors[0].message).toMatch(/nope\.csv: no such file/);
  });
});
