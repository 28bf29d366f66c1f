/**
 * Spreadsheet input (CSV, TSV): one patient per row, one column per record path (`stroke.nihss`,
 * `labs.alt.value`, `labs.alt.unit`…). Parsed with csv-parse (RFC 4180 quoting), streamed row by
 * row; each row becomes one input item, in order, errors included. An empty cell is unknown.
 */
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { parse, type CsvError, type Info, type InfoRecord } from "csv-parse";
import { describeFsError, type Source } from "./read-records.js";
import type { Problem } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import { knownColumns, loadCsvMapping, templateColumns, type CsvMapping } from "../rules/mapping/csv.js";
import type { AdaptedItem, SourceMap } from "./provenance.js";
import { inexactNumber } from "../text/json.js";
import { closest } from "../text/did-you-mean.js";
import { csvRow } from "../text/csv.js";
import { getAt, setAt } from "../text/paths.js";
import { sourceName } from "../text/names.js";
import { normaliseSheetUnits } from "./sheet-units.js";

export type Delimiter = "," | "\t";

type CellKind = { readonly type: "boolean" | "integer" | "number" | "text"; readonly nullable: boolean };

const kindsByRules = new WeakMap<CompiledRules, Map<string, CellKind>>();

/** How each known column's cells are read, from the rules' declarations (once per rules). */
function cellKinds(rules: CompiledRules): Map<string, CellKind> {
  const cached = kindsByRules.get(rules);
  if (cached) return cached;
  const kinds = new Map<string, CellKind>();
  kindsByRules.set(rules, kinds);
  for (const [path, decl] of rules.fields) {
    const type = decl.type === "boolean" ? "boolean" : decl.type === "integer" ? "integer" : "text";
    kinds.set(path, { type, nullable: decl.nullable === true });
  }
  for (const lab of rules.labs.values()) {
    kinds.set(`${lab.path}.value`, { type: "number", nullable: false });
    kinds.set(`${lab.path}.unit`, { type: "text", nullable: false });
    kinds.set(`${lab.path}.uln`, { type: "number", nullable: false });
  }
  return kinds;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell's text → the record's value. What cannot be read as the column's type is passed on as the
 * text itself, so validation reports it (by path) and provenance adds the row and column.
 */
function readCell(text: string, kind: CellKind, conv: CsvMapping): unknown {
  const lower = text.toLowerCase();
  if (kind.nullable && conv.none.some((w) => w.toLowerCase() === lower)) return null;
  switch (kind.type) {
    case "boolean":
      if (conv.true.some((w) => w.toLowerCase() === lower)) return true;
      if (conv.false.some((w) => w.toLowerCase() === lower)) return false;
      return text;
    case "integer":
    case "number": {
      if (!NUMBER.test(text)) return text;
      const n = Number(text);
      // Kept as text when a double cannot hold it as written: validation then names the cell.
      return Number.isFinite(n) && inexactNumber(text, n) === undefined ? n : text;
    }
    case "text":
      return text;
  }
}

/** 0 → "A", 25 → "Z", 26 → "AA": the column letters a spreadsheet shows. */
export function columnLetter(index: number): string {
  let out = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** A site's own headers → record paths (`--columns MAP.json`: "NIHSS total" → "stroke.nihss"). */
export type ColumnMap = ReadonlyMap<string, string>;

/** The header, read once per sheet: which column is which path, and the warnings it earns. */
export interface Header {
  readonly columns: readonly string[];
  readonly known: readonly (string | undefined)[]; // the path each column feeds, or undefined (ignored)
  readonly warnings: readonly Problem[];
  readonly error?: string;
}

/** The path a header cell names: through the site's map (exactly, else ignoring case), else as written. */
function pathOfHeader(name: string, knownSet: ReadonlySet<string>, map: ColumnMap | undefined): string | undefined {
  const mapped = map?.get(name) ?? (map ? [...map].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] : undefined);
  if (mapped !== undefined) return mapped;
  return knownSet.has(name) ? name : undefined;
}

export function readHeader(cells: readonly string[], rules: CompiledRules, map?: ColumnMap): Header {
  const knownSet = new Set(knownColumns(rules));
  const warnings: Problem[] = [];
  const seen = new Map<string, number>(); // path → the first column feeding it
  const known: (string | undefined)[] = [];
  let error: string | undefined;
  cells.forEach((name, i) => {
    if (name === "") {
      known.push(undefined);
      return;
    }
    const path = pathOfHeader(name, knownSet, map);
    const first = seen.get(path ?? `\u0000${name}`);
    if (first !== undefined) {
      const what = path !== undefined && path !== name ? `columns ${columnLetter(first)} ("${cells[first]}") and ${columnLetter(i)} ("${name}") both hold ${path}` : `column "${name}" appears twice in the header (columns ${columnLetter(first)} and ${columnLetter(i)})`;
      error ??= `${what}: which one holds the value is unclear`;
    }
    seen.set(path ?? `\u0000${name}`, i);
    known.push(path);
    if (path !== undefined) return;
    const hint = closest(name, knownSet, 6);
    const group = [...knownSet].find((k) => k.startsWith(`${name}.`));
    const mapHint = map ? "" : " (or map it with --columns)";
    warnings.push({
      path: name,
      message: `unknown column "${name}" (column ${columnLetter(i)}), ignored${group ? ` (a group: give its fields, e.g. ${group})` : hint ? ` (did you mean ${hint}?)` : mapHint}`,
    });
  });
  return { columns: cells, known, warnings, ...(error ? { error } : {}) };
}

export interface RowRecord {
  readonly record: Record<string, unknown>;
  readonly sources: SourceMap;
  readonly warnings: Problem[];
  /** Record path → how its column is read, for a cell that could not be (added to the error there). */
  readonly notes: Record<string, string>;
}

/** One row → a record, with the cell each value came from. Empty cells stay absent (unknown). */
export function rowToRecord(header: Header, cells: readonly string[], row: number, rules: CompiledRules, conv = loadCsvMapping(rules)): RowRecord {
  const kinds = cellKinds(rules);
  const record: Record<string, unknown> = {};
  const sources: SourceMap = {};
  const warnings: Problem[] = [];
  const notes: Record<string, string> = {};
  const byPath = new Map<string, { text: string; i: number }>();
  header.known.forEach((path, i) => {
    if (path === undefined) return;
    const text = cells[i] ?? "";
    if (text !== "") byPath.set(path, { text, i });
  });
  for (const [i, name] of header.columns.entries()) {
    if (name === "" && (cells[i] ?? "") !== "") warnings.push({ path: "", message: `row ${row}, column ${columnLetter(i)} has a value but no column name; ignored` });
  }
  for (const lab of rules.labs.values()) {
    // A lab exists only when its value does: a pre-filled unit or ULN beside an empty value is not a result.
    if (!byPath.has(`${lab.path}.value`)) for (const part of ["unit", "uln"]) byPath.delete(`${lab.path}.${part}`);
  }
  // In the header's order, so `sources` reads like the sheet.
  for (const path of header.known) {
    const cell = path === undefined ? undefined : byPath.get(path);
    if (path === undefined || cell === undefined) continue;
    const kind = kinds.get(path)!;
    const value = readCell(cell.text, kind, conv);
    setAt(record, path, value);
    if (kind.type === "boolean" && typeof value === "string") notes[path] = `a yes/no column takes ${[...conv.true, ...conv.false].join(", ")} (in any case)`;
    const name = header.columns[cell.i]!;
    sources[path] = { row, column: path, letter: columnLetter(cell.i), ...(name !== path ? { header: name } : {}), value: cell.text };
  }
  warnings.push(...normaliseSheetUnits(record, rules));
  return { record, sources, warnings, notes };
}

/** One record → the cells of a row under `columns` (the inverse of rowToRecord for every valid record). */
export function recordToRow(record: unknown, columns: readonly string[], rules: CompiledRules, conv = loadCsvMapping(rules)): string[] {
  const noneWord = conv.none[0] ?? "none";
  return columns.map((path) => {
    const value = getAt(record, path);
    if (value === undefined) return "";
    if (value === null) return noneWord;
    if (typeof value === "boolean") return value ? conv.true[0]! : conv.false[0]!;
    return typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
  });
}

/** One sheet row, quoted by the program's one CSV rule. */
export function formatRow(cells: readonly string[], delimiter: Delimiter = ","): string {
  return csvRow(cells, delimiter);
}


/** `screen template --format csv`: the header row and one example row (the contract's example record). */
export function csvTemplate(rules: CompiledRules, delimiter: Delimiter = ",", map?: ColumnMap): string {
  const conv = loadCsvMapping(rules);
  const columns = templateColumns(rules, conv);
  // A site's map names its own headers: each mapped path is written under the site's name.
  const siteName = new Map([...(map ?? [])].map(([header, path]) => [path, header]));
  const header = columns.map((path) => siteName.get(path) ?? path);
  return [formatRow(header, delimiter), formatRow(recordToRow(conv.example, columns, rules, conv), delimiter)].join("\r\n") + "\r\n";
}

type Queued = { kind: "row"; cells: string[]; row: number } | { kind: "error"; row: number; message: string };

function describeCsvError(err: CsvError | undefined): string {
  switch (err?.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted cell is never closed (a missing \" ); the rest of the sheet cannot be read";
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return 'text after a closing quote (write a quote inside a quoted cell as "")';
    default:
      return err?.message ?? "unreadable row";
  }
}

/** Reads one sheet; every data row becomes one item (record or error), in order. */
export async function* readCsv(source: Source, label: string | undefined, rules: CompiledRules, delimiter: Delimiter, columns?: ColumnMap): AsyncGenerator<AdaptedItem> {
  const tag = label !== undefined ? { file: label } : {};
  const name = sourceName(source.name);
  if (source.name !== "-") {
    try {
      if ((await stat(source.path ?? source.name)).isDirectory()) {
        yield { ...tag, error: `cannot read ${source.name}: it is a directory` };
        return;
      }
    } catch (err) {
      yield { ...tag, error: `cannot read ${source.name}: ${describeFsError(err)}` };
      return;
    }
  }
  const conv = loadCsvMapping(rules);
  let input: Readable;
  try {
    input = source.open();
  } catch (err) {
    yield { ...tag, error: `cannot read ${name}: ${describeFsError(err)}` };
    return;
  }
  const queue: Queued[] = [];
  const rowOf = (info: Pick<Info, "records" | "empty_lines">) => info.records + info.empty_lines;
  const parser = parse({
    bom: true,
    delimiter,
    trim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (cells: string[], context: InfoRecord) => {
      queue.push({ kind: "row", cells, row: rowOf(context) });
      return cells;
    },
    on_skip: (err: CsvError | undefined) => {
      const info = err as unknown as Partial<Info> | undefined;
      queue.push({ kind: "error", row: (info?.records ?? 0) + (info?.empty_lines ?? 0) + 1, message: describeCsvError(err) });
      return undefined;
    },
  });
  let readError: string | undefined;
  input.on("error", (err) => {
    readError = `cannot read ${name}: ${describeFsError(err)}`;
    parser.destroy(err);
  });
  input.pipe(parser);

  let header: Header | undefined;
  let headerWarned = false; // an unknown column is said once per sheet, on its first patient
  let lastErrorRow = -1;
  let stop = false;
  function* drain(): Generator<AdaptedItem> {
    while (queue.length && !stop) {
      const q = queue.shift()!;
      if (q.kind === "error") {
        if (q.row === lastErrorRow) continue; // one error per row, however the parser resynchronises
        lastErrorRow = q.row;
        yield { ...tag, line: q.row, error: `row ${q.row} of ${name} cannot be read: ${q.message}` };
        continue;
      }
      if (q.cells.every((c) => c === "")) continue; // a blank row (",,,"): no patient
      if (!header) {
        header = readHeader(q.cells, rules, columns);
        if (header.error) {
          yield { ...tag, error: `${name}: ${header.error}` };
          stop = true;
        }
        continue;
      }
      const width = header.columns.length;
      const headerWarnings = headerWarned ? [] : header.warnings;
      headerWarned = true;
      if (q.cells.length > width && q.cells.slice(width).some((c) => c !== "")) {
        yield { ...tag, line: q.row, error: `row ${q.row} has ${q.cells.length} cells but the header has ${width} columns (an unquoted comma or tab inside a cell?)`, warnings: headerWarnings };
        continue;
      }
      const { record, sources, warnings, notes } = rowToRecord(header, q.cells, q.row, rules, conv);
      if (q.cells.length < width) warnings.push({ path: "", message: `row ${q.row} has ${q.cells.length} cells but the header has ${width} columns: the last ${width - q.cells.length} read as empty` });
      yield { ...tag, line: q.row, value: record, sources, warnings: [...headerWarnings, ...warnings], ...(Object.keys(notes).length ? { notes } : {}) };
    }
  }
  try {
    for await (const _ of parser) {
      yield* drain();
      if (stop) break;
    }
    yield* drain();
  } catch (err) {
    yield* drain();
    if (!stop) yield { ...tag, error: readError ?? `cannot read ${name}: ${(err as Error).message}` };
  } finally {
    if (stop) {
      input.unpipe(parser);
      parser.destroy();
      if (source.name !== "-") input.destroy(); // standard input belongs to the caller
    }
  }
}
