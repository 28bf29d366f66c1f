/**
 * The screening report's pictures as inline SVG (no script, no font file): the CONSORT-style flow
 * and the bar chart of failures per criterion. Text is measured by a conservative estimate and cut
 * with an ellipsis to fit its box, since there is no browser to measure it here; the browser check
 * (scripts/test-browser.mjs) verifies that no two labels overlap.
 */
import { esc } from "./html-escape.js";
import { byCount, isSuppressed, shownCount, type FlowCounts } from "./flow.js";

export interface CriterionLabel {
  readonly id: string;
  readonly short: string;
  readonly category: "inclusion" | "exclusion";
}

export interface FlowPictureOptions {
  readonly criteria: readonly CriterionLabel[];
  readonly labels: ReadonlyMap<string, string>;
  readonly minCount: number;
}

const W = 700;
const MAIN = { x: 8, w: 240 };
const SIDE = { x: 292, w: W - 292 - 8 };
const LINE = 15;
const FONT = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\"";

/** Wider than most fonts' average glyph (DejaVu Sans is among the widest): errs towards cutting. */
export function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.58;
}

export function fit(text: string, maxWidth: number, size: number): string {
  if (textWidth(text, size) <= maxWidth) return text;
  const chars = [...text];
  const keep = Math.max(1, Math.floor(maxWidth / (size * 0.58)) - 1);
  return chars.slice(0, keep).join("").trimEnd() + "…";
}

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x}" y="${y}"${attrs ? " " + attrs : ""}>${esc(content)}</text>`;
}

interface Box {
  readonly svg: string;
  readonly height: number;
}

/** A box: a bold title and its count, then optional rows of label + right-aligned numbers. */
function box(x: number, y: number, w: number, title: string, count: string, rows: readonly { label: string; numbers: string[] }[], header?: string[], cls = ""): Box {
  const parts: string[] = [];
  let cy = y + 18;
  const countW = textWidth(count, 13) + 8;
  parts.push(text(x + 8, cy, fit(title, w - 16 - countW, 13), `font-weight="bold" font-size="13"`));
  parts.push(text(x + w - 8, cy, count, `font-weight="bold" font-size="13" text-anchor="end"`));
  const colW = 44;
  if (header && rows.length) {
    cy += LINE + 2;
    header.forEach((h, i) => parts.push(text(x + w - 8 - (header.length - 1 - i) * colW, cy, h, `font-size="9.5" text-anchor="end" fill="#444"`)));
  }
  for (const row of rows) {
    cy += LINE;
    const labelW = w - 16 - row.numbers.length * colW;
    parts.push(text(x + 8, cy, fit(row.label, labelW, 11), `font-size="11"`));
    row.numbers.forEach((n, i) => parts.push(text(x + w - 8 - (row.numbers.length - 1 - i) * colW, cy, n, `font-size="11" text-anchor="end"`)));
  }
  const height = cy - y + 10;
  return { svg: `<g class="box ${cls}"><rect x="${x}" y="${y}" width="${w}" height="${height}" rx="4"/>${parts.join("")}</g>`, height };
}

const arrow = (x1: number, y1: number, x2: number, y2: number) => `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/>`;

/** The flow: assessed → invalid → screened → ineligible (why) → incomplete (what is missing) → eligible. */
export function flowDiagram(c: FlowCounts, opts: FlowPictureOptions): string {
  const show = (n: number) => `n = ${shownCount(n, opts.minCount)}`;
  const screened = c.records - c.invalid;
  const gap = 18;
  const parts: string[] = [];
  const cx = MAIN.x + MAIN.w / 2;

  const top = box(MAIN.x, 8, MAIN.w, "Records assessed", `n = ${c.records}`, [], undefined, "main");
  parts.push(top.svg);
  let y = 8 + top.height + gap;
  const invalid = box(SIDE.x, y, SIDE.w, "Invalid records (not screened)", show(c.invalid), [], undefined, "side");
  parts.push(invalid.svg, arrow(cx, y + invalid.height / 2, SIDE.x - 2, y + invalid.height / 2));
  y += invalid.height + gap;
  const mid = box(MAIN.x, y, MAIN.w, "Screened", show(screened), [], undefined, "main");
  parts.push(mid.svg);
  const midBottom = y + mid.height;
  y = midBottom + gap;

  const failRows = opts.criteria
    .filter((k) => (c.failing.get(k.id) ?? 0) > 0)
    .map((k) => ({ label: `${k.id} ${k.short}`, numbers: [shownCount(c.firstFailing.get(k.id) ?? 0, opts.minCount), shownCount(c.failing.get(k.id) ?? 0, opts.minCount)] }));
  const inel = box(SIDE.x, y, SIDE.w, "Ineligible", show(c.ineligible), failRows, ["first", "in all"], "side");
  parts.push(inel.svg, arrow(cx, y + 12, SIDE.x - 2, y + 12));
  y += inel.height + gap;

  const missRows = byCount(c.missing)
    .slice(0, 6)
    .map(([path, n]) => ({ label: `${opts.labels.get(path) ?? path} (${path})`, numbers: [shownCount(n, opts.minCount)] }));
  const inc = box(SIDE.x, y, SIDE.w, "Incomplete, pending data", show(c.incomplete), missRows, missRows.length ? ["missing"] : undefined, "side");
  parts.push(inc.svg, arrow(cx, y + 12, SIDE.x - 2, y + 12));
  y += inc.height + gap;

  const last = box(MAIN.x, y, MAIN.w, "Eligible", show(c.eligible), [], undefined, "main");
  parts.push(last.svg);
  parts.push(arrow(cx, 8 + top.height, cx, 8 + top.height + gap + invalid.height + gap - 2));
  parts.push(arrow(cx, midBottom, cx, y - 2));
  const height = y + last.height + 8;
  return `<svg class="flow" role="img" aria-label="Screening flow" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" ${FONT}>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>
<style>.box rect{fill:#fff;stroke:#333;stroke-width:1.2}.box.main rect{fill:#eef3fb;stroke-width:1.8}line{stroke:#333;stroke-width:1.2}</style>
${parts.join("\n")}
</svg>`;
}

/** Patients failing each criterion (independent counts), all criteria in protocol order. */
export function failureChart(c: FlowCounts, opts: FlowPictureOptions): string {
  const rowH = 17;
  const labelW = 64;
  const barX = labelW + 4;
  const barMax = W - barX - 60;
  const value = (n: number) => (isSuppressed(n, opts.minCount) ? opts.minCount : n);
  const max = Math.max(1, ...opts.criteria.map((k) => value(c.failing.get(k.id) ?? 0)));
  const rows = opts.criteria.map((k, i) => {
    const n = c.failing.get(k.id) ?? 0;
    const y = 22 + i * rowH;
    const w = (value(n) / max) * barMax;
    const fill = isSuppressed(n, opts.minCount) ? "url(#hatch)" : k.category === "inclusion" ? "#2f5f98" : "#a2471f";
    return `<g><title>${esc(`${k.id} ${k.short}: ${shownCount(n, opts.minCount)}`)}</title>${text(0, y + 12, k.id, `font-size="11"`)}` +
      `<rect x="${barX}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${fill}" stroke="#333" stroke-width="${n ? 0.6 : 0}"/>` +
      text(barX + w + 4, y + 12, shownCount(n, opts.minCount), `font-size="11"`) + "</g>";
  });
  const height = 22 + opts.criteria.length * rowH + 8;
  return `<svg class="bars" role="img" aria-label="Patients failing each criterion" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" ${FONT}>
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="2"/></pattern></defs>
${text(0, 12, "Criterion", `font-size="10" font-weight="bold"`)}${text(barX, 12, "Patients failing it (inclusion: blue, exclusion: brown)", `font-size="10" font-weight="bold"`)}
${rows.join("\n")}
</svg>`;
}
