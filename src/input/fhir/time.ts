/** FHIR times: dates, dateTimes and instants as intervals, and which element of a resource gives its time. */
import { parseDate } from "../../time/calendar.js";
import { DAY, parseTime, startOfDay, type ZoneSource } from "../../time/instant.js";
import { isObject, str, type Json } from "./values.js";

/** A time read from the Bundle: a date covers its whole day, an instant is one point. */
export interface When {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A FHIR date/dateTime/instant: a date covers its whole day (in the screening's offset); partial dates are not read. */
export function readWhen(value: unknown, offsetMin: number, zone: ZoneSource): When | "partial" | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  if (/^\d{4}(-\d{2})?$/.test(text)) return "partial";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : null;
  if (date) {
    const start = startOfDay(date, offsetMin);
    return { start, end: start + DAY - 1, text };
  }
  const parsed = parseTime(normaliseTime(text), zone, false);
  if (!parsed || parsed.kind !== "instant") return undefined;
  return { start: parsed.instant.ms, end: parsed.instant.ms, text };
}

/** FHIR allows any number of fraction digits; the record's reader takes up to three. */
export function normaliseTime(text: string): string {
  return text.replace(/(\.\d{3})\d+/, "$1");
}

export interface TimeElement {
  readonly element: string;
  readonly value: unknown;
}

function periodTime(json: Json): TimeElement | undefined {
  if (!isObject(json.effectivePeriod)) return undefined;
  const p = json.effectivePeriod;
  if (p.end !== undefined) return { element: "effectivePeriod.end", value: p.end };
  if (p.start !== undefined) return { element: "effectivePeriod.start", value: p.start };
  return undefined;
}

/** An Observation's time: effective[x] (a period's end), else when it was issued. */
export function observationTime(json: Json): TimeElement | undefined {
  if (json.effectiveDateTime !== undefined) return { element: "effectiveDateTime", value: json.effectiveDateTime };
  if (json.effectiveInstant !== undefined) return { element: "effectiveInstant", value: json.effectiveInstant };
  const period = periodTime(json);
  if (period) return period;
  if (json.issued !== undefined) return { element: "issued", value: json.issued };
  return undefined;
}

/** A medication resource's time: effective[x] (a period's end), else when an order was authored. */
export function medicationTime(json: Json): TimeElement | undefined {
  if (json.effectiveDateTime !== undefined) return { element: "effectiveDateTime", value: json.effectiveDateTime };
  const period = periodTime(json);
  if (period) return period;
  if (json.authoredOn !== undefined) return { element: "authoredOn", value: json.authoredOn };
  return undefined;
}

/** A Procedure's time: performedDateTime, else the start of performedPeriod. */
export function procedureTime(json: Json): TimeElement | undefined {
  if (json.performedDateTime !== undefined) return { element: "performedDateTime", value: json.performedDateTime };
  if (isObject(json.performedPeriod)) return { element: "performedPeriod.start", value: json.performedPeriod.start };
  return undefined;
}

/** Whether a string holds a real date or time (not a partial date), compared as intervals. */
export function sameTime(a: string, b: string, zone: ZoneSource): boolean | undefined {
  const wa = readWhen(a, 0, zone);
  const wb = readWhen(b, 0, zone);
  if (typeof wa === "object" && typeof wb === "object") return wa.start === wb.start && wa.end === wb.end;
  return undefined;
}
