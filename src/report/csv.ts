/** The screening log (`--format csv`): one row per record, the contract's columns (§3) in order. */
import type { OutputResult, Problem } from "../result.js";
import { csvRow } from "../text/csv.js";
import type { Reporter } from "./reporter.js";

// The first ten are fixed by the contract; the rest are appended, never reordered.
const HEADER = ["id", "file", "line", "screenedAt", "verdict", "failed", "unknown", "errors", "rulesVersion", "rulesSha256", "warnings", "needs", "screenedAtLocal", "index"];

/** `path: message`, or the message alone for the whole record, joined by "; ". */
function problems(list: readonly Problem[], emptyPathAlone: boolean): string {
  return list.map((p) => (p.path || !emptyPathAlone ? `${p.path}: ${p.message}` : p.message)).join("; ");
}

/** The record paths that would decide the unknown criteria, each once, in criterion order. */
function needs(r: OutputResult): string {
  if (r.verdict === "error") return "";
  const paths = new Set<string>();
  for (const c of r.criteria) for (const p of c.needs ?? []) paths.add(p);
  return [...paths].join(" ");
}

/** CRLF line ends, as RFC 4180 asks. */
export function csvReporter(): Reporter {
  return {
    start: () => csvRow(HEADER) + "\r\n",
    result(r) {
      const screened = r.verdict !== "error";
      const row = [
        r.id,
        r.file,
        r.line,
        screened ? r.screenedAt : undefined,
        r.verdict,
        screened ? r.failed.join(" ") : "",
        screened ? r.unknown.join(" ") : "",
        screened ? "" : problems(r.errors, false),
        r.rules.version,
        r.rules.sha256,
        problems(r.warnings, true),
        needs(r),
        screened ? r.screenedAtLocal : undefined,
        r.index,
      ];
      return csvRow(row) + "\r\n";
    },
    end: () => "",
  };
}
