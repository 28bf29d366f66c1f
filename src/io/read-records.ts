/**
 * Input: files or standard input holding one object, a JSON array, or NDJSON, detected from the
 * content. Records are yielded one at a time, in order, so a long stream is never held in memory;
 * anything unreadable or unparsable becomes an item of its own, never an exception.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

export interface InputItem {
  readonly file?: string; // the source's name, when the caller wants it on results
  readonly line?: number;
  readonly index?: number;
  /** The parsed value (any JSON), or absent when `error` says why there is none. */
  readonly value?: unknown;
  readonly error?: string;
  /** True when the whole source was one object, so output may print an object, not an array. */
  readonly single?: boolean;
}

export interface Source {
  readonly name: string; // a path, or "-" for standard input
  readonly open: () => Readable;
}

export function fileSource(path: string): Source {
  return { name: path, open: () => createReadStream(path) };
}

export function stdinSource(stdin: Readable): Source {
  return { name: "-", open: () => stdin };
}

const STREAM_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Reads one source; `label` (when given) is put on every item as `file`. */
export async function* readSource(source: Source, label?: string): AsyncGenerator<InputItem> {
  const tag = label !== undefined ? { file: label } : {};
  if (source.name !== "-") {
    try {
      const info = await stat(source.name);
      if (info.isDirectory()) {
        yield { ...tag, error: `cannot read ${source.name}: it is a directory` };
        return;
      }
    } catch (err) {
      yield { ...tag, error: `cannot read ${source.name}: ${describeFsError(err)}` };
      return;
    }
  }
  const streamByName = STREAM_EXTENSIONS.has(extname(source.name).toLowerCase());
  let stream: Readable;
  try {
    stream = source.open();
  } catch (err) {
    yield { ...tag, error: `cannot read ${source.name}: ${describeFsError(err)}` };
    return;
  }
  let openError: string | undefined;
  stream.on("error", (err) => {
    openError = `cannot read ${source.name}: ${describeFsError(err)}`;
  });
  stream.setEncoding("utf8");
  const lines = createInterface({ input: stream, crlfDelay: Infinity });

  let lineNo = 0;
  let mode: "undecided" | "stream" | "whole" = "undecided";
  const buffered: string[] = [];
  let held: InputItem | undefined; // the first NDJSON record, held until we know it is not alone
  let count = 0;
  try {
    for await (let text of lines) {
      lineNo++;
      if (lineNo === 1) text = text.replace(/^\uFEFF/, "");
      if (mode === "whole") {
        buffered.push(text);
        continue;
      }
      if (text.trim() === "") {
        if (mode === "undecided") buffered.push(text);
        continue;
      }
      if (mode === "undecided") {
        const first = tryParse(text);
        if (first.ok || streamByName) {
          mode = "stream";
          buffered.length = 0;
        } else {
          mode = "whole";
          buffered.push(text);
          continue;
        }
      }
      const parsed = tryParse(text);
      const item: InputItem = parsed.ok ? { ...tag, line: lineNo, value: parsed.value } : { ...tag, line: lineNo, error: `line ${lineNo} is not valid JSON: ${parsed.error}` };
      count++;
      if (count === 1) {
        held = item;
        continue;
      }
      if (held) {
        yield held;
        held = undefined;
      }
      yield item;
    }
  } catch (err) {
    openError ??= `cannot read ${source.name}: ${describeFsError(err)}`;
  }
  if (openError && count === 0 && mode !== "whole") {
    yield { ...tag, error: openError };
    return;
  }
  if (mode === "stream") {
    if (held) {
      // One line on its own: a one-line JSON file is a single record, an NDJSON file a stream of one.
      const lone = held;
      if (streamByName || lone.error !== undefined) yield lone;
      else if (Array.isArray(lone.value)) yield* arrayItems(lone.value, tag);
      else yield { ...tag, value: lone.value, single: true };
    }
    if (openError) yield { ...tag, error: openError };
    return;
  }
  if (mode === "undecided") return; // nothing but blank lines: no record
  yield* wholeText(buffered.join("\n"), tag, source.name);
}

function* arrayItems(values: unknown[], tag: { file?: string }): Generator<InputItem> {
  for (let i = 0; i < values.length; i++) yield { ...tag, index: i, value: values[i] };
}

/** A pretty-printed object or array; if it does not parse, perhaps it is NDJSON whose first line is broken. */
function* wholeText(text: string, tag: { file?: string }, name: string): Generator<InputItem> {
  const parsed = tryParse(text);
  if (parsed.ok) {
    if (Array.isArray(parsed.value)) yield* arrayItems(parsed.value, tag);
    else yield { ...tag, value: parsed.value, single: true };
    return;
  }
  const lines = text.split("\n");
  const asLines = lines.map((l) => (l.trim() ? tryParse(l) : undefined));
  const objectsOnLines = asLines.filter((p) => p?.ok && p.value !== null && typeof p.value === "object").length;
  if (objectsOnLines >= 1 && asLines.filter((p) => p && !p.ok).length < objectsOnLines + 2) {
    for (let i = 0; i < lines.length; i++) {
      const p = asLines[i];
      if (!p) continue;
      yield p.ok ? { ...tag, line: i + 1, value: p.value } : { ...tag, line: i + 1, error: `line ${i + 1} is not valid JSON: ${p.error}` };
    }
    return;
  }
  yield { ...tag, error: `${name === "-" ? "standard input" : name} is not valid JSON: ${parsed.error}` };
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    default:
      return e.message ?? String(err);
  }
}
