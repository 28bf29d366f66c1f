/**
 * The documents people file and look at (issue 13), as the command wires them: the checklist as
 * HTML (a reporter like any other) or PDF (bytes written once the batch is done, since "page k of
 * n" needs the whole document), and the screening report (`--report FILE`), fed each result.
 */
import { statSync } from "node:fs";
import type { Sink } from "../batch/sink.js";
import { atomicFileSink, SinkError } from "../batch/sink.js";
import type { Source } from "../input/read-records.js";
import type { Reporter } from "../report/reporter.js";
import type { OutputResult } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import { sourceName } from "../text/names.js";
import { fail, type CliIo } from "./io.js";
import { resolvePath, type Options } from "./options.js";

export const PAPERS = ["a4", "letter"] as const;

/** The same path, or another name (link, other spelling) of the same existing file. */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const x = statSync(a, { throwIfNoEntry: false });
  const y = statSync(b, { throwIfNoEntry: false });
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

/** Options that only make sense together, refused before any input is read. */
export function checkDocumentOptions(opts: Options, io: CliIo): void {
  if (opts.format === "pdf" && opts.output === undefined && io.stdout.isTTY) {
    fail("--format pdf writes a binary file: give -o FILE (or redirect standard output)");
  }
  if (opts.reportMinCount !== undefined && opts.report === undefined) fail("--report-min-count needs --report FILE");
  if (opts.paper !== undefined && opts.format !== "pdf") fail("--paper is for --format pdf (the HTML checklist fits A4 and Letter by itself)");
}

export function parseMinCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) fail(`--report-min-count needs a whole number of at least 1; got "${text}"`);
  return Number(text);
}

/** The PDF checklist: a reporter that writes nothing while it collects; `finish` gives the bytes. */
export interface PdfOutput {
  readonly reporter: Reporter;
  finish(): Promise<Uint8Array>;
}

export async function pdfOutput(rules: CompiledRules, opts: Options, io: CliIo): Promise<PdfOutput> {
  // Loaded only for --format pdf, so other runs never load pdfmake.
  const [{ pdfChecklistCollector }, { documentInfo }] = await Promise.all([import("../report/pdf-checklist.js"), import("../report/checklist-model.js")]);
  const collector = pdfChecklistCollector(documentInfo(rules), { paper: opts.paper === "letter" ? "LETTER" : "A4", now: new Date(io.now()) });
  return {
    reporter: { start: () => "", result: (r) => (collector.add(r), ""), end: () => "" },
    async finish() {
      const bytes = await collector.finish();
      const who = collector.uncovered;
      if (who.length) {
        const list = who.length > 5 ? `${who.slice(0, 5).join(", ")} and ${who.length - 5} more` : who.join(", ");
        io.stderr.write(`screen: warning: the PDF's font has no Chinese, Japanese or Korean characters; they print as empty boxes in the checklists of ${list}. --format html shows them.\n`);
      }
      return bytes;
    },
  };
}

export interface ReportOutput {
  add(result: OutputResult): void;
  /** Renders and writes the report file (atomically). */
  write(): Promise<void>;
  abort(): void;
}

/**
 * `--report FILE`: opened now, so a bad path is bad usage before any work; never one of the inputs
 * nor the -o file, which it would replace.
 */
export async function openReport(opts: Options, io: CliIo, rules: CompiledRules, sources: readonly Source[]): Promise<ReportOutput | undefined> {
  if (opts.report === undefined) return undefined;
  const path = resolvePath(io, opts.report);
  if (opts.output !== undefined && sameFile(resolvePath(io, opts.output), path)) fail(`--report ${opts.report} is also the -o file`);
  if (sources.some((s) => s.path !== undefined && sameFile(s.path, path))) fail(`--report ${opts.report} is one of the input files: writing there would destroy it; nothing was written`, "Choose another report file.");
  let sink: Sink;
  try {
    sink = atomicFileSink(path, opts.report);
  } catch (err) {
    fail(err instanceof SinkError ? err.message : `cannot write ${opts.report}: ${(err as Error).message}`, "");
  }
  // Loaded only with --report, so other runs never load the report's code.
  const [{ flowCollector }, { flowReportOptions, renderFlowReport }] = await Promise.all([import("../report/flow.js"), import("../report/flow-html.js")]);
  const collector = flowCollector();
  const options = flowReportOptions(rules, {
    inputs: sources.map((s) => sourceName(s.name)),
    ...(opts.reportMinCount !== undefined ? { minCount: opts.reportMinCount } : {}),
    generatedAt: new Date(io.now()).toISOString(),
  });
  return {
    add: (result) => collector.add(result),
    async write() {
      try {
        await sink.write(renderFlowReport(collector.counts(), options));
        await sink.close();
      } catch (err) {
        sink.abort();
        if (err instanceof SinkError) fail(err.message, "");
        throw err;
      }
    },
    abort: () => sink.abort(),
  };
}
