/**
 * A worker thread of `--jobs N`: screens chunks of records sent by the batch loop (parallel.ts)
 * and sends back, per record and in the order received, the reporter's text when the reporter is
 * stateless (ndjson, csv rows), else the positioned result, plus what the summary tallies.
 * It compiles the same checked rules the main thread uses; it reads no file and opens no socket.
 */
import { parentPort, workerData } from "node:worker_threads";
import { withProvenance } from "../input/provenance.js";
import { describeFailure } from "../input/read-input.js";
import { csvReporter } from "../report/csv.js";
import { ndjsonReporter } from "../report/json.js";
import { inputError, positioned, type OutputResult } from "../result.js";
import { compile } from "../rules/compile.js";
import { screen, UsageError } from "../screen.js";
import { slim, type Job, type Screened, type WorkerSetup } from "./parallel-types.js";

const setup = workerData as WorkerSetup;
const rules = compile(setup.file, setup.source, setup.sha256);
const reporter = setup.format === "ndjson" ? ndjsonReporter() : setup.format === "csv" ? csvReporter() : undefined;

function run(job: Job): Screened {
  const item = { ...(job.warnings ? { warnings: job.warnings } : {}), ...(job.sources ? { sources: job.sources } : {}) };
  let result: OutputResult;
  try {
    // The same text the reader parsed (and checked for duplicate keys): the same value.
    const value = job.text !== undefined ? (JSON.parse(job.text) as unknown) : job.value;
    result = positioned(withProvenance(screen(value, rules, setup.screen), item), job.pos);
  } catch (err) {
    if (err instanceof UsageError) return { usage: err.message };
    // A record that breaks the screener itself is still only that record's error.
    const failed = { ...(job.id !== undefined ? { id: job.id } : {}), ...inputError(`this record could not be screened: ${describeFailure(err)}`, rules.meta, "") };
    result = positioned(withProvenance(failed, item), job.pos);
  }
  return reporter ? { text: reporter.result(result), tally: slim(result) } : { result, tally: slim(result) };
}

parentPort!.on("message", (jobs: Job[]) => {
  parentPort!.postMessage(jobs.map(run));
});
