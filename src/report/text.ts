/**
 * The human report. It leads with what matters: the verdict, then what failed (an ineligible
 * patient's open questions are one line, since they cannot change the verdict), or what is
 * missing and one list of what to collect. Lines wrap on word boundaries at the terminal's width.
 */
import type { ChalkInstance } from "chalk";
import { TZDate } from "@date-fns/tz";
import { lightFormat } from "date-fns";
import type WrapAnsi from "wrap-ansi";
import { LoadFirst, type CriterionOutcome, type OutputResult, type ScreenedResult } from "../result.js";
import { isNarrow, wrapNarrow } from "../text/wrap.js";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { renderSummary } from "./summary.js";

/** Columns when the output is no terminal (a file, a pipe): what a printed page and an email hold. */
export const DEFAULT_WIDTH = 80;

/**
 * A report without colour uses PLAIN, which styles nothing, so a plain report (a file, a pipe)
 * never loads chalk; a coloured one is given chalk's palette (`paletteFor`).
 */
export const PLAIN: ChalkInstance = new Proxy(((...text: unknown[]) => text.join(" ")) as ChalkInstance, {
  // Not a thenable (an async function may return it) and nothing behind symbols (inspection).
  get: (_target, key) => (key === "level" ? 0 : typeof key === "string" && key !== "then" ? PLAIN : undefined),
});

/**
 * The palette for a report: chalk's (loaded here) when coloured, else PLAIN. Coloured lines hold
 * colour codes, which only wrap-ansi measures: it is loaded with chalk.
 */
export async function paletteFor(color: boolean): Promise<ChalkInstance> {
  if (!color) return PLAIN;
  const [{ Chalk }] = await Promise.all([import("chalk"), loadWrapAnsi()]);
  return new Chalk({ level: 1 });
}

export interface TextOptions {
  readonly color: boolean;
  /** With `color`: the palette from `paletteFor(true)`. */
  readonly palette?: ChalkInstance;
  readonly verbose: boolean;
  /** Columns to wrap at (the terminal's width); DEFAULT_WIDTH when not given. */
  readonly width?: number;
  /** A person's word for a record path ("stroke.aspects" → "ASPECTS"), for the "to collect" list. */
  readonly labels?: ReadonlyMap<string, string>;
  /** Each criterion's short name ("Brain tumour, epilepsy or severe head trauma"), for passed exclusions. */
  readonly shorts?: ReadonlyMap<string, string>;
}

interface Page {
  readonly c: ChalkInstance;
  readonly width: number;
  readonly opts: TextOptions;
}

export function renderResult(r: OutputResult, opts: TextOptions): string {
  if (opts.color && !opts.palette) throw new Error("a coloured report needs its palette (paletteFor)");
  const page: Page = { c: opts.color ? opts.palette! : PLAIN, width: Math.max(40, opts.width ?? DEFAULT_WIDTH), opts };
  const { c } = page;
  const where = [r.file, r.line !== undefined ? `line ${r.line}` : undefined, r.index !== undefined ? `item ${r.index}` : undefined].filter(Boolean).join(", ");
  const who = [r.id ?? "(no id)", where ? `(${where})` : ""].filter(Boolean).join(" ");

  if (r.verdict === "error") {
    const out = [`${c.bold(who)}  ${c.magenta.bold("INVALID RECORD")}  no verdict: ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}`];
    for (const e of r.errors) out.push(...hanging(page, `  ${c.magenta("✗")} `, `${e.path || "(record)"}: ${e.message}`));
    out.push(...warnings(r, page));
    return out.join("\n") + "\n";
  }
  const out = [...heading(r, who, page), ...body(r, page), ...warnings(r, page)];
  const passed = r.criteria.filter((x) => x.outcome === "pass");
  const na = r.criteria.filter((x) => x.outcome === "not_applicable");
  const tally = `Passed ${passed.length} of ${r.criteria.length}` + (na.length ? ` · not applicable: ${na.map((x) => x.id).join(", ")}` : "");
  out.push("", ...hanging(page, "", c.dim(tally + (opts.verbose ? "" : " (--verbose lists every criterion)"))));
  return out.join("\n") + "\n";
}

function heading(r: ScreenedResult, who: string, page: Page): string[] {
  const { c } = page;
  const verdictText = { eligible: c.green.bold("ELIGIBLE"), ineligible: c.red.bold("INELIGIBLE"), incomplete: c.yellow.bold("INCOMPLETE") }[r.verdict];
  const recheck = recheckAt(r);
  const detail =
    r.verdict === "ineligible" ? (recheck ? `ineligible now; re-screen from ${recheck}` : `${criteria(r.failed.length)} failed`) :
    r.verdict === "incomplete" ? `nothing failed; ${criteria(r.unknown.length)} cannot be decided yet` :
    "all criteria met";
  return [
    ...hanging(page, "", `${c.bold(who)}  ${verdictText}  ${detail}`),
    // Two short lines rather than one that wraps mid-hash on an 80-column page.
    ...hanging(page, "  ", c.dim(`screened at ${r.screenedAtLocal ?? r.screenedAt}`)),
    ...hanging(page, "  ", c.dim(`rules ${r.rules.trial} v${r.rules.version} (sha256 ${r.rules.sha256.slice(0, 12)}…)`)),
  ];
}

/**
 * "2026-11-25 07:00 +08:00" when every failure is a window that has not opened yet (so the
 * patient may qualify later), else undefined.
 */
function recheckAt(r: ScreenedResult): string | undefined {
  const failed = r.criteria.filter((x) => x.outcome === "fail");
  if (!failed.length || failed.some((x) => x.recheckAt === undefined)) return undefined;
  const latest = failed.map((x) => x.recheckAt!).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  // Shown in the offset it was given in (the screening's), as a person reads a clock there.
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(latest)?.[1];
  const ms = Date.parse(latest);
  if (offset === undefined || Number.isNaN(ms)) return latest;
  // lightFormat: date-fns's formatter without locale data (digits only), so a report loads little.
  const zone = offset === "Z" ? "+00:00" : offset;
  return `${lightFormat(new TZDate(ms, zone), "yyyy-MM-dd HH:mm")} ${zone}`;
}

function body(r: ScreenedResult, page: Page): string[] {
  const { c, opts } = page;
  const out: string[] = [];
  const by = (outcome: CriterionOutcome["outcome"]) => r.criteria.filter((x) => x.outcome === outcome);
  const [failed, unknown, passed, na] = [by("fail"), by("unknown"), by("pass"), by("not_applicable")];
  if (failed.length) out.push("", c.red.bold("Failed"), ...failed.flatMap((x) => row(page, c.red("✗"), x, x.text)));
  if (unknown.length && (r.verdict !== "ineligible" || opts.verbose)) {
    out.push("", c.yellow.bold("Cannot be decided yet (data needed)"), ...unknown.flatMap((x) => row(page, c.yellow("?"), x, x.text)));
  } else if (unknown.length) {
    // An ineligible patient stays ineligible whatever the missing data say: one line, not a page.
    out.push("", ...hanging(page, "", c.dim(`${criteria(unknown.length)} not decided; --verbose lists them`)));
  }
  if (opts.verbose && passed.length) out.push("", c.green.bold("Passed"), ...passed.flatMap((x) => row(page, c.green("✓"), x, passText(x, opts.shorts))));
  if (opts.verbose && na.length) out.push("", c.bold("Not applicable"), ...na.flatMap((x) => row(page, c.dim("–"), x, x.text)));
  if (r.verdict === "incomplete") out.push(...toCollect(unknown, page));
  return out;
}

/** A tick beside "Patients with brain tumors" would read as having one: a passed exclusion says what is absent. */
function passText(x: CriterionOutcome, shorts: ReadonlyMap<string, string> | undefined): string {
  if (x.category !== "exclusion") return x.text;
  const short = shorts?.get(x.id);
  return short ? `none of: ${short.charAt(0).toLowerCase()}${short.slice(1)}` : `not excluded: ${x.text}`;
}

/** One list of what to fill in, each record path once, with the criteria it decides. */
function toCollect(unknown: readonly CriterionOutcome[], page: Page): string[] {
  const decides = new Map<string, string[]>();
  for (const x of unknown) for (const path of x.needs ?? []) decides.set(path, [...(decides.get(path) ?? []), x.id]);
  if (!decides.size) return [];
  const names = [...decides.keys()].map((path) => {
    const label = page.opts.labels?.get(path);
    return label && label !== path ? `${path} (${label})` : path;
  });
  const width = Math.min(48, Math.max(...names.map((n) => n.length)));
  const lines = [...decides.values()].flatMap((ids, i) => hanging(page, `  ${names[i]!.padEnd(width)}  `, `decides ${ids.join(", ")}`));
  return ["", page.c.bold("To collect"), ...lines];
}

function criteria(n: number): string {
  return `${n} ${n === 1 ? "criterion" : "criteria"}`;
}

function warnings(r: OutputResult, page: Page): string[] {
  if (!r.warnings.length) return [];
  const { c } = page;
  return ["", c.bold("Warnings"), ...r.warnings.flatMap((w) => hanging(page, `  ${c.yellow("!")} `, `${w.path ? `${w.path}: ` : ""}${w.message}`))];
}

function row(page: Page, mark: string, x: CriterionOutcome, text: string): string[] {
  const indent = " ".repeat(13);
  const [first = "", ...rest] = wrap(text, page.width - indent.length);
  return [
    `  ${mark} ${x.id.padEnd(8)} ${first}`,
    ...rest.map((l) => indent + l),
    ...wrap(x.reason, page.width - indent.length - 2).map((l, i) => indent + (i ? "  " : page.c.dim("→ ")) + l),
  ];
}

/** `prefix` on the first line, the rest indented under the text, wrapped to the page. */
function hanging(page: Page, prefix: string, text: string): string[] {
  const visible = prefix.replace(/\x1b\[[0-9;]*m/g, "").length; // eslint-disable-line no-control-regex
  const [first = "", ...rest] = wrap(text, page.width - visible);
  return [prefix + first, ...rest.map((l) => " ".repeat(visible) + l)];
}

let wrapAnsi: typeof WrapAnsi | undefined;

/** Loads wrap-ansi, for text that is not narrow (colour codes, CJK, emoji). */
export async function loadWrapAnsi(): Promise<void> {
  wrapAnsi ??= (await import("wrap-ansi")).default;
}

/**
 * Word-boundary wrapping that keeps colour codes intact and never splits a word: narrow text
 * here (text/wrap.ts, the same lines), anything else by wrap-ansi, loaded when first needed.
 */
function wrap(text: string, width: number): string[] {
  const columns = Math.max(20, width);
  if (isNarrow(text)) return wrapNarrow(text, columns);
  if (!wrapAnsi) throw new LoadFirst("wrap-ansi", loadWrapAnsi);
  return wrapAnsi(text, columns, { hard: false, trim: true }).split("\n");
}

export function textReporter(opts: ReporterOptions & TextOptions): Reporter {
  let count = 0;
  return {
    start: () => "",
    result(r) {
      // Rendered before it is counted: a render that must load wrap-ansi first is run again.
      const text = renderResult(r, opts);
      const sep = count++ ? "\n" + "─".repeat(40) + "\n\n" : "";
      return sep + text;
    },
    end(summary, single) {
      if (!opts.summary || single || count <= 1) return "";
      return "\n" + "═".repeat(40) + "\n" + renderSummary(summary, opts.criteriaShort);
    },
  };
}
