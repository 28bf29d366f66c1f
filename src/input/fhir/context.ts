/**
 * What the readers of one patient's resources share, passed explicitly: the rules and mapping, the
 * evidence being gathered, which resources were used, and — once known — the screening moment and
 * the current event's onset.
 */
import type { ResourceSource } from "../../result.js";
import type { CompiledRules } from "../../rules/compiled.js";
import type { CodeMatcher, Coding } from "../../rules/mapping/codes.js";
import type { FhirMapping } from "../../rules/mapping/fhir.js";
import { templateColumns } from "../../rules/mapping/csv.js";
import { formatInstant, type ZoneSource } from "../../time/instant.js";
import { Builder, type AdaptedRecord } from "./evidence.js";
import { readWhen, sameTime, type When } from "./time.js";
import { concepts, type Json } from "./values.js";

/** The options a Bundle is read with. */
export interface FhirContext {
  readonly rules: CompiledRules;
  readonly mapping: FhirMapping;
  /** The screening moment when the Bundle does not give one (--as-of, else now). */
  readonly screening?: { readonly ms: number; readonly offsetMin: number };
  readonly timeZone: ZoneSource;
}

export type BundleResult = { readonly ok: true; readonly patients: AdaptedRecord[] } | { readonly ok: false; readonly error: string };

/** One resource of the Bundle, with the reference it is named by in messages and sources. */
export interface Res {
  readonly json: Json;
  readonly type: string;
  readonly ref: string; // Type/id, else the fullUrl, else Type#entryN
  readonly fullUrl?: string;
}

/** The per-patient state the resource readers add to: explicit, never captured in a closure. */
export interface PatientContext {
  readonly rules: CompiledRules;
  readonly mapping: FhirMapping;
  readonly zone: ZoneSource;
  readonly b: Builder;
  /** Resources a reader recognised (used or deliberately not): the rest are listed as unmapped. */
  readonly used: Set<Res>;
  readonly unmapped: string[];
  /** Medication resources of the Bundle by reference and fullUrl. */
  readonly medications: ReadonlyMap<string, Res>;
  /** The patient's Encounters by reference and fullUrl. */
  readonly encounters: ReadonlyMap<string, Res>;
  readonly sameValue: (path: string, a: unknown, b: unknown) => boolean;
  /** Results of one path taken at the same instant that disagree: settled once the rest of the record is known. */
  readonly simultaneous: Map<string, { value: unknown; source: ResourceSource }[]>;
}

/** Resources by the references that may name them: Type/id and the entry's fullUrl. */
export function byReference(resources: readonly Res[]): Map<string, Res> {
  const out = new Map<string, Res>();
  for (const r of resources) {
    out.set(r.ref, r);
    if (r.fullUrl) out.set(r.fullUrl, r);
  }
  return out;
}

export function patientContext(ctx: FhirContext, medications: ReadonlyMap<string, Res>, encounters: ReadonlyMap<string, Res>): PatientContext {
  const zone = ctx.timeZone;
  const sameValue = (_path: string, a: unknown, b: unknown): boolean => {
    if (typeof a === "string" && typeof b === "string" && a !== b) {
      const same = sameTime(a, b, zone);
      if (same !== undefined) return same;
    }
    return JSON.stringify(a) === JSON.stringify(b);
  };
  // Sources are read in the order of a screening sheet.
  const b = new Builder(templateColumns(ctx.rules), sameValue);
  return { rules: ctx.rules, mapping: ctx.mapping, zone, b, used: new Set(), unmapped: [], medications, encounters, sameValue, simultaneous: new Map() };
}

/** The screening moment, once the questionnaire has had its say, and the time helpers that depend on it. */
export interface Clock {
  readonly screening: { readonly ms: number; readonly offsetMin: number } | undefined;
  readonly when: (value: unknown) => When | "partial" | undefined;
  readonly afterScreening: (w: When) => boolean;
  readonly screeningText: string | undefined;
}

export function clockAt(screening: Clock["screening"], zone: ZoneSource): Clock {
  const offset = screening?.offsetMin ?? 0;
  return {
    screening,
    when: (v) => readWhen(v, offset, zone),
    afterScreening: (w) => screening !== undefined && w.start > screening.ms,
    screeningText: screening ? formatInstant(screening.ms, screening.offsetMin) : undefined,
  };
}

/** "LOINC 2160-0", for messages. */
export function label(pc: PatientContext, c: Coding): string {
  return `${pc.mapping.label(c.system)} ${c.code ?? "?"}`;
}

export function firstMatch(concept: unknown, matcher: CodeMatcher): Coding | undefined {
  return concepts(concept).find((c) => matcher(c));
}
