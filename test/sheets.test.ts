/** Spreadsheets as coordinators keep them: piped sheets, Y/N answers, letters, a site's own headers. */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { columnLetter } from "../src/input/csv.js";
import { fixture, parseCsv, parseNdjson, ROOT, screen, tempDir } from "./helpers/cli.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const sheet = readFileSync(fixture("sheet.csv"), "utf8");
const [headerLine, ...rows] = sheet.trimEnd().split(/\r?\n/);
const header = headerLine!.split(",");

/** The fixture sheet with one column renamed, or with every cell of a column rewritten. */
function withColumn(path: string, rename?: string, cell?: (old: string, row: number) => string): string {
  const i = header.indexOf(path);
  const head = header.map((h, j) => (j === i && rename !== undefined ? rename : h)).join(",");
  const body = rows.map((r, n) => r.split(",").map((c, j) => (j === i && cell ? cell(c, n) : c)).join(","));
  return [head, ...body].join("\n") + "\n";
}

describe("sheets on standard input need no --from", () => {
  it("a CSV sheet piped in is read as a sheet", async () => {
    const run = await screen(["--format", "ndjson"], { input: sheet });
    expect(parseNdjson(run.stdout).map((r) => r.verdict)).toEqual(["eligible", "ineligible", "incomplete"]);
  });

  it("a TSV sheet piped in as '-' is read as TSV", async () => {
    const run = await screen(["-", "--format", "ndjson"], { input: readFileSync(`${ROOT}/test/fixtures/csv/sheet.tsv`) });
    expect(parseNdjson(run.stdout).map((r) => r.verdict)).toEqual(["eligible", "ineligible"]);
  });

  it("JSON on standard input is still JSON", async () => {
    const run = await screen(["--format", "ndjson"], { input: readFileSync(fixture("batch.ndjson")) });
    expect(parseNdjson(run.stdout)).toHaveLength(5);
  });
});

describe("yes/no answers as coordinators write them", () => {
  it.each([["Y", "N"], ["y", "n"], ["YES", "No"], ["True", "FALSE"], ["1", "0"]])("%s / %s", async (yes, no) => {
    const text = withColumn("stroke.thrombolysis", undefined, (_c, n) => (n === 1 ? yes : no));
    const results = parseNdjson((await screen(["--from", "csv", "--format", "ndjson"], { input: text })).stdout);
    expect(results.map((r) => r.failed.includes("INC-07"))).toEqual([false, true, false]);
  });
});

describe("where a value came from, as a spreadsheet shows it", () => {
  it("column letters: A…Z, AA, AZ, BA", () => {
    expect([0, 25, 26, 51, 52].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "BA"]);
  });

  it("an error names the cell by row, letter and header", async () => {
    const text = withColumn("stroke.nihss", undefined, (c, n) => (n === 0 ? "nine" : c));
    const [first] = parseNdjson((await screen(["--from", "csv", "--format", "ndjson"], { input: text })).stdout);
    const letter = columnLetter(header.indexOf("stroke.nihss"));
    expect(first.errors[0].message).toContain(`(from row 2, column ${letter} (stroke.nihss))`);
  });

  it("an unknown column is warned about once per sheet, on its first patient", async () => {
    const text = withColumn("investigator.deemedUnsuitable", "coordinator notes");
    const results = parseNdjson((await screen(["--from", "csv", "--format", "ndjson"], { input: text })).stdout);
    const unknown = results.map((r) => r.warnings.filter((w: { message: string }) => /unknown column "coordinator notes"/.test(w.message)).length);
    expect(unknown).toEqual([1, 0, 0]);
  });
});

describe("--columns: a site's own headers", () => {
  const map = { MRN: "id", "NIHSS total": "stroke.nihss", "Thrombolysed (Y/N)": "stroke.thrombolysis" };
  const mapFile = tmp.write("columns.json", JSON.stringify(map));
  const siteSheet = () => {
    let text = withColumn("id", "MRN");
    text = text.replace(",stroke.nihss,", ",NIHSS total,").replace(",stroke.thrombolysis,", ",Thrombolysed (Y/N),");
    return tmp.write("site.csv", text);
  };

  it("a sheet with the site's headers screens as the standard one, and errors name both header and path", async () => {
    const file = siteSheet();
    const run = await screen([file, "--columns", mapFile, "--format", "ndjson"]);
    const results = parseNdjson(run.stdout);
    expect(results.map((r) => [r.id, r.verdict])).toEqual([["SCR-0001", "eligible"], ["SCR-0002", "ineligible"], ["SCR-0003", "incomplete"]]);
    expect(results[1].sources["stroke.nihss"]).toMatchObject({ row: 3, column: "stroke.nihss", header: "NIHSS total", value: "4" });
    const bad = tmp.write("site-bad.csv", readFileSync(file, "utf8").replace(/,8,9,false,/, ",8,nine,false,"));
    const [first] = parseNdjson((await screen([bad, "--columns", mapFile, "--format", "ndjson"])).stdout);
    expect(first.errors[0].message).toMatch(/\(from row 2, column [A-Z]+ \(NIHSS total → stroke\.nihss\)\)/);
  });

  it("without the map the site's headers are unknown columns, with a hint", async () => {
    const [first] = parseNdjson((await screen([siteSheet(), "--format", "ndjson"])).stdout);
    expect(first.warnings.map((w: { message: string }) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(/unknown column "NIHSS total".*--columns/)]));
  });

  it("screen template --columns writes the site's header", async () => {
    const run = await screen(["template", "--columns", mapFile]);
    const [head, example] = parseCsv(run.stdout);
    expect(head![0]).toBe("MRN");
    expect(head).toContain("NIHSS total");
    expect(head).not.toContain("stroke.nihss");
    expect(example![head!.indexOf("NIHSS total")]).toBe("9");
  });

  it.each([
    [{ "NIHSS total": "stroke.nihs" }, /"NIHSS total": "stroke\.nihs" is not a column the rules know \(did you mean stroke\.nihss\?\)/],
    [{ A: "stroke.nihss", B: "stroke.nihss" }, /"B" and "A" both map to stroke\.nihss/],
    [{ A: 3 }, /"A": expected a record path/],
    [["id"], /expected an object/],
  ])("a wrong map is bad usage naming the header: %j", async (bad, message) => {
    const file = tmp.write("bad-map.json", JSON.stringify(bad));
    const run = await screen([fixture("sheet.csv"), "--columns", file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it("a map file that is not JSON names the line and column", async () => {
    const file = tmp.write("broken-map.json", '{\n  "MRN": "id",\n}');
    const run = await screen([fixture("sheet.csv"), "--columns", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--columns .*broken-map\.json: not valid JSON: line 3, column 1/);
  });
});

describe("units as laboratories write them", () => {
  /** The fixture sheet with some cells of every row replaced. */
  const withCells = (cells: Record<string, string>) =>
    [headerLine, ...rows.map((r) => r.split(",").map((c, j) => cells[header[j]!] ?? c).join(","))].join("\n") + "\n";
  const first = async (cells: Record<string, string>) => parseNdjson((await screen(["--from", "csv", "--format", "ndjson"], { input: withCells(cells) })).stdout)[0];

  it.each([
    [{ "labs.creatinine.value": "0.9", "labs.creatinine.unit": "mg/dl", "labs.creatinine.uln": "" }, "INC-08", "creatinine 0.9 mg/dL"],
    [{ "labs.creatinine.unit": "µmol/L" }, "INC-08", "creatinine 80 umol/L"],
    [{ "labs.platelets.unit": "K/uL" }, "EXC-02", "platelets 210 ×10^3/uL"],
    [{ "labs.platelets.unit": "10*3/uL" }, "EXC-02", "platelets 210 ×10^3/uL"],
  ])("%j is read in the record's unit", async (cells, id, reason) => {
    const r = await first(cells);
    expect(r.verdict).toBe("eligible");
    expect(r.criteria.find((c: { id: string }) => c.id === id).reason).toContain(reason);
  });

  it("{cells}/uL is scaled exactly, and the warning says so", async () => {
    const r = await first({ "labs.platelets.value": "250000", "labs.platelets.unit": "{cells}/uL" });
    expect(r.verdict).toBe("eligible");
    expect(r.warnings).toContainEqual({ path: "labs.platelets.unit", message: '"{cells}/uL" read as 10^3/uL: value × 0.001 = 250' });
  });

  it("a unit no table knows is still refused, naming the cell", async () => {
    const r = await first({ "labs.alt.unit": "furlongs" });
    expect(r.verdict).toBe("error");
    expect(r.errors[0].path).toBe("labs.alt.unit");
    expect(r.errors[0].message).toMatch(/furlongs.*\(from row 2, column [A-Z]+ \(labs\.alt\.unit\)\)/);
  });
});

describe("Bundles in a JSON array", () => {
  it("carry their index into the screening log", async () => {
    const bundle = JSON.parse(readFileSync(`${ROOT}/test/fixtures/fhir/eligible.json`, "utf8"));
    const run = await screen(["--format", "csv"], { input: JSON.stringify([bundle, bundle]) });
    const [head, ...body] = parseCsv(run.stdout);
    expect(body.map((r) => r[head!.indexOf("index")])).toEqual(["0", "1"]);
  });
});
