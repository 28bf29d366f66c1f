import { and, type Truth } from "../../logic/kleene.js";
import type { AllCondition, Condition } from "../../rules/conditions/types.js";
import { type Evaluate, type EvalContext, type Evaluator, type Finding, NO_NEEDS, type NeedPhrase } from "../types.js";

/** Kleene AND. A false part decides (and alone explains) the result; unknown parts say what they need. */
export const all: Evaluator<AllCondition> = (cond, ctx, evaluate) => {
  const parts = evaluateParts(cond.parts, ctx, evaluate);
  const truth = and(truths(parts));
  if (truth === false) {
    const failing = parts.filter((p) => p.truth === false);
    return withRecheck({ truth, reason: join(failing), needs: NO_NEEDS }, parts.some((p) => p.truth === null) ? undefined : latest(failing));
  }
  if (truth === true) return { truth, reason: join(parts), needs: NO_NEEDS };
  // To hold, every open part must; to fail, any one false part is enough.
  return open(parts, ctx.want ? "and" : "or", parts.filter((p) => p.truth === true));
};

/** Each part's finding, in order (a loop: connectives run a few dozen times per record). */
export function evaluateParts(conds: readonly Condition[], ctx: EvalContext, evaluate: Evaluate): Finding[] {
  const out = new Array<Finding>(conds.length);
  for (let i = 0; i < conds.length; i++) out[i] = evaluate(conds[i]!, ctx);
  return out;
}

export function truths(parts: readonly Finding[]): Truth[] {
  const out = new Array<Truth>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parts[i]!.truth;
  return out;
}

/**
 * An unknown connective: the parts already given first, as a person tells it ("pregnant; needs
 * demographics.sex (sex)"), then what the open parts need, joined by `connective` when each is a
 * plain "needs …" (else their reasons side by side).
 */
export function open(parts: readonly Finding[], connective: "and" | "or", given: readonly Finding[] = []): Finding {
  const openParts = parts.filter((p) => p.truth === null);
  const needs = unique(openParts.flatMap((p) => p.needs));
  const context = given.length ? `${join(given)}; ` : "";
  const phrase = combine(openParts, connective);
  if (phrase === undefined) return { truth: null, reason: context + join(openParts), needs };
  const reason = `${context}needs ${phrase.text}`;
  return context ? { truth: null, reason, needs } : { truth: null, reason, needs, phrase };
}

/**
 * "A and B", "A, B and C", "A or B"; a group joined the other way is marked off in words ("A,
 * either B or C, and D"; "A or both B and C"), so the phrase reads one way only.
 */
function combine(parts: readonly Finding[], connective: "and" | "or"): NeedPhrase | undefined {
  if (!parts.every((p) => p.phrase !== undefined)) return undefined;
  if (parts.length === 1) return parts[0]!.phrase;
  let grouped = false;
  const words = parts.map((p) => {
    const { text, join, size } = p.phrase!;
    if (!join || join === connective) return text;
    grouped = true;
    return join === "or" ? `either ${text}` : `${size === 2 ? "both" : "all of"} ${text}`;
  });
  const size = parts.reduce((n, p) => n + (p.phrase!.join === connective ? p.phrase!.size : 1), 0);
  if (connective === "or") return { text: words.join(" or "), join: "or", size };
  const last = words.pop()!;
  return { text: `${words.join(", ")}${grouped || words.length > 1 ? "," : ""} and ${last}`, join: "and", size };
}

/** The last instant at which a false part turns true (all must), or undefined if one never does. */
function latest(parts: readonly Finding[]): number | undefined {
  let at = -Infinity;
  for (const p of parts) {
    if (p.recheckAt === undefined) return undefined;
    at = Math.max(at, p.recheckAt);
  }
  return Number.isFinite(at) ? at : undefined;
}

export function withRecheck(finding: Finding, recheckAt: number | undefined): Finding {
  return recheckAt === undefined ? finding : { ...finding, recheckAt };
}

export function join(parts: readonly Finding[]): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) out += i ? `; ${parts[i]!.reason}` : parts[i]!.reason;
  return out;
}

export function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
