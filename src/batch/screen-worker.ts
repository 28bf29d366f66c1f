/**
 * A worker thread of `--jobs N`: screens chunks of records sent by the batch loop (parallel.ts)
 * and sends back, per record and in the order received, the reporter's text when the reporter is
 * stateless (ndjson, csv rows), else the positioned result, plus what the summary tallies.
 * For NDJSON it also takes whole blocks of lines (blocks.ts): it splits, parses, screens and
 * writes them itself, so the main thread only cuts the input at newlines and writes bytes.
 * It compiles the same checked rules the main thread uses; it reads no file and opens no socket.
 */
import { parentPort, workerData } from "node:worker_threads";
import { decodeLine } from "../input/lines.js";
import type { AdaptedItem } from "../input/provenance.js";
import { fhirContext, fromBundle, isBundle } from "../input/read-input.js";
import { lineItem, sourceTag } from "../input/read-records.js";
import { csvReporter } from "../report/csv.js";
import { ndjsonReporter } from "../report/json.js";
import { emptySummary, tally } from "../report/summary.js";
import type { OutputResult } from "../result.js";
import { buildRecordSchema } from "../record/schema.js";
import { registerRecordSchema } from "../record/wording.js";
import { compile } from "../rules/compile.js";
import { UsageError } from "../screen.js";
import { parseJson } from "../text/json.js";
import { resultOf } from "./batch.js";
import { slim, type Block, type BlockDone, type Job, type Screened, type WorkerSetup } from "./parallel-types.js";

// Any record here may need its errors worded; a worker's start-up is not a one-record run's.
registerRecordSchema(buildRecordSchema);
const setup = workerData as WorkerSetup;
const rules = compile(setup.file, setup.source, setup.sha256);
// Items of the blocks' lines, tagged as the NDJSON reader tags them (ids read at the rules' subject id).
const tag = sourceTag(undefined, rules.file.subject.id);
const reporter = setup.format === "ndjson" ? ndjsonReporter() : setup.format === "csv" ? csvReporter() : undefined;

function run(job: Job): Screened {
  let result: OutputResult;
  try {
    // The same text the reader parsed (and checked for duplicate keys): the same value.
    const item = job.text !== undefined ? { ...job.item, value: JSON.parse(job.text) as unknown } : job.item;
    result = resultOf(item, rules, setup.screen); // as the main thread does it, one record at a time
  } catch (err) {
    if (err instanceof UsageError) return { usage: err.message };
    throw err;
  }
  return reporter ? { text: reporter.result(result), tally: slim(result) } : { result, tally: slim(result) };
}

/** FHIR Bundles on NDJSON lines are rare: their adapter is loaded on the first one. */
let bundles: Promise<(item: AdaptedItem) => Iterable<AdaptedItem>> | undefined;
function bundleReader(): Promise<(item: AdaptedItem) => Iterable<AdaptedItem>> {
  bundles ??= Promise.all([import("../input/fhir/bundle.js"), import("../rules/mapping/fhir.js")]).then(([adapter, { loadFhirMapping }]) => {
    const ctx = fhirContext({ rules, screen: setup.screen }, loadFhirMapping);
    return (item) => fromBundle(item, ctx, adapter.bundleToRecords);
  });
  return bundles;
}

/**
 * One block of whole lines, numbered from `block.line`: each non-blank line is exactly the item the
 * NDJSON reader makes of it (read-records.ts `lineItem`), screened and written as one process would.
 */
async function screenBlock(block: Block): Promise<BlockDone> {
  const buf = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
  // Each result is encoded straight into one buffer of its own (not pooled: it is transferred),
  // sized for a result about four times its record, grown when a block needs more.
  let out = Buffer.allocUnsafeSlow(5 * buf.length + 65536);
  let used = 0;
  const summary = emptySummary();
  const verdicts = new Set<string>();
  const screenItem = (item: AdaptedItem) => {
    const result = resultOf(item, rules, setup.screen);
    const text = reporter!.result(result);
    if (used + 3 * text.length > out.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * out.length + 3 * text.length);
      out.copy(bigger, 0, 0, used);
      out = bigger;
    }
    used += out.write(text, used);
    tally(summary, result);
    verdicts.add(result.verdict);
  };
  let line = block.line - 1;
  try {
    for (let start = 0; start < buf.length; ) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl < 0 ? buf.length : nl;
      line++;
      const { text, invalidUtf8 } = decodeLine(buf.subarray(start, end));
      start = end + 1;
      if (text.trim() === "") continue;
      const item = lineItem(tag, line, parseJson(text), invalidUtf8, block.name, text);
      if (item.error === undefined && isBundle(item.value)) for (const patient of (await bundleReader())(item)) screenItem(patient);
      else screenItem(item);
    }
  } catch (err) {
    if (err instanceof UsageError) return { usage: err.message };
    throw err;
  }
  return { bytes: out.subarray(0, used), summary, verdicts: [...verdicts] };
}

// Messages are answered strictly in the order they came (the pool pairs answers with requests).
let queue: Promise<void> = Promise.resolve();
parentPort!.on("message", (message: Job[] | Block) => {
  queue = queue.then(async () => {
    if (Array.isArray(message)) {
      parentPort!.postMessage(message.map(run));
      return;
    }
    const done = await screenBlock(message);
    parentPort!.postMessage(done, done.bytes ? [done.bytes.buffer as ArrayBuffer] : []);
  });
});
