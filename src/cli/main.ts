/**
 * The `screen` command: a thin shell over the library. Parses options, picks the sources, the
 * reporter and the sink, runs the batch and turns verdicts into the contract's exit codes.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { exitCodeFor, EXIT } from "../exit-codes.js";
import { runBatch } from "../batch/batch.js";
import { fileSource, stdinSource, type Source } from "../input/read-records.js";
import { atomicFileSink, SinkError, streamSink, type Sink } from "../batch/sink.js";
import { csvReporter } from "../report/csv.js";
import { jsonReporter, ndjsonReporter } from "../report/json.js";
import type { Reporter, ReporterOptions } from "../report/reporter.js";
import { renderSummary } from "../report/summary.js";
import { renderResult, textReporter } from "../report/text.js";
import type { CompiledRules } from "../rules/compiled.js";
import { compileVerified, DEFAULT_RULES_PATH, readRulesText, RulesError } from "../rules/compile.js";
import { checkTimeZone, machineTimeZone, parseAsOf, UsageError, type ScreenOptions } from "../screen.js";
import { progressMeter } from "./progress.js";
import { INPUT_FORMATS, type InputFormat } from "../input/read-input.js";
import { explainingReporter } from "../report/sources.js";

const FORMATS = ["text", "json", "ndjson", "csv", "fhir"] as const;
type Format = (typeof FORMATS)[number];

interface Options {
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
  color: boolean;
  from?: InputFormat;
  explainSources?: boolean;
}

const EXAMPLES = `
Examples:
  $ screen fixtures/eligible.json                      report for one patient
  $ screen fixtures/ineligible.json --format json      the result as JSON
  $ screen admissions/*.json --format csv -o log.csv   a screening log for many files
  $ export-tool | screen - --format ndjson --summary   screen an NDJSON stream from stdin
  $ screen patient.json --as-of 2026-11-24T09:00:00+08:00
  $ screen criteria                                    list the 27 criteria
  $ screen ask partial.json                            bedside mode: ask what is missing
  $ screen sheet.csv --explain-sources                 a coordinator's spreadsheet, values traced to cells
  $ screen --from fhir export.json --format fhir       a FHIR R4 Bundle in, ResearchSubjects out
  $ screen template --format csv > sheet.csv           start a screening spreadsheet

Exit codes: 0 all eligible · 1 any ineligible · 3 none ineligible, some incomplete · 2 bad usage or invalid record`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function fail(message: string, hint = "Run 'screen --help' for usage."): never {
  process.stderr.write(`screen: ${message}\n${hint ? `${hint}\n` : ""}`);
  process.exit(EXIT.usage);
}

async function useRules(path?: string): Promise<CompiledRules> {
  try {
    const text = readRulesText(path);
    const source = path ?? DEFAULT_RULES_PATH;
    // The rules the build verified need no checking; any other file is checked in full, by code
    // (zod and the rules schema) that only such a run loads.
    return compileVerified(text, source) ?? (await import("../rules/load.js")).compileRules(text, source);
  } catch (err) {
    if (err instanceof RulesError) fail(err.message, "");
    throw err;
  }
}

function reporterOptions(rules: CompiledRules, opts: Options, toTerminal: boolean): ReporterOptions {
  return {
    color: toTerminal && opts.color && !process.env.NO_COLOR,
    verbose: opts.verbose === true,
    summary: opts.summary === true,
    rules: rules.meta,
    criteriaShort: new Map(rules.criteria.map((c) => [c.id, c.short])),
  };
}

type FhirOut = typeof import("../adapters/fhir-out.js");

function makeReporter(format: Format, ro: ReporterOptions, rules: CompiledRules, fhirOut: FhirOut | undefined): Reporter {
  switch (format) {
    case "text":
      return textReporter(ro);
    case "json":
      return jsonReporter();
    case "ndjson":
      return ndjsonReporter();
    case "csv":
      return csvReporter();
    case "fhir":
      return fhirOut!.fhirReporter(fhirOut!.fhirOutOptions(rules));
  }
}

async function screenFiles(files: string[], opts: Options): Promise<number> {
  const rules = await useRules(opts.rules);
  const timeZone = opts.timeZone !== undefined ? checkTimeZone(opts.timeZone) : machineTimeZone;
  if (opts.asOf !== undefined) parseAsOf(opts.asOf, timeZone); // bad usage now, before any input is read
  const screenOptions: ScreenOptions = {
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    now: Date.now(),
    // As written: screen() reads it once, and warns on the records it dates when it has no offset.
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
  };
  let sources: Source[];
  if (files.length === 0) {
    if (process.stdin.isTTY) fail("no input: give a record file, '-' for standard input, or --interactive");
    sources = [stdinSource(process.stdin)];
  } else {
    if (files.filter((f) => f === "-").length > 1) fail("standard input ('-') can be read only once");
    sources = files.map((f) => (f === "-" ? stdinSource(process.stdin) : fileSource(f)));
  }

  let sink: Sink;
  try {
    sink = opts.output ? atomicFileSink(opts.output) : streamSink(process.stdout);
  } catch (err) {
    fail(err instanceof SinkError ? err.message : `cannot write ${opts.output}: ${(err as Error).message}`, "");
  }
  const stop = (code: number) => () => {
    sink.abort();
    process.exit(code);
  };
  process.once("SIGINT", stop(130));
  process.once("SIGTERM", stop(143));

  const ro = reporterOptions(rules, opts, !opts.output && process.stdout.isTTY === true);
  const progress = progressMeter(process.stderr, !opts.quiet && process.stderr.isTTY === true);
  // Loaded only for --format fhir, so other runs never pay for the FHIR mapping (and zod).
  const fhirOut = opts.format === "fhir" ? await import("../adapters/fhir-out.js") : undefined;
  let outcome: Awaited<ReturnType<typeof runBatch>>;
  try {
    outcome = await runBatch(sources, {
      rules,
      screen: screenOptions,
      reporter: opts.explainSources && opts.format === "text" ? explainingReporter(makeReporter(opts.format, ro, rules, fhirOut)) : makeReporter(opts.format, ro, rules, fhirOut),
      ...(opts.from ? { from: opts.from } : {}),
      sink,
      onResult: (_r, n) => progress.tick(n),
    });
    progress.done();
    if (outcome.records === 0) {
      sink.abort();
      const which = outcome.empty.length ? `: ${outcome.empty.join(", ")} ${outcome.empty.length === 1 ? "is" : "are"} empty` : "";
      fail(`the input holds no record${which}`, "");
    }
    await sink.close();
  } catch (err) {
    sink.abort(); // never leave a partial output file behind
    if (err instanceof SinkError) fail(err.message, "");
    throw err;
  }
  if (opts.summary && !sink.closed && opts.format !== "text") process.stderr.write(renderSummary(outcome.summary, ro.criteriaShort));
  if (opts.summary && opts.format === "text" && outcome.count === 1) process.stderr.write(renderSummary(outcome.summary, ro.criteriaShort));
  return exitCodeFor(outcome.verdicts);
}

async function interactive(file: string | undefined, opts: Options): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) fail("--interactive needs a terminal (standard input and output must be a TTY)");
  const rules = await useRules(opts.rules);
  const timeZone = opts.timeZone !== undefined ? checkTimeZone(opts.timeZone) : machineTimeZone();
  if (opts.asOf !== undefined) parseAsOf(opts.asOf, timeZone);
  let partial: unknown;
  if (file !== undefined) {
    try {
      partial = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
    } catch (err) {
      fail(`cannot read ${file}: ${(err as Error).message}`, "");
    }
  }
  const ro = reporterOptions(rules, opts, true);
  // Loaded only here, so batch and single-file runs never pay for the prompt library.
  const { runInteractive } = await import("../interactive/run.js");
  return runInteractive({
    rules,
    partial,
    ...(opts.save !== undefined ? { savePath: opts.save } : {}),
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    timeZone,
    now: () => Date.now(),
    color: ro.color,
    verbose: ro.verbose,
    renderReport: (result) => renderResult(result, { color: ro.color, verbose: ro.verbose }),
  });
}

async function listCriteria(opts: Options): Promise<number> {
  const rules = await useRules(opts.rules);
  if (opts.format === "json" || opts.format === "ndjson") {
    const list = rules.criteria.map((c) => ({ id: c.id, category: c.category, short: c.short, text: c.text }));
    process.stdout.write(opts.format === "json" ? JSON.stringify(list, null, 2) + "\n" : list.map((c) => JSON.stringify(c)).join("\n") + "\n");
    return 0;
  }
  const out = [`${rules.meta.trial} rules v${rules.meta.version} (sha256 ${rules.meta.sha256})`, ""];
  for (const c of rules.criteria) out.push(`${c.id}  ${c.category.padEnd(9)}  ${c.text}`);
  process.stdout.write(out.join("\n") + "\n");
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command("screen");
  program
    .description("Screen patients against the eligibility criteria of trial NCT07232563.\nInput: a record file, a JSON array, NDJSON, or '-' / piped standard input.")
    .version(version(), "-V, --version")
    .argument("[files...]", "patient record files (JSON object, JSON array or NDJSON; CSV/TSV sheets; FHIR R4 Bundles); '-' reads standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .addOption(new Option("--from <format>", "input format (default: .csv/.tsv files are sheets, a JSON Bundle is FHIR, else JSON records)").choices(INPUT_FORMATS))
    .option("--explain-sources", "text reports: say which spreadsheet cell or FHIR resource each value came from")
    .option("--as-of <timestamp>", "screening time for records without screenedAt (ISO 8601 with a time of day)")
    .option("--rules <file>", "rules file to screen against (default: the trial's rules/NCT07232563.json)")
    .option("-o, --output <file>", "write output to this file (atomically) instead of standard output")
    .option("--summary", "print screening-log counts (to stderr; after the reports with --format text)")
    .option("-q, --quiet", "no progress line")
    .option("-v, --verbose", "list every criterion in text reports, passes included")
    .option("-i, --interactive", "bedside mode: ask for what is missing (optionally resuming FILE)")
    .option("--save <file>", "interactive mode: save the finished record here without asking")
    .option("--time-zone <zone>", "IANA time zone for timestamps written without an offset (default: the machine's)")
    .option("--no-color", "no colour in text output (NO_COLOR is honoured too)")
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError("(run 'screen --help' for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith("error: ") ? `screen: ${s}` : s) });

  let code = 0;
  program.action(async (files: string[], opts: Options) => {
    if (opts.interactive) {
      if (files.length > 1) fail("--interactive takes at most one record file");
      code = await interactive(files[0], opts);
    } else {
      code = await screenFiles(files, opts);
    }
  });
  program
    .command("criteria")
    .description("list the trial's criteria with their ids and registry text")
    .action(async () => {
      code = await listCriteria(program.opts<Options>());
    });
  program
    .command("template")
    .description("print a screening spreadsheet's header row and one example row (--format csv)")
    .action(async () => {
      const opts = program.opts<Options>();
      if (opts.format !== "csv" && opts.format !== "text") fail(`'screen template' writes CSV only (--format csv), not ${opts.format}`);
      const { csvTemplate } = await import("../input/csv.js");
      process.stdout.write(csvTemplate(await useRules(opts.rules)));
    });
  program
    .command("ask")
    .description("bedside interactive mode (same as --interactive)")
    .argument("[file]", "a partial record to resume")
    .action(async (file: string | undefined) => {
      code = await interactive(file, program.opts<Options>());
    });
  program.enablePositionalOptions(false);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      return EXIT.usage;
    }
    if (err instanceof UsageError) fail(err.message);
    if (err instanceof RulesError) fail(err.message, "");
    throw err;
  }
  return code;
}
