/**
 * Reading times: the screening moment (the record's, --as-of, or the clock with a warning), and a
 * timestamp field (an instant, or a date-only value as the whole day in the screening offset).
 */
import { tzOffset } from "@date-fns/tz";
import { compareDates, formatDate } from "../time/calendar.js";
import { DAY, type Instant, dateOf, formatInstant, formatOffset, parseTime, startOfDay, zoneName } from "../time/instant.js";
import { expectation, shown } from "./describe.js";
import type { Fact, Screening } from "./facts.js";
import { isBad, type Problem, type Reading } from "./reading.js";

/** The screening moment; `value` is the record's screenedAt (undefined when absent). */
export function readScreening(r: Reading, value: unknown): Screening | undefined {
  const { options } = r;
  const path = r.rules.file.subject.screenedAt;
  if (value !== undefined && !isBad(r, path)) {
    const time = parseTime(value as string, options.timeZone, false);
    if (!time || time.kind !== "instant") {
      r.errors.push({ path, message: `expected an ISO 8601 timestamp with a time of day and a UTC offset, e.g. 2026-11-24T09:00:00+08:00, got ${shown(value)}` });
      return undefined;
    }
    if (!time.offsetGiven) r.warnings.push(noOffset(r, path, time.instant, time.skipped));
    return { ...time.instant, date: dateOf(time.instant) };
  }
  if (value !== undefined) return undefined;
  if (options.asOf) {
    if (options.asOfLocal) r.warnings.push({ path, message: `no screenedAt: screened as of --as-of ${options.asOfLocal.text}, which has no UTC offset: ${localReading(r, options.asOf, options.asOfLocal.skipped)}` });
    return { ...options.asOf, date: dateOf(options.asOf) };
  }
  if (options.now !== undefined) {
    const instant = { ms: options.now, offsetMin: tzOffset(zoneName(options.timeZone), new Date(options.now)) };
    r.warnings.push({ path, message: `no screenedAt and no --as-of: screened as of now (${formatInstant(instant.ms, instant.offsetMin)}); give one for a reproducible result` });
    return { ...instant, date: dateOf(instant) };
  }
  r.errors.push({ path, message: "needed: the record has no screenedAt and no screening time (asOf) was given" });
  return undefined;
}

function noOffset(r: Reading, path: string, instant: Instant, skipped?: boolean): Problem {
  return { path, message: `no UTC offset: ${localReading(r, instant, skipped)}` };
}

function localReading(r: Reading, instant: Instant, skipped?: boolean): string {
  const zone = zoneName(r.options.timeZone);
  const gap = skipped ? `; that wall-clock time does not exist there (the clocks moved forward), so it is ${formatInstant(instant.ms, tzOffset(zone, new Date(instant.ms)))}` : "";
  return `read in local time ${zone} (${formatOffset(instant.offsetMin)})${gap}`;
}

/** A timestamp field's fact, or undefined (with an error, or when a date-only value has no screening day to be read in). */
export function readTime(r: Reading, path: string, text: string, allowDate: boolean, notAfter: boolean): Fact | undefined {
  const decl = r.rules.fields.get(path)!;
  const { screening } = r;
  const time = parseTime(text, r.options.timeZone, allowDate);
  if (!time) {
    r.errors.push({ path, message: `expected ${expectation(decl)}, got ${shown(text)}` });
    return undefined;
  }
  if (time.kind === "instant") {
    if (!time.offsetGiven) r.warnings.push(noOffset(r, path, time.instant, time.skipped));
    if (notAfter && screening && time.instant.ms > screening.ms) {
      r.errors.push({ path, message: `${text} is after screenedAt (${formatInstant(screening.ms, screening.offsetMin)})` });
      return undefined;
    }
    return { kind: "time", start: time.instant.ms, end: time.instant.ms, offsetMin: time.instant.offsetMin, dateOnly: false, text };
  }
  if (!screening) return undefined;
  const order = compareDates(time.date, screening.date);
  if (order > 0) {
    r.errors.push({ path, message: `${text} is after the screening date ${formatDate(screening.date)}` });
    return undefined;
  }
  const start = startOfDay(time.date, screening.offsetMin);
  const end = order === 0 ? screening.ms : start + DAY - 1;
  r.warnings.push({
    path,
    message: `a date without a time: read as the whole day ${text} (${formatOffset(screening.offsetMin)})${order === 0 ? " up to screenedAt" : ""}; a time window is decided only when every moment of that day agrees`,
  });
  return { kind: "time", start, end, offsetMin: screening.offsetMin, dateOnly: true, text };
}
