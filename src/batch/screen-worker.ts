/**
 * A worker thread of `--jobs N`: screens chunks of records sent by the batch loop (parallel.ts)
 * and sends back, per record and in the order received, the reporter's text when the reporter is
 * stateless (ndjson, csv rows), else the positioned result, plus what the summary tallies.
 * It compiles the same checked rules the main thread uses; it reads no file and opens no socket.
 */
import { parentPort, workerData } from "node:worker_threads";
import { csvReporter } from "../report/csv.js";
import { ndjsonReporter } from "../report/json.js";
import type { OutputResult } from "../result.js";
import { compile } from "../rules/compile.js";
import { UsageError } from "../screen.js";
import { resultOf } from "./batch.js";
import { slim, type Job, type Screened, type WorkerSetup } from "./parallel-types.js";

const setup = workerData as WorkerSetup;
const rules = compile(setup.file, setup.source, setup.sha256);
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

parentPort!.on("message", (jobs: Job[]) => {
  parentPort!.postMessage(jobs.map(run));
});
