/**
 * What standard input holds when no --from says: JSON (an object, an array, NDJSON) starts with
 * "{" or "["; anything else whose first line has tabs or commas is a sheet. Only the first chunk
 * is looked at, and it is put back in front of the rest, so nothing is read twice or lost.
 */
import { Readable } from "node:stream";
import type { Source } from "./read-records.js";

export interface Sniffed {
  readonly source: Source;
  readonly format?: "csv" | "tsv";
}

export async function sniffSheet(source: Source): Promise<Sniffed> {
  let stream: Readable;
  try {
    stream = source.open();
  } catch {
    return { source }; // the reader reports it
  }
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let first: IteratorResult<Buffer | string>;
  try {
    first = await chunks.next();
  } catch {
    return { source: { ...source, open: () => stream } };
  }
  const head = first.done ? "" : Buffer.isBuffer(first.value) ? first.value.toString("utf8", 0, Math.min(first.value.length, 65536)) : first.value.slice(0, 65536);
  const replay = Readable.from(
    (async function* () {
      if (!first.done) yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  return { source: { ...source, open: () => replay }, ...formatOfText(head) };
}

/** "csv"/"tsv" for text that reads as a sheet, nothing for JSON or what cannot be told. */
export function formatOfText(head: string): { format?: "csv" | "tsv" } {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text === "" || text.startsWith("{") || text.startsWith("[")) return {};
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (firstLine.includes("\t")) return { format: "tsv" };
  if (firstLine.includes(",")) return { format: "csv" };
  return {};
}
