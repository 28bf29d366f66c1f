/**
 * The one dispatch on a condition's kind (`visit`), and what every consumer builds on it: compiling
 * the file's form, the children of a node, walking a tree, the record paths a node reads, and the
 * cross-checks. Evaluation is the engine's (`src/engine/evaluate.ts`), through the same `visit`.
 */
import type { ConditionDecl } from "../schema.js";
import { checkCompare, compileCompare, readsCompare } from "./compare.js";
import { checkElapsed, compileElapsed, readsElapsed } from "./elapsed.js";
import { checkLabLimit, checkLabUln, compileLabLimit, compileLabUln, readsLabLimit, readsLabUln } from "./lab.js";
import { compileAll, compileAny, compileNot } from "./logic.js";
import type { CheckScope, Condition, ConditionVisitor } from "./types.js";
import { checkWithinMonths, compileWithinMonths, readsWithinMonths } from "./within-months.js";

export type * from "./types.js";

/** Calls the visitor's handler for `cond`'s kind. Exhaustive: a new kind does not compile until handled. */
export function visit<A, R>(cond: Condition, visitor: ConditionVisitor<A, R>, arg: A): R {
  switch (cond.kind) {
    case "all":
      return visitor.all(cond, arg);
    case "any":
      return visitor.any(cond, arg);
    case "not":
      return visitor.not(cond, arg);
    case "compare":
      return visitor.compare(cond, arg);
    case "elapsed":
      return visitor.elapsed(cond, arg);
    case "labLimit":
      return visitor.labLimit(cond, arg);
    case "labUln":
      return visitor.labUln(cond, arg);
    case "withinMonths":
      return visitor.withinMonths(cond, arg);
  }
}

/**
 * The rules file's form → the compiled form. The only place that tells the kinds apart by their
 * keys (the file format has no `kind`); the schema has already admitted exactly one shape.
 */
export function compileCondition(raw: ConditionDecl): Condition {
  if ("field" in raw) return compileCompare(raw);
  if ("all" in raw) return compileAll(raw, compileCondition);
  if ("any" in raw) return compileAny(raw, compileCondition);
  if ("not" in raw) return compileNot(raw, compileCondition);
  if ("elapsed" in raw) return compileElapsed(raw);
  if ("withinMonths" in raw) return compileWithinMonths(raw);
  return "timesUln" in raw ? compileLabUln(raw) : compileLabLimit(raw);
}

const NONE: readonly Condition[] = Object.freeze([]);

const CHILDREN: ConditionVisitor<void, readonly Condition[]> = {
  all: (c) => c.parts,
  any: (c) => c.parts,
  not: (c) => [c.part],
  compare: () => NONE,
  elapsed: () => NONE,
  labLimit: () => NONE,
  labUln: () => NONE,
  withinMonths: () => NONE,
};

/** The direct parts of a node (none for a leaf). */
export function children(cond: Condition): readonly Condition[] {
  return visit(cond, CHILDREN, undefined);
}

/** Every node below `cond`, itself included, depth first. */
export function* walk(cond: Condition): Generator<Condition> {
  yield cond;
  for (const child of children(cond)) yield* walk(child);
}

/** Every node with its polarity: false below an odd number of `not`s. */
export function* walkPolar(cond: Condition, positive = true): Generator<readonly [Condition, boolean]> {
  yield [cond, positive];
  const flip = cond.kind === "not" ? !positive : positive;
  for (const child of children(cond)) yield* walkPolar(child, flip);
}

const READS: ConditionVisitor<void, readonly string[]> = {
  all: () => NONE_PATHS,
  any: () => NONE_PATHS,
  not: () => NONE_PATHS,
  compare: readsCompare,
  elapsed: readsElapsed,
  labLimit: readsLabLimit,
  labUln: readsLabUln,
  withinMonths: readsWithinMonths,
};
const NONE_PATHS: readonly string[] = Object.freeze([]);

/** The record paths a node itself reads (a connective reads none; walk the tree for all of them). */
export function readsOf(cond: Condition): readonly string[] {
  return visit(cond, READS, undefined);
}

/** The record paths anything in the tree reads, in order, each once. */
export function readsBelow(cond: Condition): Set<string> {
  const paths = new Set<string>();
  for (const node of walk(cond)) for (const p of readsOf(node)) paths.add(p);
  return paths;
}

/** Whether anything in the tree looks at the screening time (a window or a look-back). */
export function readsScreeningTime(cond: Condition): boolean {
  for (const node of walk(cond)) if (node.kind === "elapsed" || node.kind === "withinMonths") return true;
  return false;
}

interface CheckAt {
  readonly at: string;
  readonly scope: CheckScope;
}

const CHECKS: ConditionVisitor<CheckAt, void> = {
  all: (c, { at, scope }) => c.parts.forEach((p, i) => checkCondition(p, `${at}.all[${i}]`, scope)),
  any: (c, { at, scope }) => c.parts.forEach((p, i) => checkCondition(p, `${at}.any[${i}]`, scope)),
  not: (c, { at, scope }) => checkCondition(c.part, `${at}.not`, scope),
  compare: (c, { at, scope }) => checkCompare(c, at, scope),
  elapsed: (c, { at, scope }) => checkElapsed(c, at, scope),
  labLimit: (c, { at, scope }) => checkLabLimit(c, at, scope),
  labUln: (c, { at, scope }) => checkLabUln(c, at, scope),
  withinMonths: (c, { at, scope }) => checkWithinMonths(c, at, scope),
};

/** Cross-checks a schema cannot express (declared fields and labs, values that fit), into `scope.problems`. */
export function checkCondition(cond: Condition, at: string, scope: CheckScope): void {
  visit(cond, CHECKS, { at, scope });
}
