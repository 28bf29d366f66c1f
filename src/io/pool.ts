/**
 * A small pool of screening workers that keeps input order: chunks go out round-robin and come
 * back as promises that the caller awaits in submission order. At most `inFlight` chunks are out
 * at once, so memory stays bounded however long the input.
 */
import { Worker } from "node:worker_threads";
import type { ScreenOptions } from "../screen.js";

export interface WorkerInit {
  readonly rulesPath: string;
  readonly sha256: string;
  readonly screen: ScreenOptions;
}

/** One record to screen: a raw NDJSON line, a parsed value, or an input error. */
export interface WorkItem {
  readonly text?: string;
  readonly value?: unknown;
  readonly error?: string;
  readonly file?: string;
  readonly line?: number;
  readonly index?: number;
}

/** What the main thread needs back: the serialised result, and enough to tally it. */
export interface WorkResult {
  readonly json: string;
  readonly verdict: string;
  readonly failed: readonly string[];
  readonly needs: readonly string[];
}

interface Pending {
  resolve: (r: WorkResult[]) => void;
  reject: (e: Error) => void;
}

export class ScreenPool {
  private readonly workers: { worker: Worker; queue: Pending[] }[] = [];
  private next = 0;
  private failure: Error | undefined;

  constructor(size: number, init: WorkerInit) {
    const url = new URL("./screen-worker.js", import.meta.url);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: init });
      const slot = { worker, queue: [] as Pending[] };
      worker.on("message", (results: WorkResult[]) => slot.queue.shift()?.resolve(results));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`a screening worker stopped (exit ${code})`));
      });
      this.workers.push(slot);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const slot of this.workers) for (const p of slot.queue.splice(0)) p.reject(this.failure);
  }

  submit(chunk: WorkItem[]): Promise<WorkResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      slot.queue.push({ resolve, reject });
      slot.worker.postMessage(chunk);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
