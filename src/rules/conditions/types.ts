/**
 * Conditions as the engine uses them: compiled once from the rules file into a tagged union, so
 * every consumer (checking, evaluation, the planner, the walkers) dispatches on `kind` through
 * `visit` instead of re-deriving the kind from the object's shape. Constant words and exact
 * numbers are computed here once, not per record.
 */
import type { Rational } from "../../numbers/rational.js";
import type { CompareOp, FieldDecl, LabDecl, OrderOp, ScalarValue } from "../schema.js";

export interface AllCondition {
  readonly kind: "all";
  readonly parts: readonly Condition[];
}

export interface AnyCondition {
  readonly kind: "any";
  readonly parts: readonly Condition[];
}

export interface NotCondition {
  readonly kind: "not";
  readonly part: Condition;
}

export interface CompareCondition {
  readonly kind: "compare";
  readonly field: string;
  readonly op: CompareOp;
  /** As written: a single value, or an array for `in` and `between`. */
  readonly value: ScalarValue | readonly ScalarValue[];
  /** The value(s) as a list (a single value is a list of one). */
  readonly list: readonly ScalarValue[];
  readonly falseIsUnknown?: string;
}

export interface ElapsedCondition {
  readonly kind: "elapsed";
  readonly since: string;
  readonly min?: string;
  readonly max?: string;
  /** The bounds in milliseconds (−∞ / +∞ when absent). */
  readonly minMs: number;
  readonly maxMs: number;
  /** "24 h to 14 days": the window in words. */
  readonly window: string;
}

export interface LabLimitCondition {
  readonly kind: "labLimit";
  readonly lab: string;
  readonly op: OrderOp;
  readonly value: string;
  readonly limit: Rational;
  readonly unit?: string;
}

export interface LabUlnCondition {
  readonly kind: "labUln";
  readonly lab: string;
  readonly op: OrderOp;
  readonly timesUln: string;
  readonly times: Rational;
}

export interface WithinMonthsCondition {
  readonly kind: "withinMonths";
  readonly field: string;
  readonly months: number;
}

export type Condition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | CompareCondition
  | ElapsedCondition
  | LabLimitCondition
  | LabUlnCondition
  | WithinMonthsCondition;

export type ConditionKind = Condition["kind"];

/** One handler per kind; `visit` calls the one for the node's kind. */
export type ConditionVisitor<A, R> = { readonly [K in ConditionKind]: (cond: Extract<Condition, { kind: K }>, arg: A) => R };

/** What a kind's cross-check sees of the rules file (before it is compiled). */
export interface CheckScope {
  readonly fields: ReadonlyMap<string, FieldDecl>;
  readonly labs: Readonly<Record<string, LabDecl>>;
  readonly labPaths: ReadonlySet<string>;
  readonly problems: { path: string; message: string }[];
}
