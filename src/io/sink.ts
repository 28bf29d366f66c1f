/**
 * Where output goes: standard output, or a file written atomically (a temporary file beside it,
 * renamed into place only when complete, so a crash or Ctrl-C never leaves half a file).
 * Writes wait for the stream to drain, so memory stays flat on long batches.
 */
import { createWriteStream, openSync, renameSync, rmSync, type WriteStream } from "node:fs";
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

/** An output that cannot be written (disk full, no such directory): a message for the user, exit 2. */
export class SinkError extends Error {
  override name = "SinkError";
}

/** Results are gathered into chunks of about this many characters: one write per chunk, not per record. */
const CHUNK = 1 << 16;

export function streamSink(stream: Writable, name = "standard output"): Sink {
  let closed = false;
  let failure: SinkError | undefined;
  let pending: string[] = [];
  let pendingLength = 0;
  let scheduled = false;
  // Never throw from the event: an uncaught exception would print a stack trace. The next write reports it.
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else failure ??= new SinkError(`cannot write ${name}: ${err.message}`);
  });

  /** Hands what is pending to the stream (synchronously, so order is kept), then waits for it to drain. */
  async function flush(): Promise<void> {
    if (pendingLength === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join("");
    pending = [];
    pendingLength = 0;
    if (closed || stream.destroyed) return;
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
    if (failure) throw failure;
  }

  return {
    get closed() {
      return closed;
    },
    async write(text) {
      if (failure) throw failure;
      if (closed || !text) return;
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= CHUNK) return flush();
      // A slow or trickling input still sees each result promptly: the rest goes out as soon as
      // the batch waits for more input.
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush().catch(() => {}); // a failure is reported by the next write or close
        });
      }
    },
    async close() {
      await flush();
      if (failure) throw failure;
    },
    abort() {
      // Interrupted: what was screened so far still goes out (a file sink deletes its own file).
      if (!closed && !failure && !stream.destroyed && pendingLength > 0) stream.write(pending.join(""));
      pending = [];
      pendingLength = 0;
    },
  };
}

export function atomicFileSink(path: string): Sink {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  // Opened now, not on the next tick, so a missing directory is reported before any work is done.
  const stream: WriteStream = createWriteStream(temp, { fd: openSync(temp, "wx") });
  let failure: Error | undefined;
  stream.on("error", (err) => {
    failure = new SinkError(`cannot write ${path}: ${err.message}`);
  });
  const inner = streamSink(stream, path);
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
      await inner.close();
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(new SinkError(`cannot write ${path}: ${err.message}`)) : resolve())));
      if (failure) throw failure;
      renameSync(temp, path);
      finished = true;
    },
    abort() {
      if (finished) return;
      stream.destroy();
      inner.abort(); // the stream is destroyed: this only drops what is pending
      rmSync(temp, { force: true });
    },
  };
}
