/** all / any / not: Kleene connectives over parts. Nothing of their own to check or read. */
import type { ConditionDecl } from "../schema.js";
import type { AllCondition, AnyCondition, Condition, NotCondition } from "./types.js";

type Compile = (raw: ConditionDecl) => Condition;

export function compileAll(raw: { all: ConditionDecl[] }, compile: Compile): AllCondition {
  return { kind: "all", parts: raw.all.map(compile) };
}

export function compileAny(raw: { any: ConditionDecl[] }, compile: Compile): AnyCondition {
  return { kind: "any", parts: raw.any.map(compile) };
}

export function compileNot(raw: { not: ConditionDecl }, compile: Compile): NotCondition {
  return { kind: "not", part: compile(raw.not) };
}
