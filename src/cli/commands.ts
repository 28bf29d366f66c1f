/** The subcommands beside screening files: `criteria`, `template`, and the bedside mode. */
import { readFileSync } from "node:fs";
import { loadWrapAnsi, paletteFor, renderResult } from "../report/text.js";
import { checkTimeZone, machineTimeZone, parseAsOf } from "../screen.js";
import { parseJson } from "../text/json.js";
import { fail, type CliIo } from "./io.js";
import { colorFor, readColumns, reporterOptions, resolvePath, useRules, widthFor, type Options } from "./options.js";

export async function listCriteria(opts: Options, io: CliIo): Promise<number> {
  const rules = await useRules(opts.rules, io);
  if (opts.format === "json" || opts.format === "ndjson") {
    const list = rules.criteria.map((c) => ({ id: c.id, category: c.category, short: c.short, text: c.text }));
    io.stdout.write(opts.format === "json" ? JSON.stringify(list, null, 2) + "\n" : list.map((c) => JSON.stringify(c)).join("\n") + "\n");
    return 0;
  }
  if (opts.format !== "text") fail(`'screen criteria' writes text, json or ndjson, not ${opts.format}`);
  const out = [`${rules.meta.trial} rules v${rules.meta.version} (sha256 ${rules.meta.sha256})`, ""];
  for (const c of rules.criteria) out.push(`${c.id}  ${c.category.padEnd(9)}  ${c.text}`);
  io.stdout.write(out.join("\n") + "\n");
  return 0;
}

export async function writeTemplate(opts: Options, io: CliIo): Promise<number> {
  if (opts.format !== "csv" && opts.format !== "text") fail(`'screen template' writes CSV only (--format csv), not ${opts.format}`);
  const { csvTemplate } = await import("../input/csv.js");
  const rules = await useRules(opts.rules, io);
  const columns = opts.columns !== undefined ? await readColumns(opts.columns, io, rules) : undefined;
  io.stdout.write(csvTemplate(rules, ",", columns));
  return 0;
}

/** Reads the record to resume with the same strict JSON reader as every other input. */
function readPartial(file: string, io: CliIo): unknown {
  let text: string;
  try {
    text = readFileSync(resolvePath(io, file), "utf8");
  } catch (err) {
    fail(`cannot read ${file}: ${(err as Error).message}`, "");
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) fail(`cannot read ${file}: ${parsed.path !== undefined ? `${parsed.path}: ` : ""}${parsed.error}`, "");
  return parsed.value;
}

export async function interactive(file: string | undefined, opts: Options, io: CliIo): Promise<number> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) fail("--interactive needs a terminal (standard input and output must be a TTY)");
  const rules = await useRules(opts.rules, io);
  const timeZone = opts.timeZone !== undefined ? checkTimeZone(opts.timeZone) : machineTimeZone();
  if (opts.asOf !== undefined) parseAsOf(opts.asOf, timeZone);
  const partial = file !== undefined ? readPartial(file, io) : undefined;
  const color = colorFor(opts, io, true);
  const verbose = opts.verbose === true;
  // Loaded only here, so batch and single-file runs never pay for the prompt library.
  // The session renders reports synchronously, in colour and with what a person types: wrap-ansi up front.
  const [{ runInteractive }, palette] = await Promise.all([import("../interactive/run.js"), paletteFor(color), loadWrapAnsi()]);
  return runInteractive({
    rules,
    partial,
    // A resumed draft is removed once its record is saved elsewhere.
    ...(file !== undefined ? { partialPath: resolvePath(io, file) } : {}),
    ...(opts.save !== undefined ? { savePath: opts.save } : {}),
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    timeZone,
    now: io.now,
    color,
    verbose,
    io,
    renderReport: (result) => renderResult(result, { ...reporterOptions(rules, opts, color, widthFor(io, true)), verbose, palette }),
  });
}
