/**
 * Where output goes: standard output, or a file written atomically (a temporary file beside it,
 * renamed into place only when complete, so a crash or Ctrl-C never leaves half a file).
 * Writes wait for the stream to drain, so memory stays flat on long batches.
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";

export interface Sink {
  write(text: string): Promise<void>;
  /** Completes the output (renames the temporary file into place). */
  close(): Promise<void>;
  /** Drops a partial file; safe to call more than once. */
  abort(): void;
  /** Set when the reader went away (EPIPE): further writes are dropped. */
  readonly closed: boolean;
}

export function streamSink(stream: Writable): Sink {
  let closed = false;
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else throw err;
  });
  return {
    get closed() {
      return closed;
    },
    async write(text) {
      if (closed || !text) return;
      if (!stream.write(text)) {
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
      }
    },
    async close() {},
    abort() {},
  };
}

export function atomicFileSink(path: string): Sink {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const stream: WriteStream = createWriteStream(temp, { flags: "wx" });
  let failure: Error | undefined;
  stream.on("error", (err) => {
    failure = err;
  });
  const inner = streamSink(stream);
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
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      if (failure) throw failure;
      renameSync(temp, path);
      finished = true;
    },
    abort() {
      if (finished) return;
      stream.destroy();
      rmSync(temp, { force: true });
    },
  };
}
