/** Small readers of FHIR JSON values: objects, strings, CodeableConcepts, statuses, short descriptions. */
import type { Coding } from "../../rules/mapping/codes.js";
import type { FhirMapping } from "../../rules/mapping/fhir.js";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The codings of a CodeableConcept. */
export function concepts(value: unknown): Coding[] {
  if (!isObject(value)) return [];
  return arr(value.coding).filter(isObject).map((c) => ({ system: str(c.system), code: str(c.code), display: str(c.display) }));
}

/** A status given as a code or as a CodeableConcept (clinicalStatus, verificationStatus). */
export function statusCode(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return concepts(value)[0]?.code;
}

/** `system|code`, as sources name a code. */
export function token(c: Coding): string {
  return `${c.system ?? ""}|${c.code ?? ""}`;
}

/** A short description of a value from the Bundle, for messages: never the whole of a large or deeply nested value. */
export function shortJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `(an array of ${value.length})`;
  if (typeof value === "object") return "(an object)";
  return `(${typeof value})`;
}

/** A record value for messages: "2.1 mg/dL" for a lab value, else briefly (never the whole of a large value). */
export function describeValue(value: unknown): string {
  if (isObject(value) && (typeof value.value === "number" || typeof value.value === "string")) {
    return `${String(value.value)}${typeof value.unit === "string" ? ` ${value.unit}` : ""}`;
  }
  return shortJson(value);
}

/** A concept's codes for messages ("LOINC 2160-0 / local X1"), or what it has instead. */
export function codesOf(concept: unknown, mapping: FhirMapping): string {
  const cs = concepts(concept);
  if (!cs.length) {
    const text = isObject(concept) ? str(concept.text) : undefined;
    return text ? `text "${text}" only` : "no code";
  }
  return cs.map((c) => `${mapping.label(c.system)} ${c.code ?? "?"}`).join(" / ");
}

/** True when `value` nests objects/arrays more than `limit` levels deep; iterative, and stops at the limit. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length; depth++) {
    const next: unknown[] = [];
    for (const v of level) if (v !== null && typeof v === "object") for (const child of Array.isArray(v) ? v : Object.values(v)) next.push(child);
    if (next.length && depth >= limit) return true;
    level = next;
  }
  return false;
}
