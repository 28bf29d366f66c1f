/**
 * Validation and normalisation: raw JSON → typed facts (or every error at once). Types and ranges
 * come from the zod schema; then time (offsets, date-only days, the screening date), age, lab
 * units and plausibility, and the contradictions the rules declare.
 */
import { tzOffset } from "@date-fns/tz";
import type { RecordSchema } from "./schema.js";
import { evaluateCondition } from "../engine/evaluate.js";
import { fromNumber } from "../numbers/rational.js";
import type { CompiledLab, CompiledRules, Condition } from "../rules/compiled.js";
import { walkCondition } from "../rules/load.js";
import { type CalendarDate, compareDates, completedYears, formatDate, parseDate } from "../time/calendar.js";
import { DAY, type Instant, type ZoneSource, zoneName, dateOf, formatInstant, formatOffset, parseTime, startOfDay } from "../time/instant.js";
import { expectation, shown } from "./describe.js";
import type { Fact, Facts, Screening } from "./facts.js";
import { unknownFieldWarnings } from "./unknown-fields.js";
import type { Problem } from "../result.js";

export type { Problem };

export interface NormaliseOptions {
  /** Used when the record has no screenedAt. */
  readonly asOf?: Instant;
  /** Set when asOf was written without an offset (read in `timeZone`): a record screened by it is warned. */
  readonly asOfLocal?: { readonly text: string; readonly skipped?: boolean };
  /** The clock reading to fall back on (with a warning); without it a record needs a screening time. */
  readonly now?: number;
  /** IANA zone for timestamps written without an offset. */
  readonly timeZone: ZoneSource;
}

/** Stands in for a screening time that could not be read, for conditions that never look at it. */
const NO_SCREENING: Screening = { ms: Number.NaN, offsetMin: 0, date: { y: 0, m: 1, d: 1 } };

function readsScreeningTime(cond: Condition): boolean {
  for (const node of walkCondition(cond)) if ("elapsed" in node || "withinMonths" in node) return true;
  return false;
}

export type Normalised =
  | { readonly ok: true; readonly id?: string; readonly facts: Facts; readonly warnings: Problem[] }
  | { readonly ok: false; readonly id?: string; readonly errors: Problem[]; readonly warnings: Problem[] };

export interface RecordReader {
  readonly schema: RecordSchema;
  readonly tree: ReadonlyMap<string, ReadonlySet<string>>;
}

const splitPaths = new Map<string, readonly string[]>();
function splitPath(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split(".");
    splitPaths.set(path, keys);
  }
  return keys;
}

export function normalise(input: unknown, rules: CompiledRules, reader: RecordReader, options: NormaliseOptions): Normalised {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: [{ path: "", message: `expected a JSON object (one patient record), got ${shown(input)}` }], warnings: [] };
  }
  const record = input as Record<string, unknown>;
  const idValue = Object.hasOwn(record, rules.file.subject.id) ? record[rules.file.subject.id] : undefined;
  const id = typeof idValue === "string" ? idValue : undefined;
  const errors: Problem[] = [];
  const warnings: Problem[] = unknownFieldWarnings(record, reader.tree);

  const parsed = reader.schema.safeParse(record);
  const bad = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".");
      errors.push({ path, message: issue.message });
      bad.add(path);
    }
  }
  const isBad = (path: string) => {
    for (const b of bad) if (b === path || path.startsWith(`${b}.`) || b.startsWith(`${path}.`)) return true;
    return false;
  };
  const raw = (path: string): unknown => {
    let node: unknown = record;
    for (const key of splitPath(path)) {
      if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };

  const subject = rules.file.subject;
  const screening = readScreening();
  const values = new Map<string, Fact>();

  for (const [path, decl] of rules.fields) {
    if (path === subject.screenedAt || isBad(path)) continue;
    const value = raw(path);
    if (value === undefined) continue;
    if (value === null) {
      values.set(path, { kind: "none" });
      continue;
    }
    switch (decl.type) {
      case "boolean":
        values.set(path, { kind: "boolean", value: value as boolean });
        break;
      case "integer":
        values.set(path, { kind: "integer", value: value as number });
        break;
      case "string":
      case "enum":
        values.set(path, { kind: "text", value: value as string });
        break;
      case "date": {
        const date = parseDate(value as string);
        if (!date) {
          errors.push({ path, message: `expected ${expectation(decl)}, got ${shown(value)}` });
          break;
        }
        if (decl.notAfterScreening && screening && compareDates(date, screening.date) > 0) {
          errors.push({ path, message: `${formatDate(date)} is after the screening date ${formatDate(screening.date)}` });
          break;
        }
        values.set(path, { kind: "date", date });
        break;
      }
      case "timestamp": {
        const time = readTime(path, value as string, decl.allowDate === true, decl.notAfterScreening === true);
        if (time) values.set(path, time);
        break;
      }
    }
  }

  deriveAge();
  for (const [path, decl] of rules.fields) {
    if (decl.type !== "timestamp" || !decl.notBeforeDate) continue;
    const time = values.get(path);
    const limit = values.get(decl.notBeforeDate);
    if (time?.kind !== "time" || limit?.kind !== "date") continue;
    // The birth date is a calendar day read, like any date alone, in screenedAt's offset: the
    // onset's own offset must not decide it (the same instant written in another offset would).
    const day = dateOf({ ms: time.end, offsetMin: screening?.offsetMin ?? time.offsetMin });
    if (compareDates(day, limit.date) < 0) {
      errors.push({ path, message: `${time.text} is before ${decl.notBeforeDate} ${formatDate(limit.date)}` });
    }
  }
  for (const lab of rules.labs.values()) {
    if (isBad(lab.path)) continue;
    const value = raw(lab.path);
    if (value === undefined || value === null) continue;
    const fact = readLab(lab, value as { value: number; unit?: unknown; uln?: unknown });
    if (fact) values.set(lab.path, fact);
  }

  // Contradictions are reported with every other error. Without a screening time, those that do
  // not depend on it (a man pregnant) are still checked; the others cannot be.
  const facts: Facts = { values, screening: screening ?? NO_SCREENING };
  for (const c of rules.file.constraints) {
    if (!screening && readsScreeningTime(c.invalidWhen)) continue;
    if (evaluateCondition(c.invalidWhen, { rules, facts }).truth === true) errors.push({ path: c.path, message: c.message });
  }
  if (screening && !errors.length) return { ok: true, ...(id !== undefined ? { id } : {}), facts, warnings };
  return { ok: false, ...(id !== undefined ? { id } : {}), errors: ordered(errors), warnings };

  function readScreening(): Screening | undefined {
    const path = subject.screenedAt;
    const value = raw(path);
    if (value !== undefined && !isBad(path)) {
      const time = parseTime(value as string, options.timeZone, false);
      if (!time || time.kind !== "instant") {
        errors.push({ path, message: `expected an ISO 8601 timestamp with a time of day and a UTC offset, e.g. 2026-11-24T09:00:00+08:00, got ${shown(value)}` });
        return undefined;
      }
      if (!time.offsetGiven) warnings.push(noOffset(path, time.instant, time.skipped));
      return { ...time.instant, date: dateOf(time.instant) };
    }
    if (value !== undefined) return undefined;
    if (options.asOf) {
      if (options.asOfLocal) warnings.push({ path, message: `no screenedAt: screened as of --as-of ${options.asOfLocal.text}, which has no UTC offset: ${localReading(options.asOf, options.asOfLocal.skipped)}` });
      return { ...options.asOf, date: dateOf(options.asOf) };
    }
    if (options.now !== undefined) {
      const instant = localInstant(options.now);
      warnings.push({ path, message: `no screenedAt and no --as-of: screened as of now (${formatInstant(instant.ms, instant.offsetMin)}); give one for a reproducible result` });
      return { ...instant, date: dateOf(instant) };
    }
    errors.push({ path, message: "needed: the record has no screenedAt and no screening time (asOf) was given" });
    return undefined;
  }

  function localInstant(ms: number): Instant {
    return { ms, offsetMin: tzOffset(zoneName(options.timeZone), new Date(ms)) };
  }

  function noOffset(path: string, instant: Instant, skipped?: boolean): Problem {
    return { path, message: `no UTC offset: ${localReading(instant, skipped)}` };
  }

  function localReading(instant: Instant, skipped?: boolean): string {
    const gap = skipped ? `; that wall-clock time does not exist there (the clocks moved forward), so it is ${formatInstant(instant.ms, tzOffset(zoneName(options.timeZone), new Date(instant.ms)))}` : "";
    return `read in local time ${zoneName(options.timeZone)} (${formatOffset(instant.offsetMin)})${gap}`;
  }

  function readTime(path: string, text: string, allowDate: boolean, notAfter: boolean): Fact | undefined {
    const decl = rules.fields.get(path)!;
    const time = parseTime(text, options.timeZone, allowDate);
    if (!time) {
      errors.push({ path, message: `expected ${expectation(decl)}, got ${shown(text)}` });
      return undefined;
    }
    if (time.kind === "instant") {
      if (!time.offsetGiven) warnings.push(noOffset(path, time.instant, time.skipped));
      if (notAfter && screening && time.instant.ms > screening.ms) {
        errors.push({ path, message: `${text} is after screenedAt (${formatInstant(screening.ms, screening.offsetMin)})` });
        return undefined;
      }
      return { kind: "time", start: time.instant.ms, end: time.instant.ms, offsetMin: time.instant.offsetMin, dateOnly: false, text };
    }
    if (!screening) return undefined;
    const order = compareDates(time.date, screening.date);
    if (order > 0) {
      errors.push({ path, message: `${text} is after the screening date ${formatDate(screening.date)}` });
      return undefined;
    }
    const start = startOfDay(time.date, screening.offsetMin);
    const end = order === 0 ? screening.ms : start + DAY - 1;
    warnings.push({
      path,
      message: `a date without a time: read as the whole day ${text} (${formatOffset(screening.offsetMin)})${order === 0 ? " up to screenedAt" : ""}; a time window is decided only when every moment of that day agrees`,
    });
    return { kind: "time", start, end, offsetMin: screening.offsetMin, dateOnly: true, text };
  }

  function deriveAge(): void {
    const birth = values.get(subject.birthDate);
    if (birth?.kind !== "date" || !screening) return;
    if (compareDates(birth.date, screening.date) > 0) {
      errors.push({ path: subject.birthDate, message: `${formatDate(birth.date)} is after the screening date ${formatDate(screening.date)}` });
      values.delete(subject.birthDate);
      return;
    }
    const age = completedYears(birth.date, screening.date);
    const given = values.get(subject.age);
    if (given?.kind === "integer" && given.value !== age) {
      errors.push({ path: subject.age, message: `${given.value} disagrees with ${subject.birthDate} ${formatDate(birth.date)}: ${age} completed years on the screening date ${formatDate(screening.date)}` });
      return;
    }
    const ageDecl = rules.fields.get(subject.age);
    if (ageDecl?.type === "integer" && (age < ageDecl.min || age > ageDecl.max)) {
      errors.push({ path: subject.birthDate, message: `gives age ${age} on ${formatDate(screening.date)}, outside ${ageDecl.min}–${ageDecl.max}` });
      return;
    }
    values.set(subject.age, { kind: "integer", value: age, display: `${age} (born ${formatDate(birth.date)})` });
  }

  function readLab(lab: CompiledLab, value: { value: number; unit?: unknown; uln?: unknown }): Fact | undefined {
    const label = lab.decl.label;
    const before = errors.length;
    let unit: string | undefined;
    let plausible: readonly [number, number];
    if (lab.units.size === 0) {
      if (value.unit !== undefined) errors.push({ path: `${lab.path}.unit`, message: `${label} has no unit: remove it (got ${shown(value.unit)})` });
      plausible = lab.decl.plausible ?? [0, Infinity];
    } else {
      unit = value.unit as string;
      const def = lab.units.get(unit);
      if (!def) {
        errors.push({ path: `${lab.path}.unit`, message: `expected one of ${[...lab.units.keys()].map((u) => JSON.stringify(u)).join(", ")}, got ${shown(unit)}` });
        return undefined;
      }
      plausible = def.plausible;
    }
    const inRange = (x: number, r: readonly [number, number]) => x >= r[0] && x <= r[1];
    // A number that fits another unit's range is most likely in that unit: say so.
    const likelyUnit = (x: number) => {
      const fits = [...lab.units].filter(([u, d]) => u !== unit && inRange(x, d.plausible)).map(([u]) => u);
      return fits.length ? `; it looks like a value in ${fits.join(" or ")}` : "";
    };
    if (!inRange(value.value, plausible)) {
      errors.push({ path: `${lab.path}.value`, message: `${value.value}${unit ? ` ${unit}` : ""} is not a plausible ${label} (expected ${plausible[0]}–${plausible[1]}${unit ? ` ${unit}` : ""})${likelyUnit(value.value)}` });
    }
    let uln: Partial<Pick<Extract<Fact, { kind: "lab" }>, "uln" | "ulnText">> = {};
    if (value.uln !== undefined) {
      if (!lab.decl.readsUln) {
        warnings.push({ path: `${lab.path}.uln`, message: `not read for ${label}: ignored` });
      } else if (!inRange(value.uln as number, plausible)) {
        errors.push({ path: `${lab.path}.uln`, message: `${value.uln}${unit ? ` ${unit}` : ""} is not a plausible upper limit of normal for ${label} (expected ${plausible[0]}–${plausible[1]}${unit ? ` ${unit}` : ""}, in the value's unit)${likelyUnit(value.uln as number)}` });
      } else {
        uln = { uln: fromNumber(value.uln as number), ulnText: String(value.uln) };
      }
    }
    if (errors.length > before) return undefined;
    return { kind: "lab", value: fromNumber(value.value), valueText: String(Object.is(value.value, -0) ? 0 : value.value), ...(unit !== undefined ? { unit } : {}), ...uln };
  }

  /** Errors in the order of the fields they name, so reports read top to bottom. */
  function ordered(list: Problem[]): Problem[] {
    const rank = (path: string) => {
      const i = rules.fieldOrder.findIndex((f) => path === f || path.startsWith(`${f}.`) || f.startsWith(`${path}.`));
      return i < 0 ? -1 : i;
    };
    return list.map((p, i) => ({ p, i, r: rank(p.path) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.p);
  }
}

export type { CalendarDate };
