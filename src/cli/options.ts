/** The command's options, and what they choose: colour, the reporter, the rules. */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { ColumnMap } from "../input/csv.js";
import { describeFsError } from "../input/read-records.js";
import type { Reporter, ReporterOptions } from "../report/reporter.js";
import { explainingReporter } from "../report/sources.js";
import { paletteFor, textReporter, type TextOptions } from "../report/text.js";
import type { CompiledRules } from "../rules/compiled.js";
import { compileVerified, DEFAULT_RULES_PATH, readRulesText, RulesError } from "../rules/compile.js";
import type { InputFormat } from "../input/read-input.js";
import { fail, type CliIo } from "./io.js";

export const FORMATS = ["text", "json", "ndjson", "csv", "fhir", "html", "pdf"] as const;
export type Format = (typeof FORMATS)[number];

export const COLOR_MODES = ["auto", "always", "never"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export interface Options {
  format: Format;
  asOf?: string;
  rules?: string;
  output?: string;
  summary?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  interactive?: boolean;
  save?: string;
  timeZone?: string;
  /** `--color WHEN`, or false for `--no-color`; undefined = auto. */
  color?: ColorMode | boolean;
  from?: InputFormat;
  explainSources?: boolean;
  /** --columns MAP.json: the site's sheet headers → record paths. */
  columns?: string;
  /** The screening report (HTML) to write beside the results. */
  report?: string;
  reportMinCount?: number;
  /** --format pdf: the paper size. */
  paper?: "a4" | "letter";
  /** `--jobs N|auto`, as written. */
  jobs?: string;
}

/**
 * Colour for a stream: never with --no-color/--color never; always with --color always; else
 * (auto) on a terminal, unless NO_COLOR is set. FORCE_COLOR overrides auto as chalk reads it
 * (0 or "false" off, anything else on), so `FORCE_COLOR=1 screen … | less -R` works too.
 */
export function colorFor(opts: Pick<Options, "color">, io: CliIo, toTerminal: boolean): boolean {
  const mode = opts.color === false ? "never" : opts.color === true || opts.color === undefined ? "auto" : opts.color;
  if (mode !== "auto") return mode === "always";
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return toTerminal && !io.env.NO_COLOR;
}

export async function useRules(path: string | undefined, io: CliIo): Promise<CompiledRules> {
  try {
    const text = readRulesText(path === undefined ? undefined : resolvePath(io, path));
    const source = path ?? DEFAULT_RULES_PATH;
    // The rules the build verified need no checking; any other file is checked in full, by code
    // (zod and the rules schema) that only such a run loads.
    return compileVerified(text, source) ?? (await import("../rules/load.js")).compileRules(text, source);
  } catch (err) {
    if (err instanceof RulesError) fail(err.message, "");
    throw err;
  }
}

/** Reads --columns MAP.json (a usage error, exit 2, when it cannot be read or is wrong). */
export async function readColumns(file: string, io: CliIo, rules: CompiledRules): Promise<ColumnMap> {
  let text: string;
  try {
    text = readFileSync(resolvePath(io, file), "utf8");
  } catch (err) {
    fail(`--columns: cannot read ${file}: ${describeFsError(err)}`, "");
  }
  // Loaded only with --columns: the map's checks bring the sheet mapping (and zod) with them.
  const { readColumnMap } = await import("../input/columns.js");
  return readColumnMap(text, file, rules);
}

/** A path the user typed, resolved against the command's working directory. */
export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

export function reporterOptions(rules: CompiledRules, opts: Options, color: boolean, width?: number): ReporterOptions & TextOptions {
  const criteriaShort = new Map(rules.criteria.map((c) => [c.id, c.short]));
  return {
    color,
    verbose: opts.verbose === true,
    summary: opts.summary === true,
    criteriaShort,
    shorts: criteriaShort,
    labels: rules.labels,
    ...(width !== undefined ? { width } : {}),
  };
}

/** The terminal's width when writing to one, else the report's default. */
export function widthFor(io: CliIo, toTerminal: boolean): number | undefined {
  return toTerminal && io.stdout.columns ? io.stdout.columns : undefined;
}

export async function makeReporter(opts: Options, ro: ReporterOptions & TextOptions, rules: CompiledRules): Promise<Reporter> {
  switch (opts.format) {
    case "text":
    {
      const text = textReporter({ ...ro, palette: await paletteFor(ro.color) });
      return opts.explainSources ? explainingReporter(text) : text;
    }
    case "json":
      // Each format's reporter is loaded when asked for: a one-record text run loads the text one only.
      return (await import("../report/json.js")).jsonReporter();
    case "ndjson":
      return (await import("../report/json.js")).ndjsonReporter();
    case "csv":
      return (await import("../report/csv.js")).csvReporter();
    case "html": {
      // Loaded only for --format html, like the other documents.
      const [{ htmlChecklistReporter }, { documentInfo }] = await Promise.all([import("../report/html-checklist.js"), import("../report/checklist-model.js")]);
      return htmlChecklistReporter(documentInfo(rules));
    }
    case "pdf":
      throw new Error("--format pdf has no text reporter: the CLI writes its bytes after the batch");
    case "fhir": {
      // Loaded only for --format fhir, so other runs never pay for the FHIR mapping (and zod).
      const fhirOut = await import("../report/fhir.js");
      return fhirOut.fhirReporter(fhirOut.fhirOutOptions(rules));
    }
  }
}

/** `--jobs`: a whole number from 1, or "auto" (one per core). */
export function jobsFor(opts: Pick<Options, "jobs">): number {
  if (opts.jobs === undefined) return 1;
  if (opts.jobs === "auto") return availableParallelism();
  if (!/^\d+$/.test(opts.jobs) || Number(opts.jobs) < 1 || Number(opts.jobs) > 256) fail(`--jobs needs a whole number from 1 to 256, or auto; got "${opts.jobs}"`);
  return Number(opts.jobs);
}
