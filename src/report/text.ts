/** The human report: verdict first, then what failed, what is missing, and a tally of the rest. */
import { Chalk, type ChalkInstance } from "chalk";
import type { OutputResult } from "../result.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { renderSummary } from "./summary.js";

const WRAP = 96;

export function renderResult(r: OutputResult, opts: { color: boolean; verbose: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const where = [r.file, r.line !== undefined ? `line ${r.line}` : undefined, r.index !== undefined ? `item ${r.index}` : undefined].filter(Boolean).join(", ");
  const who = [r.id ?? "(no id)", where ? `(${where})` : ""].filter(Boolean).join(" ");
  const out: string[] = [];

  if (r.verdict === "error") {
    out.push(`${c.bold(who)}  ${c.magenta.bold("INVALID RECORD")}  no verdict: ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}`);
    for (const e of r.errors) out.push(`  ${c.magenta("✗")} ${e.path || "(record)"}: ${e.message}`);
    out.push(...warnings(r, c));
    return out.join("\n") + "\n";
  }

  const verdictText = { eligible: c.green.bold("ELIGIBLE"), ineligible: c.red.bold("INELIGIBLE"), incomplete: c.yellow.bold("INCOMPLETE") }[r.verdict];
  const detail =
    r.verdict === "ineligible" ? `${criteria(r.failed.length)} failed` :
    r.verdict === "incomplete" ? `nothing failed; ${criteria(r.unknown.length)} cannot be decided yet` :
    "all criteria met";
  out.push(`${c.bold(who)}  ${verdictText}  ${detail}`);
  out.push(c.dim(`  screened at ${r.screenedAtLocal ?? r.screenedAt} · rules ${r.rules.trial} v${r.rules.version} (sha256 ${r.rules.sha256.slice(0, 12)}…)`));

  const failed = r.criteria.filter((x) => x.outcome === "fail");
  const unknown = r.criteria.filter((x) => x.outcome === "unknown");
  if (failed.length) {
    out.push("", c.red.bold("Failed"));
    for (const x of failed) out.push(...row(c, c.red("✗"), x.id, x.text, x.reason));
  }
  if (unknown.length) {
    out.push("", c.yellow.bold("Cannot be decided yet (data needed)"));
    for (const x of unknown) out.push(...row(c, c.yellow("?"), x.id, x.text, x.reason));
  }
  const passed = r.criteria.filter((x) => x.outcome === "pass");
  const na = r.criteria.filter((x) => x.outcome === "not_applicable");
  if (opts.verbose) {
    if (passed.length) {
      out.push("", c.green.bold("Passed"));
      for (const x of passed) out.push(...row(c, c.green("✓"), x.id, x.text, x.reason));
    }
    if (na.length) {
      out.push("", c.bold("Not applicable"));
      for (const x of na) out.push(...row(c, c.dim("–"), x.id, x.text, x.reason));
    }
  }
  out.push(...warnings(r, c));
  const tally = `Passed ${passed.length} of ${r.criteria.length}` + (na.length ? ` · not applicable: ${na.map((x) => x.id).join(", ")}` : "");
  out.push("", c.dim(tally + (opts.verbose ? "" : " (--verbose lists every criterion)")));
  return out.join("\n") + "\n";
}

function criteria(n: number): string {
  return `${n} ${n === 1 ? "criterion" : "criteria"}`;
}

function warnings(r: OutputResult, c: ChalkInstance): string[] {
  if (!r.warnings.length) return [];
  return ["", c.bold("Warnings"), ...r.warnings.map((w) => `  ${c.yellow("!")} ${w.path ? `${w.path}: ` : ""}${w.message}`)];
}

function row(c: ChalkInstance, mark: string, id: string, text: string, reason: string): string[] {
  const indent = " ".repeat(13);
  const [first = "", ...rest] = wrap(text, WRAP - indent.length);
  return [`  ${mark} ${id.padEnd(8)} ${first}`, ...rest.map((l) => indent + l), ...wrap(reason, WRAP - indent.length - 2).map((l, i) => indent + (i ? "  " : c.dim("→ ")) + l)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function textReporter(opts: ReporterOptions): Reporter {
  let count = 0;
  return {
    start: () => "",
    result(r) {
      const sep = count++ ? "\n" + "─".repeat(40) + "\n\n" : "";
      return sep + renderResult(r, opts);
    },
    end(summary, single) {
      if (!opts.summary || single || count <= 1) return "";
      return "\n" + "═".repeat(40) + "\n" + renderSummary(summary, opts.criteriaShort);
    },
  };
}
