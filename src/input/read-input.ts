/**
 * Input formats: JSON records (the contract's own), spreadsheets (CSV/TSV) and FHIR R4 Bundles.
 * Every format yields the same thing — one item per patient, in input order, errors as items —
 * so the batch loop, the reporters and the exit codes do not care where a record came from.
 */
import { extname } from "node:path";
import { tzOffset } from "@date-fns/tz";
import { readSource, type InputItem, type Source } from "./read-records.js";
import type { CompiledRules } from "../rules/compiled.js";
import { machineTimeZone, parseAsOf, type ScreenOptions } from "../screen.js";
import { zoneName, type Instant } from "../time/instant.js";
import type * as FhirBundle from "./fhir/bundle.js";
import type { FhirContext } from "./fhir/context.js";
import type { loadFhirMapping as LoadFhirMapping } from "../rules/mapping/fhir.js";
import type { AdaptedItem } from "./provenance.js";
import type { ColumnMap } from "./csv.js";
import { sniffSheet } from "./sniff.js";
import { UsageError } from "../result.js";
import { sourceName } from "../text/names.js";

export const INPUT_FORMATS = ["json", "csv", "tsv", "fhir"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface InputOptions {
  /** The input format; by default .csv/.tsv files are sheets and a JSON object with "resourceType": "Bundle" is FHIR. */
  readonly from?: InputFormat;
  readonly rules: CompiledRules;
  readonly screen: ScreenOptions;
  /** A site's own sheet headers → record paths (--columns). */
  readonly columns?: ColumnMap;
}

/** The format a source is read as: --from, else the file's extension (.csv, .tsv, .tab), else JSON. */
export function formatOf(name: string, from?: InputFormat): InputFormat {
  if (from) return from;
  const ext = extname(name).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".tsv" || ext === ".tab") return "tsv";
  return "json";
}

/**
 * Every source, in order, as one stream of items: labelled with their file when there are
 * several, and a source that fails part-way says so in place while the next one is still read.
 */
export async function* readSources(sources: readonly Source[], options: InputOptions): AsyncGenerator<AdaptedItem> {
  const label = sources.length > 1;
  for (const source of sources) {
    for await (const item of guarded(readInput(source, label ? source.name : undefined, options), source, label)) {
      // "The whole input is one object" holds only for a single source.
      yield label && item.single ? { ...item, single: false } : item;
    }
  }
}

/**
 * The source's items; should reading it fail unexpectedly part-way, one error item says so in
 * place, and the batch goes on with the next source instead of losing everything.
 */
async function* guarded(items: AsyncGenerator<AdaptedItem>, source: Source, label: boolean): AsyncGenerator<AdaptedItem> {
  try {
    yield* items;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    yield { ...(label ? { file: source.name } : {}), error: `cannot read the rest of ${sourceName(source.name)}: ${describeFailure(err)}` };
  }
}

/** Reads one source as its format; FHIR Bundles are recognised per JSON value unless --from says otherwise. */
export async function* readInput(given: Source, label: string | undefined, options: InputOptions): AsyncGenerator<AdaptedItem> {
  let source = given;
  let format = formatOf(source.name, options.from);
  if (source.name === "-" && options.from === undefined) {
    // A sheet piped in (`cat sheet.csv | screen`) has no extension to go by: its first line tells.
    const sniffed = await sniffSheet(source);
    source = sniffed.source;
    format = sniffed.format ?? format;
  }
  if (format === "csv" || format === "tsv") {
    // Loaded only here, so runs over JSON records never pay for the CSV parser.
    const { readCsv } = await import("./csv.js");
    yield* readCsv(source, label, options.rules, format === "csv" ? "," : "\t", options.columns);
    return;
  }
  let fhir: { ctx: FhirContext; adapter: typeof FhirBundle } | undefined;
  for await (const item of readSource(source, label, options.rules.file.subject.id)) {
    const bundle = item.error === undefined && (format === "fhir" || (options.from === undefined && isBundle(item.value)));
    if (!bundle) {
      yield item;
      continue;
    }
    if (!fhir) {
      // Loaded only here, so runs over JSON records never pay for the FHIR adapter and its mapping (zod).
      const [adapter, { loadFhirMapping }] = await Promise.all([import("./fhir/bundle.js"), import("../rules/mapping/fhir.js")]);
      fhir = { ctx: fhirContext(options, loadFhirMapping), adapter };
    }
    yield* fromBundle(item, fhir.ctx, fhir.adapter.bundleToRecords);
  }
}

/** A JSON object with "resourceType": "Bundle" (no record of the contract has a resourceType). */
export function isBundle(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && (value as Record<string, unknown>).resourceType === "Bundle";
}

function fhirContext(options: InputOptions, loadFhirMapping: typeof LoadFhirMapping): FhirContext {
  const zone = options.screen.timeZone ?? machineTimeZone;
  const asOf: Instant | undefined = typeof options.screen.asOf === "string" ? parseAsOf(options.screen.asOf, zone) : options.screen.asOf;
  const now = options.screen.now;
  const screening = asOf ? { ms: asOf.ms, offsetMin: asOf.offsetMin } : now !== undefined ? { ms: now, offsetMin: tzOffset(zoneName(zone), new Date(now)) } : undefined;
  return { rules: options.rules, mapping: loadFhirMapping(options.rules), timeZone: zone, ...(screening ? { screening } : {}) };
}

/** One JSON value that should be a Bundle → one item per Patient in it (or one error item). */
export function* fromBundle(item: InputItem, ctx: FhirContext, bundleToRecords: typeof FhirBundle.bundleToRecords): Generator<AdaptedItem> {
  const pos = { ...(item.file !== undefined ? { file: item.file } : {}), ...(item.line !== undefined ? { line: item.line } : {}), ...(item.index !== undefined ? { index: item.index } : {}) };
  let result: ReturnType<typeof bundleToRecords>;
  try {
    result = bundleToRecords(item.value, ctx);
  } catch (err) {
    // A Bundle the adapter cannot walk (hostile nesting, say) spoils only itself.
    yield { ...pos, error: `cannot read this Bundle: ${describeFailure(err)}`, ...(item.single ? { single: true } : {}) };
    return;
  }
  if (!result.ok) {
    yield { ...pos, error: result.error, ...(item.single ? { single: true } : {}) };
    return;
  }
  const single = item.single === true && result.patients.length === 1;
  for (const p of result.patients) {
    const codes = p.unmappedCodes ? { unmappedCodes: p.unmappedCodes } : {};
    if (p.error) {
      // A patient the Bundle says cannot be screened (deceased): an error result that keeps the id and sources.
      const id = p.record[ctx.rules.file.subject.id];
      yield { ...pos, error: p.error.message, errorPath: p.error.path, sources: p.sources, warnings: p.warnings, ...(typeof id === "string" ? { id } : {}), ...(single ? { single } : {}), ...codes };
    } else yield { ...pos, value: p.record, sources: p.sources, warnings: p.warnings, ...(single ? { single } : {}), ...codes };
  }
}

/** A short account of an unexpected failure, without the input that caused it. */
export function describeFailure(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return "it is nested too deeply";
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
