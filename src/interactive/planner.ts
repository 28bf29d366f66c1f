/**
 * The question planner (pure): which field to ask next, derived from the rules and the record as
 * it stands, never from a list of stroke fields.
 *
 * The record is screened; every criterion still `unknown` names the record paths that would decide
 * it (`needs`), and only those are asked, each once per session. So a part that cannot matter is
 * never asked: with no heparin the aPTT part of EXC-02 is already false and aPTT is not needed.
 *
 * Order: the rules' field order (`rules.fieldOrder`), with two refinements read from the rules:
 *  - labs are asked just before the first field that a criterion reads together with a lab (in
 *    this trial: before the medications, as at the bedside: stroke → labs → medications → …),
 *    each lab's upper limit of normal right after it;
 *  - within an `all` condition, a part's fields wait until the fields of the parts before it are
 *    answered (or skipped): "heparin within 48 h AND aPTT ≥ 35 s" asks for heparin first, and
 *    aPTT only if the heparin answer leaves that part open.
 * Two more follow the rules' subject declaration and field declarations:
 *  - when the age is needed, the date of birth is asked first (it gives the age); the age is asked
 *    only when the date of birth is unknown;
 *  - a field named by another's `labelWhen` (the last-known-well flag of the stroke onset) is
 *    asked right after that field is answered in this session, while a criterion reading the
 *    field is still open (once INC-06 is decided, the flag can change no outcome).
 * And one the engine's `needs` cannot express: a lab's own ULN (from the patient's lab report) is
 * offered, skippable, when a `timesUln` part of the lab does not pass under the site range (and,
 * for a failing criterion, when some plausible ULN could still undo the fail). The site range
 * decides the part, so `needs` never names the ULN, yet the patient's own may differ.
 */
import type { CriterionOutcome } from "../engine/evaluate.js";
import type { CompiledCriterion, CompiledLab, CompiledRules } from "../rules/compiled.js";
import { readsBelow, walk, walkPolar } from "../rules/conditions/index.js";
import type { Condition, LabUlnCondition } from "../rules/conditions/types.js";
import { buildRecordSchema } from "../record/schema.js";
import { registerRecordSchema } from "../record/wording.js";
import { evaluateConditions, screen, type ScreenOptions, type ScreeningResult } from "../screen.js";
import { getAt, hasAt, isPlainObject, type JsonRecord, withValue } from "../text/paths.js";

// What a person types (or a draft holds) may be malformed: its errors are worded by zod (record/wording.ts).
registerRecordSchema(buildRecordSchema);

export type QuestionKind = "field" | "lab" | "uln";

export interface QuestionContext {
  readonly id: string;
  readonly text: string;
  /** The criterion's current reason (for an unknown criterion: what it is waiting for). */
  readonly reason?: string;
}

export interface Question {
  /** A declared field (`stroke.nihss`), a lab (`labs.alt`) or a lab's ULN (`labs.alt.uln`). */
  readonly path: string;
  readonly kind: QuestionKind;
  /** The criteria this answer can decide, in protocol order. */
  readonly criteria: readonly QuestionContext[];
  /** The record already holds a value here that does not decide (e.g. a date-only onset). */
  readonly present: boolean;
}

export interface Plan {
  readonly result: ScreeningResult;
  /** Everything that could still change an outcome, in asking order (before deferral). */
  readonly pending: readonly Question[];
  /** What to ask now, or undefined when nothing left can change an outcome. */
  readonly next?: Question;
}

interface RulesIndex {
  readonly rank: ReadonlyMap<string, number>;
  /** Per `all` node: the paths each part reads. */
  readonly conjunctions: readonly (readonly ReadonlySet<string>[])[];
  /** Path → the criteria whose conditions read it (sex and age also where they pick a site ULN). */
  readonly readers: ReadonlyMap<string, readonly CompiledCriterion[]>;
  /** Lab path → its `timesUln` parts (of labs whose ULN is read). */
  readonly ulnParts: ReadonlyMap<string, readonly UlnPart[]>;
  /** Field → the field that `labelWhen` names for it. */
  readonly companions: ReadonlyMap<string, string>;
}

interface UlnPart {
  readonly criterion: CompiledCriterion;
  readonly cond: LabUlnCondition;
  /** The part's truth that lets its criterion pass (a `not` above it flips it). */
  readonly passing: boolean;
}

const indexes = new WeakMap<CompiledRules, RulesIndex>();

/** The next question for `record`, or undefined. `asked` holds every path asked this session. */
export function nextQuestion(rules: CompiledRules, record: unknown, options: ScreenOptions, asked: ReadonlySet<string>): Question | undefined {
  return plan(rules, record, options, asked).next;
}

export function plan(rules: CompiledRules, record: unknown, options: ScreenOptions, asked: ReadonlySet<string>): Plan {
  const result = screen(record, rules, options);
  if (result.verdict === "error") return { result, pending: [] };
  const index = indexFor(rules);
  const subject = rules.file.subject;

  const needers = new Map<string, CriterionOutcome[]>();
  const need = (path: string, by: readonly CriterionOutcome[]) => {
    const list = needers.get(path) ?? [];
    for (const c of by) if (!list.includes(c)) list.push(c);
    needers.set(path, list);
  };
  for (const c of result.criteria) {
    if (c.outcome !== "unknown") continue;
    for (const path of c.needs ?? []) need(path, [c]);
  }
  // The date of birth gives the age: ask it first, and the age only when it is unknown.
  const ageNeeders = needers.get(subject.age);
  if (ageNeeders && !asked.has(subject.birthDate) && !hasAt(record, subject.birthDate)) need(subject.birthDate, ageNeeders);
  // Context: the criteria that need the path now, and the open ones that read it at all (sex
  // also picks a site ULN, so it can decide a lab criterion that does not name it).
  const contextOf = (path: string, by: readonly CriterionOutcome[]): QuestionContext[] => {
    const ids = new Set(by.map((c) => c.id));
    for (const c of index.readers.get(path) ?? []) ids.add(c.id);
    return result.criteria.filter((c) => ids.has(c.id) && c.outcome === "unknown").map((c) => ({ id: c.id, text: c.text, reason: c.reason }));
  };
  const candidates = new Map<string, QuestionContext[]>();
  for (const [path, by] of needers) candidates.set(path, contextOf(path, by));
  for (const [path, criteria] of ulnOffers(rules, index, record, options, result)) if (!candidates.has(path)) candidates.set(path, criteria);
  // A flag that qualifies a field just answered (onset → "is it the last-known-well time?"), asked
  // only while a criterion reading that field is open: once decided, the flag changes nothing.
  const undecided = (path: string) => (index.readers.get(path) ?? []).some((c) => result.criteria.some((o) => o.id === c.id && o.outcome === "unknown"));
  for (const [field, companion] of index.companions) {
    if (asked.has(field) && hasAt(record, field) && !hasAt(record, companion) && !candidates.has(companion) && undecided(field)) {
      candidates.set(companion, staticContext(index, field, result));
    }
  }

  const pending: Question[] = [];
  for (const [path, criteria] of candidates) {
    if (asked.has(path) || !index.rank.has(path)) continue;
    pending.push({ path, kind: kindOf(rules, path), criteria, present: hasAt(record, path) });
  }
  pending.sort((a, b) => index.rank.get(a.path)! - index.rank.get(b.path)!);

  const open = new Set(pending.map((q) => q.path));
  const waits = (path: string): boolean => {
    if (path === subject.age && open.has(subject.birthDate)) return true;
    for (const parts of index.conjunctions) {
      for (let j = 1; j < parts.length; j++) {
        if (!parts[j]!.has(path)) continue;
        for (let i = 0; i < j; i++) {
          for (const earlier of parts[i]!) if (earlier !== path && !parts[j]!.has(earlier) && open.has(earlier)) return true;
        }
      }
    }
    return false;
  };
  // If every open question waits on another (only possible with circular rules), ask in order.
  const next = pending.find((q) => !waits(q.path)) ?? pending[0];
  return next ? { result, pending, next } : { result, pending };
}

function kindOf(rules: CompiledRules, path: string): QuestionKind {
  if (rules.fields.has(path)) return "field";
  return path.endsWith(".uln") ? "uln" : "lab";
}

/**
 * The ULNs worth asking: a lab entered without one, whose `timesUln` part fails or is unknown under
 * the site range in a criterion still open or failing. With the part passing, the site range stands;
 * and when no plausible ULN would undo a failing criterion's fail (another part fails it anyway),
 * the question could change nothing.
 */
function ulnOffers(rules: CompiledRules, index: RulesIndex, record: unknown, options: ScreenOptions, result: ScreeningResult): Map<string, QuestionContext[]> {
  const offers = new Map<string, QuestionContext[]>();
  if (result.verdict === "error") return offers;
  const outcome = new Map(result.criteria.map((c) => [c.id, c.outcome]));
  for (const [labPath, parts] of index.ulnParts) {
    const uln = `${labPath}.uln`;
    if (!hasAt(record, labPath) || hasAt(record, uln)) continue;
    const live = parts.filter((p) => outcome.get(p.criterion.id) === "unknown" || outcome.get(p.criterion.id) === "fail");
    if (!live.length) continue;
    const findings = evaluateConditions(record, rules, options, live.map((p) => p.cond)) ?? [];
    const context: QuestionContext[] = [];
    live.forEach((p, i) => {
      const finding = findings[i];
      if (finding && finding.truth !== p.passing && !context.some((c) => c.id === p.criterion.id)) context.push({ id: p.criterion.id, text: p.criterion.text, reason: finding.reason });
    });
    // An open criterion may still turn on this part; a failing one only if no other part fails it.
    const failing = context.filter((c) => outcome.get(c.id) === "fail").map((c) => c.id);
    const changeable = failing.length ? outcomesAnUlnChanges(rules, record, options, labPath, failing) : new Set<string>();
    const worth = context.filter((c) => outcome.get(c.id) !== "fail" || changeable.has(c.id));
    if (worth.length) offers.set(uln, worth);
  }
  return offers;
}

/**
 * Of `ids`, the criteria whose outcome differs with the lab's ULN at either end of the plausible
 * range of its unit (the most and the least lenient ULN a lab report could give), while every
 * other lab still without a ULN gets the most lenient one (their answers may come too).
 */
function outcomesAnUlnChanges(rules: CompiledRules, record: unknown, options: ScreenOptions, labPath: string, ids: readonly string[]): Set<string> {
  const changed = new Set<string>();
  let base = record as JsonRecord;
  for (const other of rules.labs.values()) {
    const end = other.path !== labPath && other.decl.readsUln && !hasAt(base, `${other.path}.uln`) ? plausibleUlns(other, getAt(base, other.path))[0] : undefined;
    if (end !== undefined) base = withValue(base, `${other.path}.uln`, end);
  }
  const baseline = screen(base, rules, options);
  const lab = rules.labs.get(labPath.slice("labs.".length));
  if (!lab || baseline.verdict === "error") return changed;
  const before = new Map(baseline.criteria.map((c) => [c.id, c.outcome]));
  for (const uln of plausibleUlns(lab, getAt(record, labPath))) {
    const tried = screen(withValue(base, `${labPath}.uln`, uln), rules, options);
    if (tried.verdict === "error") continue;
    for (const c of tried.criteria) if (ids.includes(c.id) && c.outcome !== before.get(c.id)) changed.add(c.id);
  }
  return changed;
}

/** The highest and (when above 0) the lowest ULN plausible in the unit of the lab's value. */
function plausibleUlns(lab: CompiledLab, value: unknown): number[] {
  if (!isPlainObject(value)) return [];
  const range = lab.units.size === 0 ? (lab.decl.plausible ?? [0, Infinity]) : lab.units.get(String(value.unit))?.plausible;
  if (!range) return [];
  return [Number.isFinite(range[1]) ? range[1] : Number.MAX_SAFE_INTEGER, ...(range[0] > 0 ? [range[0]] : [])];
}

function staticContext(index: RulesIndex, path: string, result: ScreeningResult): QuestionContext[] {
  const outcomes = result.verdict === "error" ? [] : result.criteria;
  return (index.readers.get(path) ?? []).map((c) => {
    const now = outcomes.find((o) => o.id === c.id);
    return now ? { id: c.id, text: c.text, reason: now.reason } : { id: c.id, text: c.text };
  });
}

/** Every path the planner may ask, in asking order (the review lists the answers in it). */
export function questionOrder(rules: CompiledRules): readonly string[] {
  return [...indexFor(rules).rank.keys()];
}

function indexFor(rules: CompiledRules): RulesIndex {
  let index = indexes.get(rules);
  if (index) return index;

  const companions = new Map<string, string>();
  for (const [path, decl] of rules.fields) {
    if (decl.type === "timestamp" && decl.labelWhen) companions.set(path, decl.labelWhen.field);
  }
  // What a part reads, and the flag that qualifies a timestamp it reads (labelWhen).
  const readsOf = (cond: Condition): Set<string> => {
    const paths = readsBelow(cond);
    for (const path of paths) {
      const companion = companions.get(path);
      if (companion) paths.add(companion);
    }
    return paths;
  };

  // The subject's fields that pick a lab's site ULN (only for context: they are asked early anyway).
  const subject = rules.file.subject;
  const rangeSelectors = (cond: Condition): string[] => {
    if (cond.kind !== "labUln") return [];
    const ranges = rules.labs.get(cond.lab)?.siteUln?.ranges ?? [];
    const bySex = new Set(ranges.map((r) => r.sex)).size > 1;
    const byAge = ranges.some((r) => r.ageFrom !== undefined || r.ageBelow !== undefined);
    return [...(bySex ? [subject.sex] : []), ...(byAge ? [subject.age, subject.birthDate] : [])];
  };

  const readers = new Map<string, CompiledCriterion[]>();
  const ulnParts = new Map<string, UlnPart[]>();
  const conjunctions: ReadonlySet<string>[][] = [];
  const criterionReads: Set<string>[] = [];
  for (const criterion of rules.criteria) {
    const main = criterion.condition;
    const roots = [criterion.appliesWhen, main].filter((c): c is Condition => c !== undefined);
    const reads = new Set<string>();
    const context = new Set<string>();
    for (const root of roots) {
      for (const path of readsOf(root)) reads.add(path);
      for (const node of walk(root)) {
        if (node.kind === "all") conjunctions.push(node.parts.map(readsOf));
        for (const path of rangeSelectors(node)) context.add(path);
      }
    }
    for (const [node, positive] of walkPolar(main)) {
      if (node.kind !== "labUln") continue;
      const lab = rules.labs.get(node.lab);
      if (!lab?.decl.readsUln) continue;
      ulnParts.set(lab.path, [...(ulnParts.get(lab.path) ?? []), { criterion, cond: node, passing: (criterion.category === "inclusion") === positive }]);
    }
    criterionReads.push(reads);
    for (const path of new Set([...reads, ...context])) readers.set(path, [...(readers.get(path) ?? []), criterion]);
  }

  const labPaths = new Set([...rules.labs.values()].map((l) => l.path));
  const labOrder = rules.fieldOrder.filter((p) => labPaths.has(p));
  const fieldOrder = rules.fieldOrder.filter((p) => !labPaths.has(p));
  const labQuestions = labOrder.flatMap((p) => {
    const lab = rules.labs.get(p.slice("labs.".length));
    return lab?.decl.readsUln ? [p, `${p}.uln`] : [p];
  });
  const anchor = fieldOrder.findIndex((f) => criterionReads.some((reads) => reads.has(f) && labOrder.some((l) => reads.has(l))));
  const at = anchor < 0 ? fieldOrder.length : anchor;
  const order = [...fieldOrder.slice(0, at), ...labQuestions, ...fieldOrder.slice(at)];

  index = { rank: new Map(order.map((p, i) => [p, i])), conjunctions, readers, ulnParts, companions };
  indexes.set(rules, index);
  return index;
}
