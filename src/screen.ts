/**
 * The library's front door: one record in, one result out, through
 * read → validate/normalise → evaluate → result. Pure: the clock and the zone are inputs.
 */
import { verdictFrom } from "./logic/kleene.js";
import { evaluateAll, evaluateCondition } from "./engine/evaluate.js";
import { isoInOffset } from "./engine/iso.js";
import { contextsFor, type Finding } from "./engine/types.js";
import { factLayout, inFieldOrder, normalise, type Normalised, type NormaliseOptions, type RecordReader } from "./record/normalise.js";
import { declaredTree } from "./record/unknown-fields.js";
import { recordWalkFor } from "./record/walk.js";
import { recordSchemaFor, type RecordSchema } from "./record/wording.js";
import type { CompiledRules, Condition } from "./rules/compiled.js";
import { UsageError, type ErrorResult, type ScreenedResult, type ScreeningResult } from "./result.js";
import { isKnownZone, parseTime, type Instant, type ZoneSource } from "./time/instant.js";

export interface ScreenOptions {
  /** Screening time for records without screenedAt: an ISO timestamp with a time of day. */
  readonly asOf?: string | Instant;
  /** Epoch ms to use, with a warning, when neither the record nor asOf gives a screening time. */
  readonly now?: number;
  /** IANA zone for timestamps without an offset; the machine's zone by default. */
  readonly timeZone?: string;
}

export type { ErrorResult, ScreenedResult, ScreeningResult } from "./result.js";

const readers = new WeakMap<CompiledRules, RecordReader>();

/** The record schema is built once per rules object, not once per record. */
export function readerFor(rules: CompiledRules): RecordReader {
  let reader = readers.get(rules);
  if (!reader) {
    let schema: RecordSchema | undefined;
    const layout = factLayout(rules);
    const walk = recordWalkFor(rules, declaredTree(rules), layout);
    // The check alone: the same walk, its warnings and values dropped.
    const valid = (record: unknown) => record !== null && typeof record === "object" && !Array.isArray(record) && walk(record, new Array<unknown>(layout.paths.length), []);
    reader = { valid, schema: () => (schema ??= recordSchemaFor(rules)), walk };
    readers.set(rules, reader);
  }
  return reader;
}


let machineZone: string | undefined;

/** The machine's IANA zone, looked up once (the lookup is costly, and it does not change mid-run). */
export function machineTimeZone(): string {
  machineZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  return machineZone;
}

export { UsageError };

/** Reads an --as-of value: a timestamp with a time of day (a date alone is refused). */
export function parseAsOf(text: string, timeZone: ZoneSource = machineTimeZone): Instant {
  return readAsOf(text, timeZone).instant;
}

function readAsOf(text: string, timeZone: ZoneSource): { instant: Instant; offsetGiven: boolean; skipped?: boolean } {
  const parsed = parseTime(text, timeZone, false);
  if (!parsed || parsed.kind !== "instant") {
    throw new UsageError(`--as-of needs a timestamp with a time of day, e.g. 2026-11-24T09:00:00+08:00; got "${text}"`);
  }
  return parsed;
}

/** A time zone option must name a real zone: an unknown one would turn every local time into NaN. */
export function checkTimeZone(zone: string): string {
  if (!isKnownZone(zone)) throw new UsageError(`--time-zone: unknown time zone "${zone}"; expected an IANA name such as Asia/Shanghai or UTC`);
  return zone;
}

const prepared = new WeakMap<ScreenOptions, NormaliseOptions>();

/** Options are read once per options object: a batch passes the same one for every record. */
function prepare(options: ScreenOptions): NormaliseOptions {
  let out = prepared.get(options);
  if (!out) {
    const timeZone: ZoneSource = options.timeZone !== undefined ? checkTimeZone(options.timeZone) : machineTimeZone;
    const read = typeof options.asOf === "string" ? readAsOf(options.asOf, timeZone) : undefined;
    const asOf = read ? read.instant : (options.asOf as Instant | undefined);
    const asOfLocal = read && !read.offsetGiven ? { text: options.asOf as string, ...(read.skipped ? { skipped: true } : {}) } : undefined;
    out = { timeZone, ...(asOf ? { asOf } : {}), ...(asOfLocal ? { asOfLocal } : {}), ...(options.now !== undefined ? { now: options.now } : {}) };
    prepared.set(options, out);
  }
  return out;
}

/**
 * The record's facts, and every error in field order: normalisation's, and the contradictions the
 * rules declare (conditions over facts, so judged here by the engine). Without a screening time,
 * those that do not depend on it (a man pregnant) are still checked; the others cannot be.
 */
function read(record: unknown, rules: CompiledRules, options: ScreenOptions): Normalised {
  const normalised = normalise(record, rules, readerFor(rules), prepare(options));
  const { errors, facts, screened } = normalised;
  if (typeof record === "object" && record !== null && !Array.isArray(record)) {
    // A contradiction is wanted false: its wording (never shown) would say what clears it.
    const ctx = contextsFor(rules, facts).fail;
    for (const c of rules.constraints) {
      if (!screened && c.readsScreeningTime) continue;
      if (evaluateCondition(c.invalidWhen, ctx).truth === true) errors.push({ path: c.path, message: c.message });
    }
  }
  return errors.length > 1 ? { ...normalised, errors: inFieldOrder(errors, rules.fieldOrder) } : normalised;
}

export function screen(record: unknown, rules: CompiledRules, options: ScreenOptions = {}): ScreeningResult {
  const normalised = read(record, rules, options);
  if (!normalised.screened || normalised.errors.length) {
    const error: ErrorResult = { verdict: "error", errors: normalised.errors, rules: rules.meta, warnings: normalised.warnings };
    return normalised.id !== undefined ? { id: normalised.id, ...error } : error;
  }
  const criteria = evaluateAll(rules, normalised.facts);
  const failed: string[] = [];
  const unknown: string[] = [];
  for (const c of criteria) {
    if (c.outcome === "fail") failed.push(c.id);
    else if (c.outcome === "unknown") unknown.push(c.id);
  }
  const { ms, offsetMin } = normalised.facts.screening;
  // From the lists just made, rather than an array of the outcomes for verdictOf.
  const verdict = verdictFrom(failed.length > 0, unknown.length > 0);
  const screenedAt = new Date(ms).toISOString();
  const screenedAtLocal = isoInOffset(ms, offsetMin);
  const { id, warnings } = normalised;
  // Two literals rather than a spread of one into the other: the key order is the output's, and
  // copying a nine-key object per record costs more than writing it out.
  const result: ScreenedResult =
    id !== undefined
      ? { id, verdict, failed, unknown, criteria, screenedAt, screenedAtLocal, rules: rules.meta, warnings }
      : { verdict, failed, unknown, criteria, screenedAt, screenedAtLocal, rules: rules.meta, warnings };
  return result;
}

/**
 * Single conditions of the rules (parts of a criterion) judged on `record`, or undefined when the
 * record is invalid: for a tool that asks what a part still lacks, not only the whole criterion.
 */
export function evaluateConditions(record: unknown, rules: CompiledRules, options: ScreenOptions, conditions: readonly Condition[]): Finding[] | undefined {
  const normalised = read(record, rules, options);
  if (!normalised.screened || normalised.errors.length) return undefined;
  const ctx = contextsFor(rules, normalised.facts).pass;
  return conditions.map((c) => evaluateCondition(c, ctx));
}
