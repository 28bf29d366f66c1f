/**
 * `--report FILE.html`: the screening report a sponsor can read (CONSORT-style flow, counts,
 * failures per criterion), built from a batch's counts only. No patient identifier is written:
 * the collector never keeps one. Self-contained like the checklist.
 */
import { esc, htmlHead } from "./html-escape.js";
import { byCount, shownCount, type FlowCounts } from "./flow.js";
import { failureChart, flowDiagram, type CriterionLabel } from "./flow-svg.js";

export interface FlowReportOptions {
  readonly trial: string;
  readonly title: string;
  readonly rules: { readonly version: string; readonly sha256: string };
  readonly criteria: readonly CriterionLabel[];
  readonly labels: ReadonlyMap<string, string>;
  /** The input files' names as given ("standard input" for -). */
  readonly inputs: readonly string[];
  /** Counts from 1 to minCount-1 are shown as "<minCount"; 1 (the default) shows every count. */
  readonly minCount?: number;
  /** When the report was made (ISO 8601), from the caller's clock: nothing here reads one. */
  readonly generatedAt?: string;
}

const CSS = `
@page { margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 0; }
@media screen { body { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; } }
h1 { font-size: 16pt; margin: 0 0 .2rem; }
h2 { font-size: 12pt; margin: 1.2rem 0 .4rem; break-after: avoid; page-break-after: avoid; }
p { margin: .2rem 0 .5rem; }
.meta { border-collapse: collapse; margin: .4rem 0; width: 100%; table-layout: fixed; }
.meta th { text-align: left; width: 8rem; vertical-align: top; padding: .1rem .4rem .1rem 0; }
.meta td { overflow-wrap: anywhere; }
.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
figure { margin: .4rem 0 .8rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; max-width: 700px; height: auto; }
figcaption { font-size: 8.5pt; color: #333; margin-top: .2rem; }
table.counts { border-collapse: collapse; width: 100%; margin-bottom: .6rem; }
table.counts thead { display: table-header-group; }
table.counts th, table.counts td { border-bottom: 1px solid #bbb; padding: .2rem .35rem; text-align: left; vertical-align: top; }
table.counts th { background: #eee; border-bottom: 1.5px solid #333; }
table.counts td.n, table.counts th.n { text-align: right; white-space: nowrap; }
table.counts tr { break-inside: avoid; page-break-inside: avoid; }
.note { font-size: 8.5pt; color: #333; }
`;

function countsTable(c: FlowCounts, min: number): string {
  const pct = (n: number) => (c.records && shownCount(n, min) === String(n) ? ` (${((100 * n) / c.records).toFixed(1)}%)` : "");
  const rows: [string, number, boolean][] = [
    ["Records assessed", c.records, true],
    ["Invalid records (not screened)", c.invalid, false],
    ["Screened", c.records - c.invalid, false],
    ["Ineligible", c.ineligible, false],
    ["Incomplete, pending data", c.incomplete, false],
    ["Eligible", c.eligible, false],
  ];
  return `<table class="counts"><thead><tr><th>Stage</th><th class="n">Records</th></tr></thead><tbody>
${rows.map(([k, n, exact]) => `<tr><td>${k}</td><td class="n">${exact ? n : shownCount(n, min)}${pct(n)}</td></tr>`).join("\n")}
</tbody></table>`;
}

function criteriaTable(c: FlowCounts, o: FlowReportOptions, min: number): string {
  const rows = o.criteria.map(
    (k) => `<tr><td>${esc(k.id)}</td><td>${esc(k.short)}</td><td class="n">${shownCount(c.firstFailing.get(k.id) ?? 0, min)}</td><td class="n">${shownCount(c.failing.get(k.id) ?? 0, min)}</td></tr>`,
  );
  return `<table class="counts criteria"><thead><tr><th>Criterion</th><th>In short</th><th class="n">First failing</th><th class="n">Failing, in all</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>`;
}

function missingTable(c: FlowCounts, o: FlowReportOptions, min: number): string {
  const rows = byCount(c.missing).slice(0, 15);
  if (!rows.length) return `<p>No incomplete record.</p>`;
  return `<table class="counts missing"><thead><tr><th>Field</th><th>Record path</th><th class="n">Incomplete records needing it</th></tr></thead><tbody>
${rows.map(([p, n]) => `<tr><td>${esc(o.labels.get(p) ?? p)}</td><td>${esc(p)}</td><td class="n">${shownCount(n, min)}</td></tr>`).join("\n")}
</tbody></table>`;
}

export function renderFlowReport(c: FlowCounts, o: FlowReportOptions): string {
  const min = Math.max(1, o.minCount ?? 1);
  const pictures = { criteria: o.criteria, labels: o.labels, minCount: min };
  const inputs = o.inputs.length ? o.inputs.map(esc).join("<br>") : "standard input";
  const suppression = min > 1 ? ` Counts from 1 to ${min - 1} are shown as “&lt;${min}”; the number of records assessed is always exact.` : "";
  return `${htmlHead(`Screening report — ${o.trial}`, CSS)}<h1>Screening report — ${esc(o.trial)}</h1>
<p>${esc(o.title)}</p>
<table class="meta"><tbody>
<tr><th scope="row">Rules</th><td>${esc(o.trial)} version ${esc(o.rules.version)}</td></tr>
<tr><th scope="row">Rules sha256</th><td class="hash">${esc(o.rules.sha256)}</td></tr>
<tr><th scope="row">Input</th><td>${inputs}</td></tr>
${o.generatedAt ? `<tr><th scope="row">Generated</th><td>${esc(o.generatedAt)}</td></tr>` : ""}
</tbody></table>
<p class="note">Counts only: this report names no patient.${suppression}</p>
<h2>Screening flow</h2>
<figure>${flowDiagram(c, pictures)}
<figcaption>Ineligible records by their first failing criterion in protocol order (“first”, these add up to the ineligible count) and by every criterion they fail (“in all”). Incomplete records: nothing failed, some criterion cannot be decided yet; the fields listed are those most often needed.</figcaption></figure>
<h2>Counts</h2>
${countsTable(c, min)}
<h2>Failures per criterion</h2>
<figure>${failureChart(c, pictures)}</figure>
${criteriaTable(c, o, min)}
<h2>Data most often missing</h2>
${missingTable(c, o, min)}
</body>
</html>
`;
}

/** The report's fixed words from the rules file: criteria in protocol order, field labels. */
export function flowReportOptions(
  rules: { meta: { trial: string; version: string; sha256: string }; file: { title?: string }; criteria: readonly { id: string; short: string; category: "inclusion" | "exclusion" }[]; labels: ReadonlyMap<string, string> },
  extra: { inputs: readonly string[]; minCount?: number; generatedAt?: string },
): FlowReportOptions {
  return {
    trial: rules.meta.trial,
    title: rules.file.title ?? rules.meta.trial,
    rules: { version: rules.meta.version, sha256: rules.meta.sha256 },
    criteria: rules.criteria.map((c) => ({ id: c.id, short: c.short, category: c.category })),
    labels: rules.labels,
    ...extra,
  };
}
