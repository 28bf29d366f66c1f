/**
 * A record after validation and normalisation: one typed fact per known field. A path with no
 * fact is unknown; `{ kind: "none" }` is a known none (a nullable field given as null).
 */
import type { Rational } from "../numbers/rational.js";
import type { CalendarDate } from "../time/calendar.js";

export type Fact =
  | { readonly kind: "none" }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "text"; readonly value: string }
  | { readonly kind: "integer"; readonly value: number; readonly display?: string }
  /** An instant is start = end; a date-only value covers [start, end] of that day. */
  | { readonly kind: "time"; readonly start: number; readonly end: number; readonly offsetMin: number; readonly dateOnly: boolean; readonly text: string }
  | { readonly kind: "date"; readonly date: CalendarDate }
  | {
      readonly kind: "lab";
      readonly value: Rational;
      readonly valueText: string;
      readonly unit?: string;
      readonly uln?: Rational;
      readonly ulnText?: string;
    };

export interface Screening {
  readonly ms: number;
  readonly offsetMin: number;
  readonly date: CalendarDate;
}

/**
 * Where each declared path's fact sits in a record's `slots`: one slot per field and lab path, in
 * the rules' order, numbered once per rules. A record then fills an array, not a map of its own.
 */
export interface FactLayout {
  readonly slotOf: ReadonlyMap<string, number>;
  /** The path of each slot (slot i holds the fact of paths[i]). */
  readonly paths: readonly string[];
}

export interface Facts {
  /** One entry per slot of `layout`; undefined is an unknown fact. */
  readonly slots: readonly (Fact | undefined)[];
  readonly layout: FactLayout;
  readonly screening: Screening;
}

/** The fact at a record path, or undefined when it is unknown (or no declared path). */
export function factAt(facts: Facts, path: string): Fact | undefined {
  const slot = facts.layout.slotOf.get(path);
  return slot === undefined ? undefined : facts.slots[slot];
}

const sharedFacts = new WeakSet<Fact>();

/**
 * Marks a fact as one object shared by every record that has that value (a yes, a no, a none, an
 * enum word, a small integer), frozen: whatever is decided from such facts alone is the same for
 * every record that has them, so the engine may remember it (src/engine/memo.ts).
 */
export function sharedFact<F extends Fact>(fact: F): F {
  Object.freeze(fact);
  sharedFacts.add(fact);
  return fact;
}

export function isShared(fact: Fact): boolean {
  return sharedFacts.has(fact);
}
