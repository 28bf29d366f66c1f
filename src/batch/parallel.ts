/**
 * `--jobs N`: records screened in N worker threads (Node's own worker_threads: a pool library
 * would add a dependency for what is here a fixed set of long-lived workers fed in order), results
 * written in input order. Jobs go out in chunks (fewer messages); each job's promise settles when
 * its chunk comes back; the batch loop awaits them in input order, and at most WINDOW jobs are in
 * flight, so memory stays bounded however long the input.
 */
import { Worker } from "node:worker_threads";
import type { CompiledRules } from "../rules/compiled.js";
import type { ScreenOptions } from "../screen.js";
import { workerScript } from "../text/data-files.js";
import type { Block, BlockDone, Job, Screened, WorkerSetup } from "./parallel-types.js";

// Records per message: enough that a hand-over between threads (a wake-up, which on a busy
// machine waits for a time slice) is rare; small enough that results flow steadily.
const CHUNK = 128;
// A part-filled chunk goes out when the reader has waited this long for more input.
const IDLE_MS = 20;

export interface ScreenPool {
  /** Screens one record in a worker; settles with its text or result once its chunk is back. */
  submit(job: Job): Promise<Screened>;
  /** Jobs that may be in flight before the caller should wait for the oldest. */
  readonly window: number;
  /** Sends a part-filled chunk now (before the caller waits for a job in it). */
  flush(): void;
  /** Jobs in the part-filled chunk not sent yet (the newest ones). */
  readonly unsent: number;
  /** Screens a block of NDJSON lines in the next worker; settles with its output bytes and tallies. */
  submitBlock(block: Block): Promise<BlockDone>;
  close(): Promise<void>;
}

interface Pending {
  readonly resolve: (s: Screened) => void;
  readonly reject: (e: Error) => void;
}

/** A message sent to a worker and not yet answered: what to do with its answer. */
interface Waiting {
  readonly answer: (reply: unknown) => void;
  readonly reject: (e: Error) => void;
}

export function screenPool(jobs: number, rules: CompiledRules, screen: ScreenOptions, format: string): ScreenPool {
  const setup: WorkerSetup = { file: rules.file, source: rules.source, sha256: rules.meta.sha256, screen, format };
  // In the single executable the worker's script is an embedded asset, not a file.
  const { script, eval: isCode } = workerScript(new URL("./screen-worker.js", import.meta.url));
  // A bounded young generation per worker: three heaps of default size would double the peak
  // memory. 32 MB rather than 16: fewer scavenges made --jobs 2 ≈ 6 % faster (100k records:
  // 6.5 against 7.0 s) for ≈ 40 MB more at peak, still well under 300 MB (docs/performance.md).
  const workers = Array.from({ length: jobs }, () => new Worker(script, { workerData: setup, eval: isCode, resourceLimits: { maxYoungGenerationSizeMb: 32 } }));
  // Per worker, the chunks sent and not yet answered, oldest first: a worker answers in order.
  const waiting = workers.map(() => [] as Waiting[]);
  let failure: Error | undefined;
  workers.forEach((worker, w) => {
    worker.on("message", (reply: unknown) => waiting[w]!.shift()!.answer(reply));
    worker.on("error", (err) => {
      failure = err;
      for (const p of waiting[w]!.splice(0)) p.reject(err);
    });
  });
  let next = 0;
  let chunk: { jobs: Job[]; pending: Pending[] } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!chunk) return;
    const w = next++ % workers.length;
    const { pending } = chunk;
    waiting[w]!.push({ answer: (results) => pending.forEach((p, i) => p.resolve((results as Screened[])[i]!)), reject: (e) => pending.forEach((p) => p.reject(e)) });
    workers[w]!.postMessage(chunk.jobs);
    chunk = undefined;
  };
  return {
    window: jobs * CHUNK * 2,
    flush,
    get unsent() {
      return chunk ? chunk.jobs.length : 0;
    },
    submitBlock(block) {
      if (failure) return Promise.reject(failure);
      flush();
      return new Promise<BlockDone>((resolve, reject) => {
        const w = next++ % workers.length;
        waiting[w]!.push({ answer: (reply) => resolve(reply as BlockDone), reject });
        // The bytes move to the worker (transferred, not copied): the reader has no further use for them.
        workers[w]!.postMessage(block, [block.bytes.buffer as ArrayBuffer]);
      });
    },
    submit(job) {
      if (failure) return Promise.reject(failure);
      return new Promise<Screened>((resolve, reject) => {
        chunk ??= { jobs: [], pending: [] };
        chunk.jobs.push(job);
        chunk.pending.push({ resolve, reject });
        if (chunk.jobs.length >= CHUNK) flush();
        else timer ??= setTimeout(flush, IDLE_MS);
      });
    },
    async close() {
      flush();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

