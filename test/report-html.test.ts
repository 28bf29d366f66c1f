import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { documentInfo, labelOf } from "../src/report/checklist-model.js";
import { htmlChecklistReporter } from "../src/report/html-checklist.js";
import { emptySummary } from "../src/report/summary.js";
import { documentResults, HOSTILE_ID, rules } from "./helpers/documents.js";

function render() {
  const results = documentResults();
  const reporter = htmlChecklistReporter(documentInfo(rules()));
  const html = reporter.start() + results.map((r) => reporter.result(r)).join("") + reporter.end(emptySummary(), false);
  return { html, results, document: parseHTML(html).document };
}

const text = (el: { textContent: string | null } | null | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

describe("--format html: the eligibility checklist", () => {
  it("is one self-contained document: no script, nothing to fetch", () => {
    const { html, document } = render();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(document.querySelectorAll("script, link, img, iframe, object, embed").length).toBe(0);
    expect(document.querySelectorAll("[src], [href]").length).toBe(0);
    expect(document.querySelectorAll("style").length).toBe(1);
    expect(text(document.querySelector("style"))).not.toMatch(/@import|url\(/i);
  });

  it("has one section per patient, each starting a printed page, in input order", () => {
    const { html, results, document } = render();
    const sections = [...document.querySelectorAll("section.patient")];
    expect(sections.length).toBe(results.length);
    expect(sections.map((s) => s.getAttribute("data-patient"))).toEqual(results.map((r) => r.id ?? "(no id)"));
    expect(html).toMatch(/section\.patient\s*\{[^}]*break-before:\s*page/);
    for (const s of sections) {
      expect(text(s.querySelector("h1"))).toBe("Eligibility checklist — NCT07232563");
      expect(text(s.querySelector(".trial"))).toBe(rules().file.title);
    }
  });

  it("lists all 27 criteria in protocol order with id, registry text and outcome in words", () => {
    const { document, results } = render();
    const ids = rules().criteria.map((c) => c.id);
    const [eligible, ineligible] = [...document.querySelectorAll("section.patient")];
    for (const section of [eligible!, ineligible!]) {
      const rows = [...section.querySelectorAll("table.criteria tbody tr")];
      expect(rows.map((r) => text(r.querySelector("td.id")))).toEqual(ids);
      expect(rows.map((r) => text(r.querySelector("td.text")))).toEqual(rules().criteria.map((c) => c.text));
    }
    const outcome = (section: typeof eligible, id: string) =>
      text([...section!.querySelectorAll("tbody tr")].find((r) => text(r.querySelector("td.id")) === id)?.querySelector("td.outcome"));
    expect(outcome(eligible, "INC-05")).toBe("✓Met");
    expect(text(eligible!.querySelector(".verdict"))).toContain("every criterion is met or not applicable");
    // An exclusion that is met says the patient is NOT excluded, never just a tick beside the condition.
    expect(outcome(eligible, "EXC-03")).toBe("✓Met: not excluded");
    expect(outcome(eligible, "EXC-15")).toBe("–Not applicable");
    expect(outcome(ineligible, "INC-05")).toBe("✗Not met");
    const nihss = [...ineligible!.querySelectorAll("tbody tr")].find((r) => text(r.querySelector("td.id")) === "INC-05");
    const reason = (results[1] as { criteria: { id: string; reason: string }[] }).criteria.find((c) => c.id === "INC-05")!.reason;
    expect(text(nihss?.querySelector("td.reason"))).toBe(reason);
    expect(reason).toMatch(/4/);
  });

  it("shows the header facts: patient, screening time local and UTC, rules version and full sha256, verdict", () => {
    const { document } = render();
    const [first, second, third, fourth] = [...document.querySelectorAll("section.patient")];
    const meta = text(first!.querySelector("table.meta"));
    expect(meta).toContain("T-0001");
    expect(meta).toContain("2026-11-24 09:00:00 (UTC+08:00)");
    expect(meta).toContain("2026-11-24 01:00:00 UTC");
    expect(meta).toContain(`version ${rules().meta.version}`);
    expect(meta).toContain(rules().meta.sha256);
    expect(rules().meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first!.querySelector(".verdict")?.getAttribute("class")).toBe("verdict eligible");
    expect(text(first!.querySelector(".verdict strong"))).toBe("Eligible");
    expect(text(second!.querySelector(".verdict strong"))).toBe("Not eligible");
    expect(text(second!.querySelector(".verdict"))).toContain("INC-05");
    expect(text(third!.querySelector(".verdict strong"))).toBe("Incomplete: cannot be decided yet");
    expect(text(fourth!.querySelector(".verdict strong"))).toBe("Invalid record: not screened");
  });

  it("lists the data to collect for an incomplete patient, and the errors for an invalid one", () => {
    const { document } = render();
    const [, , third, fourth] = [...document.querySelectorAll("section.patient")];
    const collect = text(third);
    expect(collect).toContain("Data to collect");
    expect(collect).toMatch(/labs\.bun \(urea\/BUN\), for INC-08/);
    expect(collect).toMatch(/stroke\.aspects \([^)]*\), for INC-04/);
    expect(fourth!.querySelectorAll("table.criteria").length).toBe(0);
    expect(text(fourth)).toMatch(/Errors to correct.*stroke\.nihss/);
  });

  it("names a part of a labelled field after its group", () => {
    const labels = rules().labels;
    expect(labelOf("labs.alt", labels)).toBe(labels.get("labs.alt"));
    expect(labelOf("labs.alt.uln", labels)).toBe(`${labels.get("labs.alt")} uln`);
    expect(labelOf("no.such.path", labels)).toBe("no.such.path");
  });

  it("names the source of each value when the input gave one, and has a Source column only then", () => {
    const { document } = render();
    const [first, second] = [...document.querySelectorAll("section.patient")];
    expect(first!.querySelectorAll("td.source").length).toBe(0);
    const row = (id: string) => [...second!.querySelectorAll("tbody tr")].find((r) => text(r.querySelector("td.id")) === id);
    expect(text(row("INC-05")?.querySelector("td.source"))).toBe("row 3: L (stroke.nihss)");
    expect(text(row("INC-08")?.querySelector("td.source"))).toBe("Observation/alt-1");
    expect(text(row("INC-01")?.querySelector("td.source"))).toBe("");
  });

  it("repeats table headers on every printed page and ends with both signature blocks", () => {
    const { html, document } = render();
    expect(html).toMatch(/thead\s*\{\s*display:\s*table-header-group/);
    for (const s of document.querySelectorAll("section.patient")) {
      for (const table of s.querySelectorAll("table.criteria")) {
        expect(table.querySelectorAll("thead th").length).toBeGreaterThanOrEqual(5);
        // The repeated header names the patient, so a continuation page is never anonymous.
        expect(text(table.querySelector("thead tr.who"))).toContain(`Patient ${s.getAttribute("data-patient")} — NCT07232563`);
      }
    }
    for (const s of document.querySelectorAll("section.patient")) {
      const blocks = [...s.querySelectorAll(".signature")];
      expect(blocks.map((b) => text(b.querySelector("h3")))).toEqual(["Screened by", "Investigator"]);
      for (const b of blocks) expect([...b.querySelectorAll(".line span")].map(text)).toEqual(["Name", "Signature", "Date"]);
    }
  });

  it("escapes every string from the input: an id cannot inject markup", () => {
    const { html, document } = render();
    expect(html).not.toContain("<img");
    expect(document.querySelectorAll("img").length).toBe(0);
    const third = [...document.querySelectorAll("section.patient")][2]!;
    expect(third.getAttribute("data-patient")).toBe(HOSTILE_ID);
    expect(text(third.querySelector("table.meta td"))).toContain(HOSTILE_ID);
  });
});
