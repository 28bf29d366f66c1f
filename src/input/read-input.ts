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
import type { FhirContext } from "./fhir/context.js";
import type { AdaptedItem } from "./provenance.js";

export const INPUT_FORMATS = ["json", "csv", "tsv", "fhir"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface InputOptions {
  /** The input format; by default .csv/.tsv files are sheets and a JSON object with "resourceType": "Bundle" is FHIR. */
  readonly from?: InputFormat;
  readonly rules: CompiledRules;
  readonly screen: ScreenOptions;
}

/** The format a source is read as: --from, else the file's extension (.csv, .tsv, .tab), else JSON. */
export function formatOf(name: string, from?: InputFormat): InputFormat {
  if (from) return from;
  const ext = extname(name).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".tsv" || ext === ".tab") return "tsv";
  return "json";
}

/** Reads one source as its format; FHIR Bundles are recognised per JSON value unless --from says otherwise. */
export async function* readInput(source: Source, label: string | undefined, options: InputOptions): AsyncGenerator<AdaptedItem> {
  const format = formatOf(source.name, options.from);
  if (format === "csv" || format === "tsv") {
    // Loaded only here, so runs over JSON records never pay for the CSV parser.
    const { readCsv } = await import("./csv.js");
    yield* readCsv(source, label, options.rules, format === "csv" ? "," : "\t");
    return;
  }
  let fhir: { ctx: FhirContext; adapter: typeof import("./fhir/bundle.js") } | undefined;
  for await (const item of readSource(source, label)) {
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

function fhirContext(options: InputOptions, loadFhirMapping: typeof import("../rules/mapping/fhir.js").loadFhirMapping): FhirContext {
  const zone = options.screen.timeZone ?? machineTimeZone;
  const asOf: Instant | undefined = typeof options.screen.asOf === "string" ? parseAsOf(options.screen.asOf, zone) : options.screen.asOf;
  const now = options.screen.now;
  const screening = asOf ? { ms: asOf.ms, offsetMin: asOf.offsetMin } : now !== undefined ? { ms: now, offsetMin: tzOffset(zoneName(zone), new Date(now)) } : undefined;
  return { rules: options.rules, mapping: loadFhirMapping(options.rules), timeZone: zone, ...(screening ? { screening } : {}) };
}

/** One JSON value that should be a Bundle → one item per Patient in it (or one error item). */
export function* fromBundle(item: InputItem, ctx: FhirContext, bundleToRecords: typeof import("./fhir/bundle.js").bundleToRecords): Generator<AdaptedItem> {
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
