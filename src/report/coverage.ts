/**
 * `screen coverage`: what a set of inputs supplies — per record field, how many records had it —
 * and the codes in the data the mapping does not use, most frequent first, so a site sees what to
 * add to its mapping table. Text for people, JSON for tools.
 */

export interface FieldCoverage {
  readonly path: string;
  readonly count: number;
}

export interface UnusedCode {
  readonly system: string; // the system URI, "" when the coding names none
  readonly label: string; // "LOINC", or the URI when the mapping does not declare the system
  readonly code: string;
  readonly display?: string;
  readonly resourceTypes: readonly string[];
  readonly count: number; // how many resources carry it
}

export interface CoverageReport {
  readonly inputs: number; // records read (a Bundle gives one per Patient), errors included
  readonly errors: number; // inputs that could not be screened (unreadable, invalid, deceased…)
  readonly fields: readonly FieldCoverage[];
  readonly unusedCodes: readonly UnusedCode[];
}

const TOP_CODES = 40;

export function renderCoverage(report: CoverageReport, format: "text" | "json"): string {
  if (format === "json") return JSON.stringify(report, null, 2) + "\n";
  const width = String(Math.max(report.inputs, 1)).length;
  const pad = (n: number) => String(n).padStart(Math.max(width, 5));
  const lines = [`Coverage of ${report.inputs} input record${report.inputs === 1 ? "" : "s"} (${report.errors} not screenable)`, "", "Record fields supplied:", `${"count".padStart(Math.max(width, 5))}  field`];
  for (const f of report.fields) lines.push(`${pad(f.count)}  ${f.path}`);
  lines.push("");
  const shown = report.unusedCodes.slice(0, TOP_CODES);
  lines.push(report.unusedCodes.length ? `Codes in the data the mapping does not use (${shown.length} most frequent of ${report.unusedCodes.length}):` : "Codes in the data the mapping does not use: none");
  if (shown.length) lines.push(`${"count".padStart(Math.max(width, 5))}  code  display  [resource types]`);
  for (const c of shown) lines.push(`${pad(c.count)}  ${c.label} ${c.code}  ${c.display ?? "(no display)"}  [${c.resourceTypes.join(", ")}]`);
  return lines.join("\n") + "\n";
}
