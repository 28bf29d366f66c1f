/**
 * `--format pdf`: the eligibility checklist as a PDF made in-process by pdfmake (pure JavaScript,
 * no browser on the hospital laptop), with DejaVu Sans embedded: it covers µ ≥ ≤ × → ✓ ✗ and the
 * Latin, Greek and Cyrillic scripts. CJK is not embedded (a CJK font is ~10 MB per weight).
 * pdfmake is imported only when a PDF is asked for, so other runs do not load it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { OutputResult } from "../result.js";
import { embeddedBytes } from "../text/data-files.js";
import { buildChecklist, type Checklist, type ChecklistRow, type DocumentInfo, type Tone } from "./checklist-model.js";

export type Paper = "A4" | "LETTER";

export interface PdfOptions {
  readonly paper?: Paper;
  /** The document's creation date (metadata): the caller's clock; none is read here. */
  readonly now?: Date;
}

const TONE_COLOUR: Record<Tone, string> = { met: "#1a7f37", "not-met": "#b42318", na: "#555555", undecided: "#9a6700" };
const VERDICT_STYLE: Record<Checklist["tone"], { fill: string; border: string; width: number }> = {
  eligible: { fill: "#e6f4ea", border: "#1a7f37", width: 1.5 },
  ineligible: { fill: "#fdecea", border: "#b42318", width: 3 },
  incomplete: { fill: "#fff6db", border: "#9a6700", width: 2 },
  invalid: { fill: "#f3eefc", border: "#6f42c1", width: 2 },
};

type Node = Record<string, unknown> | string;

/** Record paths and resource ids have no spaces: a zero-width space after each dot or slash lets them wrap. */
const breakable = (text: string) => text.replace(/([./|])/g, "$1\u200B");

function criteriaTable(title: string, note: string, rows: readonly ChecklistRow[], withSources: boolean): Node[] {
  if (!rows.length) return [];
  const head = ["Criterion", "Registry text", "Outcome", "Values and limit", ...(withSources ? ["Source"] : [])].map((t) => ({ text: t, style: "th" }));
  const body = rows.map((x) => [
    { text: x.id, noWrap: true },
    x.text,
    { text: `${x.mark} ${x.outcome}`, bold: true, color: TONE_COLOUR[x.tone], decoration: x.tone === "not-met" ? "underline" : undefined },
    { text: x.reason, fontSize: 7.5 },
    ...(withSources ? [{ text: x.sources.map(breakable).join("\n"), fontSize: 7 }] : []),
  ]);
  const widths = withSources ? [42, "*", 74, "*", 80] : [42, "*", 80, "*"];
  return [
    { text: title, style: "h2" },
    { text: note, style: "note" },
    {
      table: { headerRows: 1, dontBreakRows: true, widths, body: [head, ...body] },
      layout: { hLineWidth: (i: number) => (i === 1 ? 1.2 : 0.5), vLineWidth: () => 0, hLineColor: () => "#999999", fillColor: (i: number) => (i === 0 ? "#eeeeee" : null) },
    },
  ];
}

function signature(role: string): Node {
  const line = (what: string) => ({ columns: [{ text: what, width: 52 }, { canvas: [{ type: "line", x1: 0, y1: 10, x2: 170, y2: 10, lineWidth: 0.8 }] }], margin: [0, 12, 0, 0] });
  return { stack: [{ text: role, bold: true }, line("Name"), line("Signature"), line("Date")], margin: [6, 6, 6, 6] };
}

function list(title: string, items: readonly string[]): Node[] {
  return items.length ? [{ text: title, style: "h2" }, { ul: [...items], fontSize: 8 }] : [];
}

/** One patient's pages: the marker (its first node) is where the page count starts. */
function patientSection(c: Checklist, info: DocumentInfo, marker: Record<string, unknown>): Node {
  const v = VERDICT_STYLE[c.tone];
  const withSources = [...c.inclusion, ...c.exclusion].some((x) => x.sources.length > 0);
  const meta: [string, string][] = [
    ["Patient", c.patient + (c.position ? `  (${c.position})` : "")],
    ...(c.screenedLocal ? [["Screened at", `${c.screenedLocal}\n${c.screenedUtc ?? ""}`] as [string, string]] : []),
    ["Rules", `${c.rules.trial} version ${c.rules.version}`],
    ["Rules sha256", c.rules.sha256],
  ];
  return {
    section: [
      marker,
      { text: info.title, style: "trial" },
      { table: { widths: [70, "*"], body: meta.map(([k, val]) => [{ text: k, bold: true }, { text: val, fontSize: k === "Rules sha256" ? 7.5 : 9 }]) }, layout: "noBorders" },
      {
        table: { widths: ["*"], body: [[{ stack: [{ text: c.verdict, fontSize: 14, bold: true }, c.verdictDetail], fillColor: v.fill, margin: [6, 4, 6, 4] }]] },
        layout: { hLineWidth: () => v.width, vLineWidth: () => v.width, hLineColor: () => v.border, vLineColor: () => v.border },
        margin: [0, 6, 0, 4],
      },
      ...list("Errors to correct", c.errors),
      ...criteriaTable("Inclusion criteria", "Met: the patient fulfils the criterion.", c.inclusion, withSources),
      ...criteriaTable("Exclusion criteria", "Met: the exclusion does not apply to the patient (not excluded). Not met: the patient is excluded by it.", c.exclusion, withSources),
      ...list("Data to collect", c.needed.map((n) => `${n.path} (${n.label}), for ${n.criteria.join(", ")}`)),
      ...list("Warnings", c.warnings),
      {
        unbreakable: true,
        margin: [0, 14, 0, 0],
        stack: [
          { text: `Patient ${c.patient} — ${info.trial} eligibility checklist: outcomes checked against source data.`, bold: true, margin: [0, 0, 0, 4] },
          { table: { widths: ["*", "*"], body: [[signature("Screened by"), signature("Investigator")]] } },
        ],
      },
    ],
  };
}

/**
 * The document definition. "page k of n" counts each patient's own pages: the footer runs after
 * layout, when pdfmake has written each marker's page into its `positions`.
 */
export function checklistDocDefinition(checklists: readonly Checklist[], info: DocumentInfo, opts: PdfOptions = {}): Record<string, unknown> {
  const markers: Record<string, unknown>[] = checklists.map(() => ({ text: `Eligibility checklist — ${info.trial}`, style: "h1" }));
  const startPage = (i: number) => (markers[i]?.positions as { pageNumber: number }[] | undefined)?.[0]?.pageNumber;
  const footer = (page: number, pages: number) => {
    let i = markers.length - 1;
    while (i > 0 && (startPage(i) ?? Infinity) > page) i--;
    const first = startPage(i) ?? 1;
    const last = i + 1 < markers.length ? (startPage(i + 1) ?? pages + 1) - 1 : pages;
    const who = checklists[i]?.patient ?? "";
    return { columns: [{ text: `${info.trial} eligibility checklist — patient ${who}` }, { text: `page ${page - first + 1} of ${last - first + 1}`, alignment: "right" }], margin: [40, 10, 40, 0], fontSize: 7.5, color: "#444444" };
  };
  const sha = checklists[0]?.rules.sha256 ?? "";
  return {
    pageSize: opts.paper ?? "A4",
    pageMargins: [40, 40, 40, 44],
    info: {
      title: `Eligibility checklist — ${info.trial}`,
      subject: `${info.title}; rules ${checklists[0]?.rules.version ?? ""} sha256 ${sha}`,
      keywords: `${info.trial} eligibility checklist rules-sha256:${sha}`,
      creator: "screen",
      producer: "screen (pdfmake)",
      RulesSha256: sha,
      ...(opts.now ? { creationDate: opts.now } : {}),
    },
    content: checklists.map((c, i) => patientSection(c, info, markers[i]!)),
    footer,
    defaultStyle: { font: "DejaVuSans", fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 14, bold: true },
      h2: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 2] },
      th: { bold: true, fontSize: 8 },
      trial: { color: "#333333", margin: [0, 1, 0, 5] },
      note: { fontSize: 7.5, color: "#333333", margin: [0, 0, 0, 3] },
    },
  };
}

/**
 * The font's bytes: embedded in the single executable (scripts/package.mjs), else from the
 * dejavu-fonts-ttf package wherever npm put it. Only the upright faces are used.
 */
function fontBytes(name: string): Buffer {
  return embeddedBytes(`fonts/${name}`) ?? readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`));
}

// pdfmake's in-memory file system: the fonts go there as bytes, so pdfmake reads no file itself.
const FONTS = { normal: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", italics: "DejaVuSans.ttf", bolditalics: "DejaVuSans-Bold.ttf" };

/** Renders the checklists to PDF bytes. Reads only the two font files; fetches nothing. */
export async function renderChecklistPdf(checklists: readonly Checklist[], info: DocumentInfo, opts: PdfOptions = {}): Promise<Uint8Array> {
  const { default: pdfmake } = await import("pdfmake");
  for (const name of new Set(Object.values(FONTS))) {
    if (!pdfmake.virtualfs.existsSync(name)) pdfmake.virtualfs.writeFileSync(name, fontBytes(name));
  }
  pdfmake.setFonts({ DejaVuSans: FONTS });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  return pdfmake.createPdf(checklistDocDefinition(checklists, info, opts)).getBuffer();
}

/** Scripts the embedded font does not cover (CJK ideographs, kana, hangul, full-width forms). */
const UNCOVERED = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]|[\u{20000}-\u{3FFFF}]/u;

/** Whether any of the checklist's words would print as empty boxes in the PDF. */
export function hasUncoveredText(c: Checklist): boolean {
  const rows = [...c.inclusion, ...c.exclusion];
  return [c.patient, c.position, ...c.errors, ...c.warnings, ...rows.flatMap((x) => [x.text, x.reason, ...x.sources])].some((t) => UNCOVERED.test(t));
}

/**
 * Collects a batch's results for the PDF: page counts need the whole document, so the bytes come
 * at the end. Only the checklist's words are kept per patient, not the result.
 */
export function pdfChecklistCollector(info: DocumentInfo, opts: PdfOptions = {}) {
  const checklists: Checklist[] = [];
  const uncovered: string[] = [];
  return {
    add(result: OutputResult): void {
      const checklist = buildChecklist(result, info);
      if (hasUncoveredText(checklist)) uncovered.push(checklist.patient);
      checklists.push(checklist);
    },
    get count(): number {
      return checklists.length;
    },
    /** Patients whose checklist holds characters the embedded font lacks (a CJK name, say). */
    get uncovered(): readonly string[] {
      return uncovered;
    },
    finish: (): Promise<Uint8Array> => renderChecklistPdf(checklists, info, opts),
  };
}
