/**
 * ISO 8601 timestamps with their UTC offset kept: the offset decides the screening date and how
 * a date-only value is read, so it travels with the instant.
 */
import { TZDate, tzOffset } from "@date-fns/tz";
import { type CalendarDate, daysInMonth, parseDate, utcMs } from "./calendar.js";

export interface Instant {
  readonly ms: number; // epoch milliseconds
  readonly offsetMin: number; // the offset the value was written in (or read in)
}

export type ParsedTime =
  | {
      readonly kind: "instant";
      readonly instant: Instant;
      readonly offsetGiven: boolean;
      /** Read in a zone at a wall-clock time its clocks skipped (a DST gap): read with the offset before the jump. */
      readonly skipped?: boolean;
    }
  | { readonly kind: "date"; readonly date: CalendarDate };

// ISO 8601 extended format: any number of fractional digits (after "." or ","), offsets ±hh:mm,
// ±hhmm or ±hh. Digits past the millisecond are kept as a fraction of one, so nothing is rounded.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Reads a timestamp; without an offset it is read as wall-clock time in `localZone`
 * (an IANA zone name, the machine's by default). `allowDate` accepts YYYY-MM-DD as a whole day.
 */
/** A zone name, or a way to get one only when a timestamp without an offset needs it (the lookup is slow). */
export type ZoneSource = string | (() => string);

export function zoneName(zone: ZoneSource): string {
  return typeof zone === "string" ? zone : zone();
}

export function parseTime(text: string, localZone: ZoneSource, allowDate: boolean): ParsedTime | null {
  if (allowDate) {
    const date = parseDate(text);
    if (date) return { kind: "date", date };
  }
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  // Read one by one, not through an array of indices: this runs for every timestamp of every record.
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6] ?? 0);
  const digits = m[7] ?? "";
  const frac = digits === "" ? 0 : Number(digits.slice(0, 3).padEnd(3, "0"));
  const subMs = digits.length > 3 ? Number(`0.${digits.slice(3)}`) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const wall = utcMs(y, mo - 1, d, h, mi, s, frac); // the written wall-clock time, as if in UTC
  const zone = m[8];
  if (zone === undefined) {
    const zone = zoneName(localZone);
    const local = new TZDate(y >= 100 ? y : 2000, mo - 1, y >= 100 ? d : 1, h, mi, s, frac, zone);
    if (y < 100) local.setFullYear(y, mo - 1, d); // the Date constructor reads years 0–99 as 19xx
    const ms = local.getTime();
    // The offset actually applied: in a DST gap the zone's offset at the resulting instant is the
    // one after the jump, which would misstate how the written time was read.
    const offsetMin = Math.round((wall - ms) / MINUTE);
    const skipped = offsetMin !== tzOffset(zone, new Date(ms));
    return { kind: "instant", instant: { ms: ms + subMs, offsetMin }, offsetGiven: false, ...(skipped ? { skipped } : {}) };
  }
  const offsetMin = zone === "Z" ? 0 : offsetMinutes(zone);
  if (offsetMin === null || Math.abs(offsetMin) > 18 * 60) return null;
  return { kind: "instant", instant: { ms: wall - offsetMin * MINUTE + subMs, offsetMin }, offsetGiven: true };
}

/** "+05:45", "+0545", "+05" → 345, 345, 300; null when the minutes are not 00–59 ("+05:75"). */
function offsetMinutes(zone: string): number | null {
  const sign = zone.startsWith("-") ? -1 : 1;
  const body = zone.slice(1).replace(":", "");
  const hh = Number(body.slice(0, 2));
  const mm = Number(body.slice(2) || "0");
  if (mm > 59) return null;
  return sign * (hh * 60 + mm);
}

/** Whether `zone` is an IANA time zone name this runtime knows ("Asia/Shanghai", "UTC"). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// The offsets a batch meets are few (its sites' zones), and each result writes several: each is worded once.
const offsetTexts = new Map<number, string>();

export function formatOffset(offsetMin: number): string {
  let text = offsetTexts.get(offsetMin);
  if (text === undefined) {
    const sign = offsetMin < 0 ? "-" : "+";
    const abs = Math.abs(offsetMin);
    text = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    if (offsetTexts.size < 1024) offsetTexts.set(offsetMin, text);
  }
  return text;
}

/** The calendar date of an instant in its own offset. */
export function dateOf(instant: Instant): CalendarDate {
  const local = new Date(instant.ms + instant.offsetMin * MINUTE);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

/** The first millisecond of `date` in the given offset. */
export function startOfDay(date: CalendarDate, offsetMin: number): number {
  return utcMs(date.y, date.m - 1, date.d) - offsetMin * MINUTE;
}

/** "2026-11-21 14:30 +08:00": how a clinician reads a moment, in the offset it belongs to. */
export function formatInstant(ms: number, offsetMin: number): string {
  // Plain arithmetic on the shifted instant: zone-library formatting costs a lookup per call.
  const local = new Date(ms + offsetMin * MINUTE);
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${String(local.getUTCFullYear()).padStart(4, "0")}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`;
  // Seconds and milliseconds only when present: near a limit they are what decides, and a reason
  // that rounds 09:00:00.001 to 09:00 would contradict its own outcome.
  const s = local.getUTCSeconds();
  const msPart = local.getUTCMilliseconds();
  const seconds = s || msPart ? `:${two(s)}${msPart ? `.${String(msPart).padStart(3, "0")}` : ""}` : "";
  return `${date} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}${seconds} ${formatOffset(offsetMin)}`;
}

/**
 * "3 d 4 h 30 min", "20 h", "45 min", "23 h 59 min 59.999 s", "0 min": exact, never rounded, unless
 * `toMinute` (for the ends of a whole day, whose last millisecond is no real time of day).
 */
export function formatDuration(ms: number, toMinute = false): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const parts: string[] = [];
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (rest && !toMinute) parts.push(`${rest % 1000 ? (rest / 1000).toFixed(3) : rest / 1000} s`);
  return sign + (parts.length ? parts.join(" ") : "0 min");
}

/** "24h", "14d", "90min" as used in the rules file. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(min|h|d)$/.exec(text);
  if (!m) return null;
  const unit = m[2] === "min" ? MINUTE : m[2] === "h" ? HOUR : DAY;
  return Number(m[1]) * unit;
}
