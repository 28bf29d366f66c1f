import type { Reporter } from "./reporter.js";

const HEADER = ["id", "file", "line", "screenedAt", "verdict", "failed", "unknown", "errors", "rulesVersion", "rulesSha256"];

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: string | number | undefined): string {
  const s = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The screening log: one row per record, CRLF line ends as RFC 4180 asks. */
export function csvReporter(): Reporter {
  return {
    start: () => HEADER.join(",") + "\r\n",
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
        screened ? "" : r.errors.map((e) => `${e.path}: ${e.message}`).join("; "),
        r.rules.version,
        r.rules.sha256,
      ];
      return row.map(csvField).join(",") + "\r\n";
    },
    end: () => "",
  };
}
