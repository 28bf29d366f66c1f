import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { positioned } from "../src/result.js";
import { documentInfo } from "../src/report/checklist-model.js";
import { pdfChecklistCollector } from "../src/report/pdf-checklist.js";
import { documentResults, rules } from "./helpers/documents.js";
import { eligibleRecord, run, withPath } from "./helpers/records.js";

interface Page {
  text: string;
  fonts: string[];
}

async function readPdf(bytes: Uint8Array) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: Page[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const content = await page.getTextContent();
    const items = content.items.filter((i): i is typeof i & { str: string; fontName: string } => "str" in i);
    // NFKC: the PDF's text layer writes the micro sign as Greek mu; both are the same to a reader.
    // Zero-width spaces are the PDF's line-break chances inside paths, not text.
    pages.push({ text: items.map((i) => i.str).join(" ").normalize("NFKC").replace(/\u200B/g, ""), fonts: Object.values(content.styles).map((s) => s.fontFamily) });
  }
  const meta = await pdf.getMetadata();
  return { pages, info: meta.info as Record<string, unknown> };
}

// The symbols the issue asks the embedded font to cover, in an id so they are printed for sure.
const SYMBOLS_ID = "SYM-µ≥≤×";

let doc: Awaited<ReturnType<typeof readPdf>>;
let bytes: Uint8Array;
const results = [...documentResults(), positioned(run(withPath(eligibleRecord(), "id", SYMBOLS_ID)), { line: 5 })];

beforeAll(async () => {
  const collector = pdfChecklistCollector(documentInfo(rules()), { now: new Date("2026-11-24T01:00:00Z") });
  for (const r of results) collector.add(r);
  expect(collector.count).toBe(results.length);
  bytes = await collector.finish();
  doc = await readPdf(bytes);
});

/** Each patient's pages, found by the footer every page carries. */
function pagesOf(id: string): Page[] {
  return doc.pages.filter((p) => p.text.includes(`patient ${id.normalize("NFKC")} `));
}

describe("--format pdf: the eligibility checklist as PDF", () => {
  it("is a PDF whose text holds each patient's checklist, every patient starting a page", () => {
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    let next = 0;
    for (const r of results) {
      const pages = pagesOf(r.id!);
      expect(pages.length).toBeGreaterThanOrEqual(1);
      // Pages of one patient are consecutive and come in input order.
      const first = doc.pages.indexOf(pages[0]!);
      expect(first).toBe(next);
      next = first + pages.length;
      expect(pages[0]!.text.startsWith("Eligibility checklist — NCT07232563")).toBe(true);
    }
    expect(next).toBe(doc.pages.length);
  });

  it("numbers pages per patient: page k of n", () => {
    for (const r of results) {
      const pages = pagesOf(r.id!);
      pages.forEach((p, k) => expect(p.text).toContain(`page ${k + 1} of ${pages.length}`));
    }
    expect(pagesOf("T-0001").length).toBeGreaterThan(1); // a full checklist does not fit one page
  });

  it("lists all 27 criteria with outcome words, values, the verdict and signature blocks", () => {
    const text = pagesOf("T-0002").map((p) => p.text).join(" ");
    for (const c of rules().criteria) expect(text).toContain(c.id);
    expect(text).toContain("Not eligible");
    expect(text).toMatch(/✗ Not met/);
    expect(text).toMatch(/NIHSS 4/);
    expect(text).toContain("Met: not excluded");
    expect(text).toContain("row 3: L (stroke.nihss)");
    for (const words of ["Screened by", "Investigator", "Name", "Signature", "Date"]) expect(text).toContain(words);
    expect(text).toContain(rules().meta.sha256);
    expect(text).toContain("2026-11-24 09:00:00 (UTC+08:00)");
    expect(pagesOf("T-0004").map((p) => p.text).join(" ")).toContain("Invalid record: not screened");
  });

  it("embeds a font that prints µ ≥ ≤ ×, and no standard (unembedded) font", () => {
    const text = pagesOf(SYMBOLS_ID).map((p) => p.text).join(" ");
    expect(text).toContain(SYMBOLS_ID.normalize("NFKC"));
    const raw = Buffer.from(bytes).toString("latin1");
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it("knows which checklists hold characters its font lacks", () => {
    const collector = pdfChecklistCollector(documentInfo(rules()));
    collector.add(positioned(run(withPath(eligibleRecord(), "id", "张三-001")), {}));
    collector.add(positioned(run(withPath(eligibleRecord(), "id", "SYM-µ≥≤×")), {}));
    expect(collector.uncovered).toEqual(["张三-001"]);
  });

  it("carries the title and the rules' sha256 in the document metadata, dated by the caller's clock", () => {
    expect(doc.info.Title).toBe("Eligibility checklist — NCT07232563");
    expect(String(doc.info.Subject)).toContain(rules().meta.sha256);
    expect((doc.info.Custom as Record<string, string>).RulesSha256).toBe(rules().meta.sha256);
    expect(doc.info.CreationDate).toBe("D:20261124010000Z");
  });
});
