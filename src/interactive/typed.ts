/**
 * Typed text → the record's value (pure). One set of skip words for every prompt, numbers read as
 * the decimals they look like, and times given the offset they were meant in.
 */
import { tzOffset } from "@date-fns/tz";
import { inexactNumber } from "../text/json.js";
import { formatInstant, formatOffset, MINUTE, parseTime } from "../time/instant.js";

/**
 * What the banner advertises; blank counts too. Only words no list choice starts with: a list's
 * type-ahead would otherwise jump to a choice ("skip" → "severe").
 */
export const SKIP_WORDS = ["unknown", "?"] as const;

/** Returns to the previous question and undoes its answer (a list has a "back" choice too). */
export const BACK_WORD = "back";

export function isBack(raw: string): boolean {
  return raw.trim().toLowerCase() === BACK_WORD;
}

export function isSkip(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  return text === "" || (SKIP_WORDS as readonly string[]).includes(text);
}

export type TypedNumber = { readonly kind: "skip" } | { readonly kind: "number"; readonly value: number } | { readonly kind: "bad"; readonly message: string };

// Plain decimals only: Number() would also take "0x9", "0b1001", "1e3" and " ", which nobody
// means at the bedside and which the record could not show as typed.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function readNumber(raw: string): TypedNumber {
  if (isSkip(raw)) return { kind: "skip" };
  const text = raw.trim();
  if (!DECIMAL.test(text)) return { kind: "bad", message: `"${text}" is not a decimal number: type digits, with a point for decimals (e.g. 1.5), or “unknown” to skip` };
  const value = Number(text);
  const inexact = inexactNumber(text, value);
  return inexact ? { kind: "bad", message: inexact } : { kind: "number", value: Object.is(value, -0) ? 0 : value };
}

/** A lab's unit as the rules declare it: its symbol ("mg/dL") and, for some, a name ("BUN"). */
export interface UnitName {
  readonly unit: string;
  readonly name?: string;
}

export type TypedLab =
  | { readonly kind: "skip" }
  | { readonly kind: "number"; readonly value: number; readonly unit?: string }
  | { readonly kind: "bad"; readonly message: string };

/**
 * A lab value, optionally followed by its unit: "1.1", "1.1 mg/dL", "22 BUN". The unit is matched
 * against the lab's declared units (symbol or name, any case), so "80 umol/L" needs no unit question.
 */
export function readLabValue(raw: string, units: readonly UnitName[]): TypedLab {
  if (isSkip(raw)) return { kind: "skip" };
  const text = raw.trim();
  const split = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(\s*)(\S.*)$/.exec(text);
  if (!split) return readNumber(text);
  const [, digits, space, typedUnit] = split as unknown as [string, string, string, string];
  const unit = unitTyped(typedUnit, units);
  // "0x9" or "1e3" glued to the digits is a number misread, not a unit: say so as for any number.
  if (unit === undefined && !space) return readNumber(text);
  if (unit === undefined) {
    const known = units.map((u) => u.unit).join(", ");
    return { kind: "bad", message: units.length ? `"${typedUnit.trim()}" is not a unit of this lab: type the number alone, or with one of ${known}` : `this lab has no unit: type the number alone` };
  }
  const number = readNumber(digits);
  return number.kind === "number" ? { kind: "number", value: number.value, unit } : number;
}

/** The declared unit that `typed` names (symbol or name, any case), else undefined. */
export function unitTyped(typed: string, units: readonly UnitName[]): string | undefined {
  const text = typed.trim().toLowerCase();
  return units.find((u) => u.unit.toLowerCase() === text || u.name?.toLowerCase() === text)?.unit;
}

/**
 * Where a time typed without an offset is placed: in `offsetMin` when the screening time was
 * given with one (a record from another site keeps its own clock), else in `timeZone`.
 */
export interface TimeReading {
  readonly timeZone: string;
  readonly offsetMin?: number;
}

export interface TypedTime {
  /** The record's text: the typed time, with the offset it was read in. */
  readonly text: string;
  /** Set when the offset was not typed: which one was used, in words. */
  readonly readIn?: string;
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;
const ZONED_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(Z|[+-]\d{2}:\d{2})$/;

/**
 * Blank or a skip word = unknown; "now" = the clock; a space for the T; a time without offset gets
 * the reading's offset, so the saved record means the same everywhere. Anything else is returned
 * as typed, for the schema to judge.
 */
export function readTime(raw: string, reading: TimeReading, now: () => number): TypedTime | undefined {
  const text = raw.trim();
  if (isSkip(text)) return undefined;
  if (/^now$/i.test(text)) {
    const ms = now();
    const offset = reading.offsetMin ?? tzOffset(reading.timeZone, new Date(ms));
    return { text: isoAtOffset(ms, offset), readIn: readingWords(reading) };
  }
  const zoned = ZONED_TIME.exec(text);
  if (zoned) return { text: `${zoned[1]}T${zoned[2]}${zoned[3]}` };
  const local = LOCAL_TIME.exec(text);
  if (local) {
    const wall = `${local[1]}T${local[2]}`;
    const offset = reading.offsetMin !== undefined ? formatOffset(reading.offsetMin) : offsetInZone(wall, reading.timeZone);
    if (offset !== undefined) return { text: `${wall}${offset}`, readIn: readingWords(reading) };
  }
  return { text };
}

/** The text only (see readTime). */
export function normaliseTime(raw: string, timeZone: string, now: () => number, offsetMin?: number): string | undefined {
  return readTime(raw, offsetMin === undefined ? { timeZone } : { timeZone, offsetMin }, now)?.text;
}

export function normaliseDate(raw: string): string | undefined {
  return isSkip(raw) ? undefined : raw.trim();
}

/** "the screening time's offset" / "Asia/Shanghai, this machine's zone". */
export function readingWords(reading: TimeReading): string {
  return reading.offsetMin !== undefined ? "the screening time's offset" : `${reading.timeZone}, this machine's zone`;
}

/** The offset a timestamp was written with, or undefined when it has none (or is not one). */
export function offsetGiven(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const parsed = parseTime(text, "UTC", false);
  return parsed?.kind === "instant" && parsed.offsetGiven ? parsed.instant.offsetMin : undefined;
}

/** "2026-11-24T09:00:00+08:00": the moment `ms` as wall-clock time in `timeZone`, with its offset. */
export function isoInZone(ms: number, timeZone: string): string {
  return isoAtOffset(ms, tzOffset(timeZone, new Date(ms)));
}

export function isoAtOffset(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 19) + formatOffset(offsetMin);
}

/** "2026-12-01 17:44 +00:00": the moment to the minute, as shown beside a default. */
export function shownToMinute(ms: number, timeZone: string): string {
  return formatInstant(Math.floor(ms / MINUTE) * MINUTE, tzOffset(timeZone, new Date(ms)));
}

function offsetInZone(wall: string, timeZone: string): string | undefined {
  const parsed = parseTime(wall, timeZone, false);
  return parsed?.kind === "instant" ? formatOffset(parsed.instant.offsetMin) : undefined;
}
