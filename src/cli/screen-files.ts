/** `screen FILE…`: sources → batch → reporter → sink, and the contract's exit code. */
import { existsSync, statSync } from "node:fs";
import { runBatch, type BatchOptions, type BatchOutcome } from "../batch/batch.js";
import { atomicFileSink, SinkError, streamSink, type Sink } from "../batch/sink.js";
import { exitCodeFor } from "../exit-codes.js";
import { fileSource, stdinSource, type Source } from "../input/read-records.js";
import { formatOf, readSources } from "../input/read-input.js";
import { renderSummary } from "../report/summary.js";
import type { CompiledRules } from "../rules/compiled.js";
import { checkTimeZone, machineTimeZone, parseAsOf, type ScreenOptions } from "../screen.js";
import { sourceName } from "../text/names.js";
import { fail, type CliIo } from "./io.js";
import { colorFor, jobsFor, makeReporter, readColumns, reporterOptions, resolvePath, useRules, widthFor, type Options } from "./options.js";
import { checkDocumentOptions, openReport, pdfOutput, type ReportOutput } from "./documents.js";
import { progressMeter } from "./progress.js";

export async function screenFiles(files: string[], opts: Options, io: CliIo): Promise<number> {
  const rules = await useRules(opts.rules, io);
  const screenOptions = screenOptionsFor(opts, io);
  missingSingleFile(files, opts, io);
  const sources = sourcesFor(files, io);
  checkDocumentOptions(opts, io);
  if (opts.output !== undefined) refuseOverwritingInput(opts.output, sources, io);
  const reportFile = await openReport(opts, io, rules, sources);
  let sink: Sink;
  try {
    sink = opts.output !== undefined ? atomicFileSink(resolvePath(io, opts.output), opts.output) : streamSink(io.stdout);
  } catch (err) {
    reportFile?.abort();
    fail(err instanceof SinkError ? err.message : `cannot write ${opts.output}: ${(err as Error).message}`, "");
  }
  // Ctrl-C / SIGTERM: never leave a partial output file behind.
  const unregister = io.onSignal?.((signal) => {
    sink.abort();
    reportFile?.abort();
    return signal === "SIGINT" ? 130 : signal === "SIGHUP" ? 129 : 143;
  });
  try {
    const outcome = await run(sources, opts, io, rules, screenOptions, sink, reportFile);
    report(outcome, opts, io, rules, sink);
    return exitCodeFor(outcome.verdicts);
  } finally {
    unregister?.();
  }
}

export function screenOptionsFor(opts: Options, io: CliIo): ScreenOptions {
  const timeZone = opts.timeZone !== undefined ? checkTimeZone(opts.timeZone) : machineTimeZone;
  if (opts.asOf !== undefined) parseAsOf(opts.asOf, timeZone); // bad usage now, before any input is read
  return {
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    now: io.now(),
    // As written: screen() reads it once, and warns on the records it dates when it has no offset.
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
  };
}

export function sourcesFor(files: string[], io: CliIo): Source[] {
  if (files.length === 0) {
    if (io.stdin.isTTY) fail("no input: give a record file, '-' for standard input, or --interactive");
    return [stdinSource(io.stdin)];
  }
  if (files.filter((f) => f === "-").length > 1) fail("standard input ('-') can be read only once");
  return files.map((f) => (f === "-" ? stdinSource(io.stdin) : fileSource(f, resolvePath(io, f))));
}

/**
 * One missing file for a person reading text is one plain line, not an "invalid record" report;
 * the JSON formats keep the contract's error result, which scripts read.
 */
function missingSingleFile(files: string[], opts: Options, io: CliIo): void {
  const [only] = files;
  if (opts.format !== "text" || files.length !== 1 || only === undefined || only === "-") return;
  if (!existsSync(resolvePath(io, only))) fail(`cannot read ${only}: no such file`, "");
}

/**
 * `-o` onto one of the inputs would replace the patient data with its report. Compared by
 * device and inode, so other spellings, symlinks and hard links of the same file are caught.
 */
function refuseOverwritingInput(output: string, sources: readonly Source[], io: CliIo): void {
  const out = statSync(resolvePath(io, output), { throwIfNoEntry: false });
  if (!out) return;
  for (const source of sources) {
    if (source.path === undefined) continue;
    const input = statSync(source.path, { throwIfNoEntry: false });
    if (input && input.dev === out.dev && input.ino === out.ino) {
      fail(`-o ${output} is the input file ${source.name}: writing there would destroy it; nothing was written`, "Choose another output file.");
    }
  }
}

async function run(sources: Source[], opts: Options, io: CliIo, rules: CompiledRules, screenOptions: ScreenOptions, sink: Sink, reportFile?: ReportOutput): Promise<BatchOutcome> {
  const toTerminal = opts.output === undefined && io.stdout.isTTY === true;
  const pdf = opts.format === "pdf" ? await pdfOutput(rules, opts, io) : undefined;
  const reporter = pdf ? pdf.reporter : await makeReporter(opts, reporterOptions(rules, opts, colorFor(opts, io, toTerminal), widthFor(io, toTerminal)), rules);
  const progress = progressMeter(io.stderr, !opts.quiet && io.stderr.isTTY === true, io.now);
  try {
    const columns = opts.columns !== undefined ? await readColumns(opts.columns, io, rules) : undefined;
    const batch: BatchOptions = {
      rules,
      screen: screenOptions,
      reporter,
      sink,
      jobs: jobsFor(opts),
      format: opts.format,
      onResult: (r, n) => {
        reportFile?.add(r);
        progress.tick(n);
      },
      // Blocks are used only without a report file (inBlocks): the progress line is all there is to keep.
      onCount: (n) => progress.tick(n),
    };
    let outcome: BatchOutcome | undefined;
    if (inBlocks(sources, opts, reportFile)) {
      // One NDJSON source written as ndjson or csv: workers read whole blocks (batch/blocks.ts).
      const blockBytes = Number(io.env.SCREEN_BLOCK_BYTES) || undefined;
      // Loaded only with --jobs, so other runs never load worker threads.
      const { screenBlocks } = await import("../batch/blocks.js");
      const done = await screenBlocks(sources[0]!, { ...batch, jobs: batch.jobs!, sniff: opts.from === undefined, ...(blockBytes ? { blockBytes } : {}) });
      if ("summary" in done) outcome = done;
      else sources = [done];
    }
    if (!outcome) {
      const items = readSources(sources, { rules, screen: screenOptions, ...(opts.from ? { from: opts.from } : {}), ...(columns ? { columns } : {}) });
      outcome = await runBatch(items, batch);
    }
    progress.done();
    if (outcome.records === 0) {
      sink.abort();
      reportFile?.abort();
      const which = outcome.empty.length ? `: ${outcome.empty.map(sourceName).join(", ")} ${outcome.empty.length === 1 ? "is" : "are"} empty` : "";
      fail(`the input holds no record${which}`, "");
    }
    if (pdf && outcome.count > 0) await sink.write(await pdf.finish());
    await sink.close();
    await reportFile?.write();
    return outcome;
  } catch (err) {
    sink.abort(); // never leave a partial output file behind
    reportFile?.abort();
    if (err instanceof SinkError) fail(err.message, "");
    throw err;
  }
}

/** `--jobs` may read whole blocks of lines: one JSON source, a text-writing format, no report that needs every result. */
function inBlocks(sources: readonly Source[], opts: Options, reportFile: ReportOutput | undefined): boolean {
  const [only] = sources;
  if (jobsFor(opts) < 2 || sources.length !== 1 || only === undefined || reportFile !== undefined) return false;
  if (opts.format !== "ndjson" && opts.format !== "csv") return false;
  return (opts.from === undefined || opts.from === "json") && formatOf(only.name, opts.from) === "json" && opts.columns === undefined;
}

/** What goes to stderr after the results: the summary when asked for, and where a file went. */
function report(outcome: BatchOutcome, opts: Options, io: CliIo, rules: CompiledRules, sink: Sink): void {
  const short = new Map(rules.criteria.map((c) => [c.id, c.short]));
  // A text report prints the batch summary itself (after the reports); other formats keep
  // stdout machine-readable, so the summary goes to stderr.
  const summaryOnStderr = opts.summary === true && !sink.closed && (opts.format !== "text" || outcome.count === 1);
  if (summaryOnStderr) io.stderr.write(renderSummary(outcome.summary, short));
  if (opts.output !== undefined && io.stderr.isTTY && !opts.quiet) {
    io.stderr.write(`wrote ${outcome.count} result${outcome.count === 1 ? "" : "s"} to ${opts.output}\n`);
  }
}
