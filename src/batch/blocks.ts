/**
 * `--jobs N` over one NDJSON source: the main thread reads the first block itself (so the input is
 * recognised exactly as one process recognises it), then only cuts the rest into blocks of whole
 * lines and counts their newlines. Workers split, parse, screen and write each block and send back
 * UTF-8 bytes with the verdicts the summary counts; blocks are written back in input order through
 * a window of a few blocks per worker, so memory stays bounded. Parsing every line twice (here to
 * hand records over, there to screen them) is what kept the record-by-record pool from paying.
 * Anything that is not plainly NDJSON (a document, a sheet, UTF-16, Bundles at the start, a source
 * shorter than a block) is handed back to be read the ordinary way, bytes already read put back.
 */
import { Readable } from "node:stream";
import { physicalLines } from "../input/lines.js";
import { isBundle } from "../input/read-input.js";
import { describeFsError, openSource, Sniffer, sourceTag, type InputItem, type Source } from "../input/read-records.js";
import { sniffSheet } from "../input/sniff.js";
import { emptySummary, mergeSummary, tally, type Summary } from "../report/summary.js";
import { UsageError, type OutputResult } from "../result.js";
import { resultOf, resultSoon, type BatchOptions, type BatchOutcome } from "./batch.js";
import { screenPool, type ScreenPool } from "./parallel.js";
import type { BlockDone } from "./parallel-types.js";

/** Big enough that a hand-over between threads is rare, small enough that output flows steadily. */
export const BLOCK_BYTES = 128 * 1024;

export interface BlockOptions extends BatchOptions {
  readonly jobs: number;
  /** Bytes per block (tests use small ones so that many boundaries are crossed). */
  readonly blockBytes?: number;
  /** Standard input may hold a sheet (no --from given): look at its first line first. */
  readonly sniff: boolean;
}

type Chunks = AsyncIterator<Buffer | string>;
const bytesOf = (chunk: Buffer | string): Buffer => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);

/** The source again, reading the bytes already taken and then the rest (or the error that stopped the read). */
function putBack(source: Source, taken: readonly Buffer[], rest: Chunks | undefined, error?: Error): Source {
  const stream = Readable.from(
    (async function* () {
      yield* taken;
      if (error !== undefined) throw error;
      if (!rest) return;
      for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
    })(),
    { objectMode: false },
  );
  return { ...source, open: () => stream };
}

/** The first block's whole lines as one process reads them, when that makes the source plainly NDJSON. */
async function headItems(name: string, idKey: string, lines: Buffer): Promise<{ items: InputItem[]; next: number } | undefined> {
  const sniffer = new Sniffer(name, sourceTag(undefined, idKey));
  const items: InputItem[] = [];
  for await (const { text, invalidUtf8 } of physicalLines(Readable.from([lines]))) items.push(...sniffer.line(text, invalidUtf8));
  if (!sniffer.streaming || items.some((i) => i.error === undefined && isBundle(i.value))) return undefined;
  return { items, next: sniffer.lines + 1 };
}

/** Screens the source in blocks; or, when it is not plainly NDJSON, returns it to be read the ordinary way. */
export async function screenBlocks(given: Source, options: BlockOptions): Promise<BatchOutcome | Source> {
  let source = given;
  if (options.sniff && source.name === "-") {
    const sniffed = await sniffSheet(source);
    if (sniffed.format) return sniffed.source;
    source = sniffed.source;
  }
  const opened = openSource(source);
  if (typeof opened === "string") return source; // the ordinary reader words it
  const chunks = opened[Symbol.asyncIterator]() as Chunks;
  const blockBytes = options.blockBytes ?? BLOCK_BYTES;
  const taken: Buffer[] = [];
  let size = 0;
  try {
    while (size < blockBytes) {
      const r = await chunks.next();
      if (r.done) return putBack(source, taken, undefined); // short: one process is as quick
      taken.push(bytesOf(r.value));
      size += taken[taken.length - 1]!.length;
    }
  } catch (err) {
    return putBack(source, taken, undefined, err as Error);
  }
  const head = Buffer.concat(taken);
  const cut = head.lastIndexOf(0x0a);
  const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  const first = cut < 0 || utf16 ? undefined : await headItems(given.name, options.rules.file.subject.id, head.subarray(0, cut + 1));
  if (!first) return putBack(source, taken, chunks);
  return screenRest(given.name, first, head.subarray(cut + 1), chunks, options);
}

async function screenRest(name: string, first: { items: InputItem[]; next: number }, carry: Buffer, chunks: Chunks, options: BlockOptions): Promise<BatchOutcome> {
  const { reporter, sink, rules } = options;
  const blockBytes = options.blockBytes ?? BLOCK_BYTES;
  const summary = emptySummary();
  const verdicts = new Set<string>();
  let count = 0;
  const stopped = () => sink.closed || options.stopped?.() === true;
  // As in the batch loop: the header with the first result; nothing counted once the reader has gone.
  const counted = async (part: Summary, partVerdicts: Iterable<string>, text: string | Uint8Array) => {
    if (!part.screened || stopped()) return;
    if (count === 0) await sink.write(reporter.start());
    count += part.screened;
    mergeSummary(summary, part);
    if (!sink.closed) for (const v of partVerdicts) verdicts.add(v);
    options.onCount?.(count);
    await sink.write(text);
  };
  /** A result screened here (the first block's, a read error): counted as a block of one. */
  const one = async (result: OutputResult) => {
    const part = emptySummary();
    tally(part, result);
    await counted(part, [result.verdict], reporter.result(result));
  };
  // A worker sends back the block's summary (parallel-types.ts), counted as its bytes are written.
  const written = async (done: BlockDone) => {
    if (done.usage !== undefined) throw new UsageError(done.usage);
    await counted(done.summary, done.verdicts, done.bytes);
  };
  const pool: ScreenPool = screenPool(options.jobs, rules, options.screen, options.format ?? "");
  try {
    for (const item of first.items) {
      await one(await resultSoon(item, rules, options.screen));
    }
    let line = first.next;
    const queue: Promise<BlockDone>[] = [];
    const send = (bytes: Buffer) => {
      if (!bytes.length) return;
      // A copy of its own: the bytes are moved to the worker, and a small Buffer may share Node's pool.
      queue.push(pool.submitBlock({ kind: "block", bytes: new Uint8Array(bytes), line, name }));
      for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) line++;
    };
    let pending: Buffer[] = carry.length ? [carry] : [];
    let size = carry.length;
    let failure: string | undefined;
    try {
      for (let r = await chunks.next(); !r.done && !stopped(); r = await chunks.next()) {
        pending.push(bytesOf(r.value));
        size += pending[pending.length - 1]!.length;
        if (size < blockBytes) continue;
        // Blocks of about blockBytes each, cut after the first newline from there (a line longer
        // than a block makes a longer block; a read may hold several blocks).
        let rest = Buffer.concat(pending);
        for (let end = rest.indexOf(0x0a, blockBytes - 1) + 1; end > 0; end = rest.indexOf(0x0a, blockBytes - 1) + 1) {
          send(rest.subarray(0, end));
          rest = rest.subarray(end);
        }
        pending = rest.length ? [rest] : [];
        size = rest.length;
        while (queue.length > options.jobs * 2 && !stopped()) await written(await queue.shift()!);
      }
    } catch (err) {
      // As one process: the whole lines read are screened, then the read error is said in its place.
      const all = Buffer.concat(pending);
      pending = [all.subarray(0, all.lastIndexOf(0x0a) + 1)];
      failure = `cannot read ${name}: ${describeFsError(err)}`;
    }
    send(Buffer.concat(pending));
    while (queue.length && !stopped()) await written(await queue.shift()!);
    if (failure !== undefined) {
      await one(resultOf({ error: failure }, rules, options.screen));
    }
  } finally {
    await pool.close();
  }
  if (!sink.closed && count > 0) await sink.write(reporter.end(summary, false));
  return { summary, count, records: count, empty: [], single: false, verdicts: [...verdicts] };
}
