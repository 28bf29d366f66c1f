/**
 * A worker thread for long batches: parses, screens and serialises chunks of NDJSON lines, so a
 * 2-core machine screens on both cores. It loads the same rules file and refuses to run if its
 * bytes changed since the main thread loaded them.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadRules } from "../rules/load.js";
import { screen, type ScreenOptions } from "../screen.js";
import { inputError, positioned } from "./positioned.js";
import type { WorkerInit, WorkItem, WorkResult } from "./pool.js";

const init = workerData as WorkerInit;
const rules = loadRules(init.rulesPath);
if (rules.meta.sha256 !== init.sha256) {
  throw new Error(`rules file ${init.rulesPath} changed while screening (sha256 ${rules.meta.sha256}, expected ${init.sha256})`);
}
const options: ScreenOptions = init.screen;

function run(item: WorkItem): WorkResult {
  let value: unknown;
  let error: string | undefined;
  if (item.text !== undefined) {
    try {
      value = JSON.parse(item.text);
    } catch (err) {
      error = `line ${item.line} is not valid JSON: ${(err as Error).message}`;
    }
  } else {
    value = item.value;
    error = item.error;
  }
  const pos = { ...(item.file !== undefined ? { file: item.file } : {}), ...(item.line !== undefined ? { line: item.line } : {}), ...(item.index !== undefined ? { index: item.index } : {}) };
  const result = positioned(error !== undefined ? inputError(error, rules.meta) : screen(value, rules, options), pos);
  if (result.verdict === "error") return { json: JSON.stringify(result), verdict: "error", failed: [], needs: [] };
  const needs = result.verdict === "incomplete" ? [...new Set(result.criteria.flatMap((c) => c.needs ?? []))] : [];
  return { json: JSON.stringify(result), verdict: result.verdict, failed: result.failed, needs };
}

parentPort!.on("message", (chunk: WorkItem[]) => {
  parentPort!.postMessage(chunk.map(run));
});
