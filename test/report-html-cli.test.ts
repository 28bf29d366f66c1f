/** The documents through the command line, in-process: --format html|pdf, --report, --report-min-count. */
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { parseHTML } from "linkedom";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, parseNdjson, screen, STACK_TRACE, tempDir } from "./helpers/cli.js";

let temp: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});
const dir = () => (temp ??= tempDir("screen-docs-"));

describe("screen --format html", () => {
  it("writes one checklist section per input record, in order, exit code as for any batch", async () => {
    const out = dir().path("checklist.html");
    const run = await screen([fixture("batch.ndjson"), "--format", "html", "-o", out]);
    expect(run.code).toBe(2); // line 4 is not a record (contract §4)
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const { document } = parseHTML(readFileSync(out, "utf8"));
    const ids = [...document.querySelectorAll("section.patient")].map((s) => s.getAttribute("data-patient"));
    expect(ids).toEqual(["SCR-0101", "SCR-0102", "SCR-0103", "(no id)", "SCR-0105"]);
  });

  it("streams to standard output too, and names the sheet cell each value came from", async () => {
    const run = await screen([fixture("sheet.csv"), "--format", "html"]);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(run.stdout.trimEnd().endsWith("</html>")).toBe(true);
    const { document } = parseHTML(run.stdout);
    const rows = [...[...document.querySelectorAll("section.patient")][1]!.querySelectorAll("tbody tr")];
    const source = (id: string) => rows.find((r) => r.querySelector("td.id")?.textContent === id)?.querySelector("td.source")?.textContent;
    expect(source("INC-05")).toBe("row 3: L (stroke.nihss)");
    expect(source("INC-01")).toMatch(/^row 3: .*demographics\.birthDate/);
  });
});

describe("screen --format pdf", () => {
  it("refuses to write binary to a terminal: -o FILE is needed", async () => {
    const run = await screen([fixture("eligible.json"), "--format", "pdf"], { tty: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format pdf writes a binary file: give -o FILE/);
    expect(run.stdout).toBe("");
  });

  it("writes a PDF, on US Letter with --paper letter", async () => {
    const out = dir().path("checklist.pdf");
    const run = await screen([fixture("batch-array.json"), "--format", "pdf", "--paper", "letter", "-o", out]);
    expect(run.code).toBe(1);
    const bytes = new Uint8Array(readFileSync(out));
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    const pdf = await getDocument({ data: bytes, verbosity: 0 }).promise;
    expect((await pdf.getPage(1)).view).toEqual([0, 0, 612, 792]);
    const first = await (await pdf.getPage(1)).getTextContent();
    expect(first.items.map((i) => ("str" in i ? i.str : "")).join(" ")).toContain("SCR-0201");
  });

  it("warns when a checklist holds characters the PDF's font lacks", async () => {
    const record = JSON.parse(readFileSync(fixture("eligible.json"), "utf8"));
    const input = dir().write("cjk.json", JSON.stringify({ ...record, id: "张三-001" }));
    const run = await screen([input, "--format", "pdf", "-o", dir().path("cjk.pdf")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the PDF's font has no Chinese, Japanese or Korean characters; .* 张三-001\. --format html shows them/);
  });

  it("refuses --paper without --format pdf", async () => {
    const run = await screen([fixture("eligible.json"), "--format", "html", "--paper", "letter"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--paper is for --format pdf/);
  });
});

describe("screen --report", () => {
  it("writes the screening report beside the results, which are unchanged", async () => {
    const report = dir().path("report.html");
    const plain = await screen([fixture("batch.ndjson"), "--format", "ndjson"]);
    const run = await screen([fixture("batch.ndjson"), "--format", "ndjson", "--report", report]);
    expect(run.code).toBe(plain.code);
    expect(run.stdout).toBe(plain.stdout);
    const html = readFileSync(report, "utf8");
    const { document } = parseHTML(html);
    const top = [...document.querySelectorAll("svg.flow g.box")][0]!;
    expect([...top.querySelectorAll("text")].map((t) => t.textContent).join(" ")).toBe(`Records assessed n = ${parseNdjson(plain.stdout).length}`);
    for (const r of parseNdjson(plain.stdout)) if (r.id) expect(html).not.toContain(r.id);
    expect(document.querySelector("table.meta")?.textContent).toContain("batch.ndjson");
  });

  it("suppresses small counts with --report-min-count", async () => {
    const report = dir().path("report.html");
    const run = await screen([fixture("batch.ndjson"), "--format", "csv", "--report", report, "--report-min-count", "3"]);
    expect(run.code).toBe(2);
    const { document } = parseHTML(readFileSync(report, "utf8"));
    const counts = [...document.querySelectorAll("table.counts:not(.criteria):not(.missing) td.n")].map((td) => td.textContent);
    expect(counts).toEqual(["5 (100.0%)", "<3", "4 (80.0%)", "<3", "<3", "<3"]);
  });

  it("refuses bad combinations before reading any input, and never writes over an input", async () => {
    const input = dir().write("in.ndjson", readFileSync(fixture("batch.ndjson")));
    const before = readFileSync(input, "utf8");
    const onto = await screen([input, "--report", input]);
    expect(onto.code).toBe(2);
    expect(onto.stderr).toMatch(/is one of the input files/);
    expect(readFileSync(input, "utf8")).toBe(before);
    const link = dir().path("link.ndjson");
    symlinkSync(input, link);
    const viaLink = await screen([input, "--format", "ndjson", "--report", link]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toMatch(/is one of the input files/);
    expect(readFileSync(input, "utf8")).toBe(before);
    const same = await screen([input, "-o", dir().path("out.html"), "--format", "html", "--report", dir().path("out.html")]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/is also the -o file/);
    const lonely = await screen([input, "--report-min-count", "5"]);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toMatch(/--report-min-count needs --report FILE/);
    const zero = await screen([input, "--report", dir().path("r.html"), "--report-min-count", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/at least 1/);
  });

  it("leaves no report when the input holds no record", async () => {
    const report = dir().path("report.html");
    const empty = dir().write("empty.ndjson", "\n");
    const run = await screen([empty, "--format", "ndjson", "--report", report]);
    expect(run.code).toBe(2);
    expect(existsSync(report)).toBe(false);
  });
});
