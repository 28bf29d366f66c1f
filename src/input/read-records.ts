/**
 * Input: files or standard input holding one object, a JSON array, or NDJSON, detected from the
 * content. Records are yielded one at a time, in order, so a long stream is never held in memory;
 * anything unreadable or unparsable becomes an item of its own, never an exception.
 */
import { createReadStream, readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import type { Readable } from "node:stream";
import { parseJson, textProblems, type Parsed } from "../text/json.js";
import { describeSyntaxError } from "../text/json-syntax.js";
import { physicalLines } from "./lines.js";
import { sourceName } from "../text/names.js";

export interface InputItem {
  readonly file?: string; // the source's name, when the caller wants it on results
  readonly line?: number;
  readonly index?: number;
  /** The parsed value (any JSON), or absent when `error` says why there is none. */
  readonly value?: unknown;
  /** The JSON text `value` was parsed from, when it is one line of its own (for --jobs: a string travels to a worker thread faster than an object). */
  readonly text?: string;
  readonly error?: string;
  /** Where in the record the error is (a duplicated key's path); "" or absent for the whole record. */
  readonly errorPath?: string;
  /** True when the whole source was one object, so output may print an object, not an array. */
  readonly single?: boolean;
  /** A record's own id, kept for an error result when the record could be read far enough. */
  readonly id?: string;
  /** The source held no record at all (empty, or blank lines only): its name; `error` says so. */
  readonly emptySource?: string;
}

export interface Source {
  readonly name: string; // a path as the user wrote it, or "-" for standard input
  readonly path?: string; // the file to open, resolved against the working directory
  readonly open: () => Readable;
}

/** The openers of files as named, so a source whose bytes were partly taken (its `open` replaced) is never read afresh. */
const FILE_OPENERS = new WeakSet<() => Readable>();
/** A file named as the user wrote it (`name`, used in messages), opened at `path` (resolved against the working directory). */
export function fileSource(name: string, path: string = name): Source {
  const open = () => createReadStream(path);
  FILE_OPENERS.add(open);
  return { name, path, open };
}


export function stdinSource(stdin: Readable): Source {
  return { name: "-", open: () => stdin };
}

const STREAM_EXTENSIONS = new Set([".ndjson", ".jsonl"]);

/** What every item of a source carries (its file, when labelled). */
export type Tag = { readonly file?: string };

/** The record key that holds the id (the rules' subject id), per source, beside its tag. */
const ID_KEYS = new WeakMap<Tag, string>();

/** Parsed JSON, or why not: syntax (no path) or a duplicated key (with its path: valid JSON, bad data). */
const tryParse = parseJson;
const isJson = (p: Parsed) => p.ok || p.path !== undefined;

export function lineItem(tag: Tag, lineNo: number, parsed: Parsed, invalidUtf8: boolean, name: string, text?: string): InputItem {
  if (invalidUtf8) return { ...tag, line: lineNo, error: `line ${lineNo} of ${sourceName(name)} is not valid UTF-8 text (the file's encoding is wrong, or it is damaged); save it as UTF-8` };
  if (parsed.ok) return text !== undefined ? { ...tag, line: lineNo, value: parsed.value, text } : { ...tag, line: lineNo, value: parsed.value };
  if (parsed.path !== undefined) return { ...tag, line: lineNo, error: parsed.error, errorPath: parsed.path, ...idOf(parsed.value, tag) };
  return { ...tag, line: lineNo, error: `line ${lineNo} is ${parsed.error}` };
}

/** The tag of a source's items: its label (when given) as `file`, and the key its records' ids are read at. */
export function sourceTag(label: string | undefined, idKey: string): Tag {
  const tag: Tag = label !== undefined ? { file: label } : {};
  ID_KEYS.set(tag, idKey);
  return tag;
}

/** Files up to this size are read in one call; larger ones (and standard input) stream. */
const WHOLE_FILE_BYTES = 1 << 20;

/**
 * A small regular file's bytes, read in one call: no stream to set up, which is a good part of a
 * one-record run's start-up. Anything else (a large file, a directory, a pipe, a file that cannot
 * be read) is left to the stream, which words its errors.
 */
function smallFile(source: Source): Buffer[] | undefined {
  if (source.path === undefined || !FILE_OPENERS.has(source.open)) return undefined;
  try {
    const stat = statSync(source.path);
    return stat.isFile() && stat.size <= WHOLE_FILE_BYTES ? [readFileSync(source.path)] : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one source; `label` (when given) is put on every item as `file`. */
export async function* readSource(source: Source, label?: string, idKey = "id"): AsyncGenerator<InputItem> {
  const tag = sourceTag(label, idKey);
  const opened = smallFile(source) ?? openSource(source);
  if (typeof opened === "string") {
    yield { ...tag, error: opened };
    return;
  }
  const reader = new Sniffer(source.name, tag);
  if (!Array.isArray(opened)) {
    opened.on("error", (err) => {
      reader.openError = `cannot read ${source.name}: ${describeFsError(err)}`;
    });
  }
  try {
    for await (const { text, invalidUtf8 } of physicalLines(opened)) yield* reader.line(text, invalidUtf8);
  } catch (err) {
    reader.openError ??= `cannot read ${source.name}: ${describeFsError(err)}`;
  }
  yield* reader.finish();
}

/** The source's stream, or why it cannot be read (a directory, a missing file, no permission). */
export function openSource(source: Source): Readable | string {
  if (source.name !== "-") {
    try {
      // Synchronous: one stat per named file, and node:fs/promises is then not loaded at all.
      if (statSync(source.path ?? source.name).isDirectory()) return `cannot read ${source.name}: it is a directory`;
    } catch (err) {
      return `cannot read ${source.name}: ${describeFsError(err)}`;
    }
  }
  try {
    return source.open();
  } catch (err) {
    return `cannot read ${source.name}: ${describeFsError(err)}`;
  }
}

/**
 * Decides, line by line, whether a source is NDJSON (each line a record, streamed) or one JSON
 * document (an object or array, read whole), and yields items accordingly.
 */
export class Sniffer {
  openError: string | undefined;
  private readonly streamByName: boolean;
  private lineNo = 0;
  private mode: "undecided" | "stream" | "whole" = "undecided";
  private readonly buffered: string[] = [];
  private badUtf8Line: number | undefined; // in a pretty-printed document, the first line that was not UTF-8
  private held: InputItem | undefined; // the first NDJSON record, held until we know it is not alone
  private heldText = "";
  // A broken first line that may be a damaged NDJSON record: decided by the line after it.
  private suspect: { text: string; lineNo: number } | undefined;
  private count = 0;

  constructor(
    private readonly name: string,
    private readonly tag: { file?: string },
  ) {
    this.streamByName = STREAM_EXTENSIONS.has(extname(name).toLowerCase());
  }

  /**
   * Streaming NDJSON with its first record released: every later non-blank line is then exactly
   * `lineItem` of that line, so `--jobs` may hand the rest of the source to workers in blocks.
   */
  get streaming(): boolean {
    return this.mode === "stream" && this.held === undefined && this.count > 0;
  }

  /** Physical lines read so far (the next line's number is one more). */
  get lines(): number {
    return this.lineNo;
  }

  *line(text: string, invalidUtf8: boolean): Generator<InputItem> {
    this.lineNo++;
    if (this.mode === "whole") {
      if (invalidUtf8) this.badUtf8Line ??= this.lineNo;
      this.buffered.push(text);
      return;
    }
    if (text.trim() === "") {
      if (this.mode === "undecided") this.buffered.push(text);
      return;
    }
    let parsed: Parsed | undefined;
    if (this.mode === "undecided") {
      parsed = tryParse(text);
      if (!this.decide(text, parsed, invalidUtf8)) return;
    }
    const item = lineItem(this.tag, this.lineNo, parsed ?? tryParse(text), invalidUtf8, this.name, text);
    this.count++;
    if (this.count === 1) {
      this.held = item;
      this.heldText = text;
      return;
    }
    if (this.held) {
      yield this.held;
      this.held = undefined;
      this.heldText = "";
    }
    yield item;
  }

  /** The first non-blank line decides the mode; false while it is still undecided (or whole). */
  private decide(text: string, parsed: Parsed, invalidUtf8: boolean): boolean {
    if (this.suspect ? isRecordLine(parsed) : isJson(parsed) || this.streamByName || invalidUtf8) {
      this.mode = "stream";
      this.buffered.length = 0;
      if (this.suspect) {
        // NDJSON whose first record is damaged: it becomes an error of its own, and streaming goes on.
        this.count++;
        this.held = lineItem(this.tag, this.suspect.lineNo, tryParse(this.suspect.text), false, this.name);
        this.heldText = this.suspect.text;
        this.suspect = undefined;
      }
      return true;
    }
    if (!this.suspect && opensRecordLine(text)) this.suspect = { text, lineNo: this.lineNo };
    else {
      this.mode = "whole";
      if (invalidUtf8) this.badUtf8Line ??= this.lineNo;
    }
    this.buffered.push(text);
    return false;
  }

  *finish(): Generator<InputItem> {
    const { tag, name } = this;
    if (this.openError && this.count === 0 && this.mode !== "whole") {
      yield { ...tag, error: this.openError };
      return;
    }
    if (this.mode === "stream") {
      yield* this.finishStream();
      return;
    }
    if (this.mode === "undecided" && this.suspect) {
      yield* wholeText(this.buffered.join("\n"), tag, name);
      return;
    }
    if (this.mode === "undecided") {
      // Nothing but blank lines: no record. Said as an item, so the caller can name the source.
      yield { ...tag, error: `${sourceName(name)} holds no record (it is empty)`, emptySource: name };
      return;
    }
    if (this.badUtf8Line !== undefined) {
      yield { ...tag, error: `${sourceName(name)} is not valid UTF-8 text (line ${this.badUtf8Line}); save it as UTF-8`, ...opensObject(this.buffered) };
      return;
    }
    yield* wholeText(this.buffered.join("\n"), tag, name);
  }

  private *finishStream(): Generator<InputItem> {
    if (this.held) {
      // One line on its own: a one-line JSON file is a single record, an NDJSON file a stream of one.
      // A one-line JSON document is read as a whole, so that a bad item of a one-line array
      // spoils only that item.
      const lone = this.held;
      // A one-line file that opens like one object is one record: its error says so (not an array of one).
      const single = !this.streamByName && this.heldText.trimStart().startsWith("{") ? { single: true } : {};
      if (this.streamByName || (lone.error !== undefined && lone.errorPath === undefined)) yield { ...lone, ...single };
      else yield* wholeText(this.heldText, this.tag, this.name);
    }
    if (this.openError) yield { ...this.tag, error: this.openError };
  }
}

/** A pretty-printed object or array; if it does not parse, perhaps it is NDJSON whose first line is broken. */
function* wholeText(text: string, tag: Tag, name: string): Generator<InputItem> {
  let value: unknown;
  let syntaxError: string | undefined;
  try {
    value = JSON.parse(text);
  } catch {
    syntaxError = describeSyntaxError(text);
  }
  if (syntaxError === undefined) {
    const problems = value !== null && typeof value === "object" ? textProblems(text) : [];
    if (Array.isArray(value)) {
      // A duplicated key or an inexact number spoils only the array item it is in.
      const byIndex = new Map<number, { path: string; message: string }>();
      for (const d of problems) {
        const m = /^\[(\d+)\]\.?(.*)$/.exec(d.path);
        if (m && !byIndex.has(Number(m[1]))) byIndex.set(Number(m[1]), { path: m[2]!, message: d.message });
      }
      for (let i = 0; i < value.length; i++) {
        const bad = byIndex.get(i);
        yield bad ? { ...tag, index: i, error: bad.message, errorPath: bad.path, ...idOf(value[i], tag) } : { ...tag, index: i, value: value[i] };
      }
    } else if (problems[0]) {
      yield { ...tag, error: problems[0].message, errorPath: problems[0].path, single: true, ...idOf(value, tag) };
    } else {
      yield { ...tag, value, single: true };
    }
    return;
  }
  const parsed: Parsed = { ok: false, error: syntaxError };
  const lines = text.split("\n");
  const asLines = lines.map((l) => (l.trim() ? tryParse(l) : undefined));
  // Not one JSON document. NDJSON with damaged lines, unless it opens like a pretty-printed
  // document ("{" or "[" alone on the first line): then any record on a line of its own is kept,
  // however many lines around it are broken, and each broken line is an error of its own.
  const first = lines.find((l) => l.trim() !== "")?.trim();
  const pretty = first === "{" || first === "[";
  if (!pretty && asLines.some((p) => p !== undefined && isRecordLine(p))) {
    for (let i = 0; i < lines.length; i++) {
      const p = asLines[i];
      if (!p) continue;
      yield lineItem(tag, i + 1, p, false, name);
    }
    return;
  }
  yield { ...tag, error: `${sourceName(name)} is not valid JSON: ${parsed.error}`, ...opensObject(lines) };
}

/** A document that opens with "{" meant to be one record: its error is printed as one result, not an array of one. */
function opensObject(lines: readonly string[]): { single?: true } {
  const first = lines.find((l) => l.trim() !== "");
  return first?.trimStart().startsWith("{") ? { single: true } : {};
}

/** A line that holds one object (valid, or valid JSON with bad data such as a duplicated key). */
function isRecordLine(p: Parsed): boolean {
  return isJson(p) && (!p.ok || (p.value !== null && typeof p.value === "object" && !Array.isArray(p.value)));
}

/** A broken line that starts like a one-line record rather than a pretty-printed document's "{". */
function opensRecordLine(text: string): boolean {
  const t = text.trim();
  return t.startsWith("{") && t !== "{";
}

/**
 * A record's id, kept for the error result of a record that cannot be screened. The key is the
 * rules' subject id (`"id"` for this trial's rules), which the caller passes down.
 */
function idOf(value: unknown, tag: Tag): { id?: string } {
  const key = ID_KEYS.get(tag) ?? "id";
  const id = value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return typeof id === "string" ? { id } : {};
}

/** A file-system error in words a coordinator can act on. */
export function describeFsError(err: unknown): string {
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
