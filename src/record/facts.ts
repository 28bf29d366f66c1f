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

export interface Facts {
  readonly values: ReadonlyMap<string, Fact>;
  readonly screening: Screening;
}
