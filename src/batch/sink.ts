/**
 * Where output goes: standard output, or a file written atomically (a temporary file beside it,
 * renamed into place only when complete, so a crash or Ctrl-C never leaves half a file).
 * Writes wait for the stream to drain, so memory stays flat on long batches.
 */
import { createWriteStream, openSync, renameSync, rmSync, statSync, type WriteStream } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";

export interface Sink {
  /** Text, or bytes for a binary format (--format pdf). */
  write(text: string | Uint8Array): Promise<void>;
  /** Completes the output (renames the temporary file into place). */
  close(): Promise<void>;
  /** Drops a partial file; safe to call more than once. */
  abort(): void;
  /** Set when the reader went away (EPIPE): further writes are dropped. */
  readonly closed: boolean;
}

/** An output that cannot be written (disk full, no such directory): a message for the user, exit 2. */
export class SinkError extends Error {
  override name = "SinkError";
}

/** Read through a call, so a check made before an `await` does not narrow what the event set since. */
function failedSince(state: { failure?: SinkError }): SinkError | undefined {
  return state.failure;
}

/** Slabs of this size take the encoded text of many writes (a result of a batch is a few kB). */
const SLAB_BYTES = 1 << 20;
let slab = Buffer.alloc(0);
let slabUsed = 0;

/**
 * The UTF-8 bytes of `text`, as the stream would make them, encoded into a shared slab: a
 * stream given a string measures it (Buffer.byteLength, a pass as long as the encoding itself)
 * and then allocates a buffer of its own for it. Each write gets a part of the slab never
 * handed out again, so a stream that holds on to it (a pipe, queued) keeps its bytes.
 */
function utf8(text: string): Buffer {
  const worst = text.length * 3; // a UTF-16 unit is at most 3 bytes of UTF-8 (a pair is 4 for 2)
  if (worst > SLAB_BYTES / 8) return Buffer.from(text, "utf8");
  if (slab.length - slabUsed < worst) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const n = slab.write(text, slabUsed, "utf8");
  const out = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return out;
}

export function streamSink(stream: Writable, name = "standard output"): Sink {
  let closed = false;
  const state: { failure?: SinkError } = {};
  // Never throw from the event: an uncaught exception would print a stack trace. The next write reports it.
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else state.failure ??= new SinkError(`cannot write ${name}: ${err.message}`);
  });
  return {
    get closed() {
      return closed;
    },
    async write(text) {
      if (state.failure) throw state.failure;
      if (closed || text.length === 0) return;
      if (!stream.write(typeof text === "string" ? utf8(text) : text)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off("drain", done);
            stream.off("error", done);
            stream.off("close", done);
            resolve();
          };
          stream.on("drain", done);
          stream.on("error", done);
          stream.on("close", done);
        });
        const late = failedSince(state); // set while waiting, by the error event
        if (late) throw late;
      }
    },
    close() {
      return state.failure ? Promise.reject(state.failure) : Promise.resolve();
    },
    abort() {},
  };
}

/**
 * A new temporary file beside `path`. Created exclusively ("wx"), so two runs (or two in-process
 * calls) never share one: a tag that is taken is simply drawn again. (Math.random, not node:crypto,
 * whose loading is a good part of a one-record run's start-up; the tag needs to be unlikely, not secret.)
 */
function openTemp(path: string, name: string): { temp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tag = Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, "0");
    const temp = join(dirname(path), `.${basename(path)}.${tag}.tmp`);
    try {
      return { temp, fd: openSync(temp, "wx") };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "EEXIST" && attempt < 100) continue;
      const why = e.code === "ENOENT" ? `no such directory ${dirname(name)}` : e.code === "EACCES" ? `permission denied in ${dirname(name)}` : e.message;
      throw new SinkError(`cannot write ${name}: ${why}`);
    }
  }
}

/** `path` is where to write; `name` is how the user wrote it, for messages. */
export function atomicFileSink(path: string, name: string = path): Sink {
  // Checked and opened now, not at the end, so a bad path is reported before any work is done;
  // the messages name the user's path, not the temporary file beside it.
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new SinkError(`cannot write ${name}: it is a directory`);
  const { temp, fd } = openTemp(path, name);
  const stream: WriteStream = createWriteStream(temp, { fd });
  let failure: Error | undefined;
  stream.on("error", (err) => {
    failure = new SinkError(`cannot write ${name}: ${err.message}`);
  });
  const inner = streamSink(stream, name);
  let finished = false;
  return {
    get closed() {
      return inner.closed;
    },
    async write(text) {
      if (failure) throw failure;
      await inner.write(text);
    },
    async close() {
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(new SinkError(`cannot write ${name}: ${err.message}`)) : resolve())));
      if (failure) throw failure;
      try {
        renameSync(temp, path);
      } catch (err) {
        rmSync(temp, { force: true });
        throw new SinkError(`cannot write ${name}: ${(err as Error).message}`);
      }
      finished = true;
    },
    abort() {
      if (finished) return;
      stream.destroy();
      rmSync(temp, { force: true });
    },
  };
}
