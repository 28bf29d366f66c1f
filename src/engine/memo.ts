/**
 * Criteria decided again and again from the same few facts (yes/no fields, enum words, small
 * scores) are remembered: a criterion built only of compare and all/any/not reads nothing but
 * its fields' facts and the rules, so when every fact it reads is a shared one (one object per
 * value, src/record/facts.ts) or absent, the same facts give the same outcome and reason. The
 * row is remembered by those fact objects and a fresh one is made for each record (no object
 * is shared between results; strings are immutable).
 */
import { type Facts, isShared } from "../record/facts.js";
import type { CompiledCriterion, CompiledRules } from "../rules/compiled.js";
import { readsBelow, walk } from "../rules/conditions/index.js";
import type { Condition } from "../rules/conditions/types.js";
import type { CriterionOutcome } from "../result.js";

/** What a remembered row holds beyond the criterion's own words. */
type Row = Pick<CriterionOutcome, "outcome" | "reason" | "needs">;
type Level = Map<unknown, Level | Row>;

export interface Memo {
  /** The record paths the criterion reads, in a fixed order. */
  readonly paths: readonly string[];
  /** Their slots in the facts (resolved on first use, the layout being one per rules). */
  slots: readonly number[] | undefined;
  readonly root: Level;
  size: number;
}

/** Rows kept per criterion: the product of a few fields' values stays well below it. */
const MAX_ROWS = 1024;

const memos = new WeakMap<CompiledRules, readonly (Memo | null)[]>();

/** Kinds that read only their fields' facts and the rules (not the screening time, not labs). */
const PLAIN = new Set<Condition["kind"]>(["all", "any", "not", "compare"]);

function plain(cond: Condition | undefined): boolean {
  if (!cond) return true;
  for (const node of walk(cond)) if (!PLAIN.has(node.kind)) return false;
  return true;
}

/** Per criterion of the rules (in order), its memo, or null when it reads more than plain facts. */
export function memosFor(rules: CompiledRules): readonly (Memo | null)[] {
  let out = memos.get(rules);
  if (!out) {
    out = rules.criteria.map((c: CompiledCriterion) => {
      if (!plain(c.condition) || !plain(c.appliesWhen)) return null;
      const paths = new Set(readsBelow(c.condition));
      if (c.appliesWhen) for (const p of readsBelow(c.appliesWhen)) paths.add(p);
      return { paths: [...paths], slots: undefined, root: new Map(), size: 0 };
    });
    memos.set(rules, out);
  }
  return out;
}

function slotsOf(memo: Memo, facts: Facts): readonly number[] {
  // A path with no slot is never a fact: slot -1 reads as absent.
  memo.slots ??= memo.paths.map((p) => facts.layout.slotOf.get(p) ?? -1);
  return memo.slots;
}

/**
 * The criterion's row for these facts: remembered (a fresh object), or made by `evaluate` and
 * remembered when every fact read is shared or absent.
 */
export function recall(memo: Memo, criterion: CompiledCriterion, facts: Facts, evaluate: () => CriterionOutcome): CriterionOutcome {
  const slots = slotsOf(memo, facts);
  let level = memo.root;
  for (let i = 0; i < slots.length; i++) {
    const fact = slots[i]! < 0 ? undefined : facts.slots[slots[i]!];
    if (fact !== undefined && !isShared(fact)) return evaluate(); // a value of its own: not remembered
    const next = level.get(fact);
    if (next === undefined) return remember(memo, slots, facts, evaluate());
    if (i === slots.length - 1) return rowOf(criterion, next as Row);
    level = next as Level;
  }
  return evaluate(); // a criterion that reads no field: nothing to key it by
}

function remember(memo: Memo, slots: readonly number[], facts: Facts, made: CriterionOutcome): CriterionOutcome {
  // Only what a plain criterion can produce is kept; anything else (a recheck time) is not.
  if (memo.size >= MAX_ROWS || made.recheckAt !== undefined || slots.length === 0) return made;
  let level = memo.root;
  for (let i = 0; i < slots.length - 1; i++) {
    const fact = slots[i]! < 0 ? undefined : facts.slots[slots[i]!];
    let next = level.get(fact) as Level | undefined;
    if (next === undefined) level.set(fact, (next = new Map()));
    level = next;
  }
  const last = slots[slots.length - 1]!;
  const row: Row = made.needs === undefined ? { outcome: made.outcome, reason: made.reason } : { outcome: made.outcome, reason: made.reason, needs: [...made.needs] };
  level.set(last < 0 ? undefined : facts.slots[last], row);
  memo.size++;
  return made;
}

/** A fresh row with the criterion's words, keys in the order evaluateCriterion writes them. */
function rowOf(c: CompiledCriterion, row: Row): CriterionOutcome {
  const { id, category, text } = c;
  if (row.needs === undefined) return { id, category, text, outcome: row.outcome, reason: row.reason };
  return { id, category, text, outcome: row.outcome, reason: row.reason, needs: [...row.needs] };
}
