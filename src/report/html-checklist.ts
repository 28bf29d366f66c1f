/**
 * `--format html`: the eligibility checklist, one printed section per patient, to sign and file.
 * Self-contained (inline CSS, no script, nothing fetched) so it prints the same on any machine,
 * and streamed per patient like every other reporter.
 */
import type { OutputResult } from "../result.js";
import { buildChecklist, type Checklist, type ChecklistRow, type DocumentInfo } from "./checklist-model.js";
import { esc, htmlHead } from "./html-escape.js";
import type { Reporter } from "./reporter.js";

// Widths are fractions of the page, not lengths, so one layout fits both A4 and US Letter.
// Colour is never the only signal: each state also has a word, a symbol and a border style.
export const CHECKLIST_CSS = `
@page { margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 0; }
@media screen { body { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; } section.patient + section.patient { margin-top: 3rem; border-top: 2px solid #999; padding-top: 1.5rem; } }
section.patient { break-before: page; page-break-before: always; }
section.patient:first-of-type { break-before: auto; page-break-before: auto; }
h1 { font-size: 15pt; margin: 0 0 .15rem; }
h2 { font-size: 11.5pt; margin: 1rem 0 .35rem; break-after: avoid; page-break-after: avoid; }
.trial { margin: 0 0 .6rem; color: #333; }
.meta { width: 100%; border-collapse: collapse; margin-bottom: .6rem; table-layout: fixed; }
.meta th { text-align: left; width: 9.5rem; font-weight: 600; vertical-align: top; padding: .1rem .4rem .1rem 0; }
.meta td { padding: .1rem 0; overflow-wrap: anywhere; }
.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
.verdict { border: 3px solid; padding: .45rem .7rem; margin: .5rem 0 .8rem; break-inside: avoid; }
.verdict strong { font-size: 14pt; display: block; }
.verdict.eligible { border-style: solid; border-color: #1a7f37; background: #e6f4ea; }
.verdict.ineligible { border-style: double; border-width: 6px; border-color: #b42318; background: #fdecea; }
.verdict.incomplete { border-style: dashed; border-color: #9a6700; background: #fff6db; }
.verdict.invalid { border-style: dotted; border-color: #6f42c1; background: #f3eefc; }
table.criteria { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: .4rem; }
table.criteria col.id { width: 10%; } table.criteria col.text { width: 36%; } table.criteria col.outcome { width: 17%; } table.criteria col.reason { width: 37%; }
table.with-sources col.text { width: 30%; } table.with-sources col.reason { width: 26%; } table.with-sources col.source { width: 17%; }
table.criteria thead { display: table-header-group; }
table.criteria tr.who th { background: none; border-bottom: 0; font-weight: normal; font-size: 8pt; color: #444; padding: 0 .3rem .15rem; }
table.criteria th { text-align: left; background: #eee; border-bottom: 1.5px solid #333; padding: .25rem .3rem; font-size: 9pt; }
table.criteria td { border-bottom: 1px solid #bbb; padding: .25rem .3rem; vertical-align: top; overflow-wrap: anywhere; }
table.criteria tr { break-inside: avoid; page-break-inside: avoid; }
td.reason, td.source { font-size: 8.5pt; }
td.source ul { margin: 0; padding-left: .9rem; }
td.outcome { font-weight: 600; }
td.outcome.met { color: #1a7f37; } td.outcome.not-met { color: #b42318; } td.outcome.undecided { color: #9a6700; } td.outcome.na { color: #555; }
td.outcome.not-met { text-decoration: underline; }
.mark { display: inline-block; width: 1.1em; }
.note { font-size: 8.5pt; color: #333; margin: .1rem 0 .3rem; }
ul.list { margin: .2rem 0 .5rem; padding-left: 1.2rem; overflow-wrap: anywhere; }
.sign-off { margin-top: 1.2rem; break-inside: avoid; page-break-inside: avoid; }
.sign-for { margin: 0 0 .4rem; font-weight: 600; }
.signatures { display: flex; gap: 1.2rem; }
.signature { flex: 1; border: 1px solid #333; padding: .5rem .6rem; min-width: 0; }
.signature h3 { font-size: 10pt; margin: 0 0 .5rem; }
.signature .line { display: flex; align-items: flex-end; margin-top: .9rem; }
.signature .line span { white-space: nowrap; margin-right: .4rem; }
.signature .line i { flex: 1; border-bottom: 1px solid #111; height: 1.1rem; }
footer.doc { font-size: 8pt; color: #444; margin-top: .8rem; }
`;

export function checklistHead(info: DocumentInfo): string {
  return htmlHead(`Eligibility checklist — ${info.trial}`, CHECKLIST_CSS);
}

export const CHECKLIST_TAIL = "</body>\n</html>\n";

/** Escaped, with line-break chances after the dots and slashes of paths and resource ids. */
function breakable(text: string): string {
  return esc(text).replace(/([./|])/g, "$1<wbr>");
}

function rowHtml(x: ChecklistRow, withSources: boolean): string {
  const sources = x.sources.length ? `<ul>${x.sources.map((s) => `<li>${breakable(s)}</li>`).join("")}</ul>` : "";
  const sourceCell = withSources ? `<td class="source">${sources}</td>` : "";
  return `<tr class="${x.tone}"><td class="id">${esc(x.id)}</td><td class="text">${esc(x.text)}</td>` +
    `<td class="outcome ${x.tone}"><span class="mark" aria-hidden="true">${esc(x.mark)}</span>${esc(x.outcome)}</td>` +
    `<td class="reason">${esc(x.reason)}</td>${sourceCell}</tr>\n`;
}

/** The Source column only when the input said where values came from (a spreadsheet, FHIR). */
function criteriaTable(caption: string, note: string, rows: readonly ChecklistRow[], withSources: boolean, who: string): string {
  if (!rows.length) return "";
  const cols = withSources ? `<col class="source">` : "";
  const head = withSources ? `<th scope="col">Source</th>` : "";
  // The header repeats on every printed page, so a continuation page still names its patient.
  const whoRow = `<tr class="who"><th colspan="${withSources ? 5 : 4}">${esc(who)} · ${esc(caption.toLowerCase())}</th></tr>`;
  return `<h2>${esc(caption)}</h2>\n<p class="note">${esc(note)}</p>\n<table class="criteria${withSources ? " with-sources" : ""}">
<colgroup><col class="id"><col class="text"><col class="outcome"><col class="reason">${cols}</colgroup>
<thead>${whoRow}<tr><th scope="col">Criterion</th><th scope="col">Registry text</th><th scope="col">Outcome</th><th scope="col">Values and limit</th>${head}</tr></thead>
<tbody>
${rows.map((x) => rowHtml(x, withSources)).join("")}</tbody>
</table>
`;
}

function list(title: string, items: readonly string[]): string {
  return items.length ? `<h2>${esc(title)}</h2>\n<ul class="list">${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>\n` : "";
}

function signature(role: string): string {
  const line = (what: string) => `<div class="line"><span>${what}</span><i></i></div>`;
  return `<div class="signature"><h3>${esc(role)}</h3>${line("Name")}${line("Signature")}${line("Date")}</div>`;
}

export function renderChecklistSection(c: Checklist, info: DocumentInfo): string {
  const meta: [string, string][] = [
    ["Patient", esc(c.patient) + (c.position ? ` <span class="note">(${esc(c.position)})</span>` : "")],
    ...(c.screenedLocal ? [["Screened at", `${esc(c.screenedLocal)}<br>${esc(c.screenedUtc ?? "")}`] as [string, string]] : []),
    ["Rules", `${esc(c.rules.trial)} version ${esc(c.rules.version)}`],
    ["Rules sha256", `<span class="hash">${esc(c.rules.sha256)}</span>`],
  ];
  const withSources = [...c.inclusion, ...c.exclusion].some((x) => x.sources.length > 0);
  const who = `Patient ${c.patient} — ${info.trial} eligibility checklist`;
  const needed = c.needed.map((n) => `${n.path} (${n.label}), for ${n.criteria.join(", ")}`);
  return `<section class="patient" data-patient="${esc(c.patient)}">
<h1>Eligibility checklist — ${esc(info.trial)}</h1>
<p class="trial">${esc(info.title)}</p>
<table class="meta"><tbody>
${meta.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("\n")}
</tbody></table>
<div class="verdict ${c.tone}" role="status"><strong>${esc(c.verdict)}</strong>${esc(c.verdictDetail)}</div>
${list("Errors to correct", c.errors)}${criteriaTable("Inclusion criteria", "Met: the patient fulfils the criterion.", c.inclusion, withSources, who)}${criteriaTable(
    "Exclusion criteria",
    "Met: the exclusion does not apply to the patient (not excluded). Not met: the patient is excluded by it.",
    c.exclusion,
    withSources,
    who,
  )}${list("Data to collect", needed)}${list("Warnings", c.warnings)}<div class="sign-off"><p class="sign-for">${esc(who)}: outcomes checked against source data.</p>
<div class="signatures">${signature("Screened by")}${signature("Investigator")}</div>
<footer class="doc">Generated by screen from the patient's record, rules ${esc(c.rules.trial)} version ${esc(c.rules.version)}.</footer></div>
</section>
`;
}

/** The checklist as a reporter: the document head first, then one section per result as it comes. */
export function htmlChecklistReporter(info: DocumentInfo): Reporter {
  return {
    start: () => checklistHead(info),
    result: (r: OutputResult) => renderChecklistSection(buildChecklist(r, info), info),
    end: () => CHECKLIST_TAIL,
  };
}
