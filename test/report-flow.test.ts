import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { inputError, positioned, type OutputResult } from "../src/result.js";
import { flowCollector, shownCount } from "../src/report/flow.js";
import { flowReportOptions, renderFlowReport } from "../src/report/flow-html.js";
import { fit, textWidth } from "../src/report/flow-svg.js";
import { documentResults, rules } from "./helpers/documents.js";
import { eligibleRecord, run, withPath, withPaths } from "./helpers/records.js";

/** A batch with known counts: first failing criteria differ from the independent counts. */
function batch(): OutputResult[] {
  const r = (id: string, changes: Record<string, unknown>) => positioned(run(withPaths(withPath(eligibleRecord(), "id", id), changes)), {});
  return [
    ...documentResults(), // eligible, ineligible (INC-05), incomplete (INC-04, INC-08), invalid
    r("P-1", { "stroke.nihss": 4, "stroke.thrombolysis": true }), // INC-05 first, INC-07 too
    r("P-2", { "stroke.thrombolysis": true }), // INC-07 first
    r("P-3", { "stroke.aspects": 3, "infections.hbsag": "positive" }), // INC-04 first, EXC-08 too
    positioned(inputError("line 9 is not JSON", rules().meta), { line: 9 }),
    positioned(run(eligibleRecord()), {}),
  ];
}

function counts(results = batch()) {
  const collector = flowCollector();
  for (const x of results) collector.add(x);
  return collector.counts();
}

function report(minCount?: number, inputs = ["site-a/screening.ndjson"]) {
  const c = counts();
  const html = renderFlowReport(c, flowReportOptions(rules(), { inputs, ...(minCount ? { minCount } : {}) }));
  return { c, html, document: parseHTML(html).document };
}

const text = (el: { textContent: string | null } | null | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
/** An SVG group's labels, one space between text elements (as they are drawn apart). */
const labels = (g: { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> }) => [...g.querySelectorAll("text")].map(text).join(" ");

describe("the screening report's counts", () => {
  it("counts every record once; ineligible ones by first failing criterion and by each criterion", () => {
    const c = counts();
    expect(c.records).toBe(9);
    expect([c.invalid, c.eligible, c.ineligible, c.incomplete]).toEqual([2, 2, 4, 1]);
    expect(c.invalid + c.eligible + c.ineligible + c.incomplete).toBe(c.records);
    expect(Object.fromEntries(c.firstFailing)).toEqual({ "INC-05": 2, "INC-07": 1, "INC-04": 1 });
    expect(Object.fromEntries(c.failing)).toEqual({ "INC-05": 2, "INC-07": 2, "INC-04": 1, "EXC-08": 1 });
    expect([...c.firstFailing.values()].reduce((a, b) => a + b, 0)).toBe(c.ineligible);
    expect(c.missing.get("labs.bun")).toBe(1);
  });

  it("shows counts below the minimum as <N, never zero, never the top box", () => {
    expect([0, 1, 4, 5, 12].map((n) => shownCount(n, 5))).toEqual(["0", "<5", "<5", "5", "12"]);
    expect(shownCount(3, 1)).toBe("3");
  });
});

describe("--report: the screening report document", () => {
  it("is self-contained HTML with an inline SVG flow whose top box is the number of records", () => {
    const { document, c } = report();
    expect(document.querySelectorAll("script, link, img, iframe, [src], [href]").length).toBe(0);
    const flow = document.querySelector("svg.flow");
    expect(flow).not.toBeNull();
    const boxes = [...flow!.querySelectorAll("g.box")].map(labels);
    expect(boxes[0]).toBe(`Records assessed n = ${c.records}`);
    expect(boxes.find((b) => b.startsWith("Invalid records"))).toMatch(/n = 2$/);
    expect(boxes.find((b) => b.startsWith("Screened"))).toMatch(/n = 7$/);
    expect(boxes.find((b) => b.startsWith("Eligible"))).toMatch(/n = 2$/);
    const ineligible = boxes.find((b) => b.startsWith("Ineligible"))!;
    expect(ineligible).toMatch(/^Ineligible n = 4 first in all /);
    expect(ineligible).toMatch(/INC-05 Pre-enrollment NIHSS >= 6 2 2/);
    expect(ineligible).toMatch(/INC-07 .* 1 2/);
    expect(ineligible).toMatch(/EXC-08 .* 0 1/);
    expect(boxes.find((b) => b.startsWith("Incomplete"))).toMatch(/urea\/BUN \(labs\.bun\) 1/);
  });

  it("has the counts table, a bar per criterion, the rules version and sha256 and the input files", () => {
    const { document, html } = report();
    const bars = document.querySelector("svg.bars");
    expect(bars!.querySelectorAll("rect").length).toBeGreaterThanOrEqual(27);
    expect([...bars!.querySelectorAll("g title")].map(text)).toContain("INC-07 No thrombolysis or endovascular treatment: 2");
    const rows = [...document.querySelectorAll("table.criteria tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map(text));
    expect(rows.map((r) => r[0])).toEqual(rules().criteria.map((k) => k.id));
    expect(rows.find((r) => r[0] === "INC-07")!.slice(2)).toEqual(["1", "2"]);
    expect(text(document.querySelector("table.meta"))).toContain(rules().meta.sha256);
    expect(text(document.querySelector("table.meta"))).toContain(`version ${rules().meta.version}`);
    expect(html).toContain("site-a/screening.ndjson");
  });

  it("names no patient: no id from the input appears anywhere", () => {
    const { html } = report();
    for (const r of batch()) if (r.id) expect(html).not.toContain(r.id);
    expect(html).not.toContain("T-00");
  });

  it("with a minimum count, shows small counts as <N but the top box exact", () => {
    const { document } = report(5);
    const boxes = [...document.querySelectorAll("svg.flow g.box")].map(labels);
    expect(boxes[0]).toBe("Records assessed n = 9");
    expect(boxes.find((b) => b.startsWith("Invalid records"))).toMatch(/n = <5$/);
    expect(boxes.find((b) => b.startsWith("Screened"))).toMatch(/n = 7$/);
    const html = document.documentElement.outerHTML;
    expect(html).not.toMatch(/INC-07[^<]*<\/text><text[^>]*>[12]</);
    const counts = [...document.querySelectorAll("table.criteria td.n")].map(text);
    expect(counts.every((n) => n === "0" || n === "<5")).toBe(true);
    expect(text(document.body)).toContain("Counts from 1 to 4 are shown as");
  });

  it("escapes the input file names", () => {
    const { html, document } = report(undefined, [`<b>x</b>.ndjson`]);
    expect(document.querySelectorAll("b").length).toBe(0);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;.ndjson");
  });

  it("cuts a label that would not fit its box, with an ellipsis", () => {
    const long = "Pregnancy, breastfeeding, or childbearing potential without contraception";
    const cut = fit(long, 200, 11);
    expect(cut.endsWith("…")).toBe(true);
    expect(textWidth(cut, 11)).toBeLessThanOrEqual(200);
    expect(fit("short", 200, 11)).toBe("short");
  });
});
