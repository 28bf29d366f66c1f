/**
 * One walk of a record for three things normalisation needs, where there were three walks: the
 * unknown-field warnings (unknown-fields.ts), the structural check (structure.ts) and the raw value
 * of every declared field and lab (each fact's slot). A record's own keys are visited once, in
 * for…in order (the order of the warnings), each looked up once in a tree built per rules.
 *
 * The structural check reads a declared key by property access (as zod does), which also sees an
 * own non-enumerable or an inherited property that for…in skips: where a group's declared keys
 * were not all seen, the ones not seen are looked up, and any value there sends the record to zod.
 * test/record-walk.test.ts and `npm run fuzz` (property "structure") hold it to the schema.
 */
import type { CompiledLab, CompiledRules } from "../rules/compiled.js";
import { closest } from "../text/did-you-mean.js";
import type { FactLayout } from "./facts.js";
import { type Problem, rawAt } from "./reading.js";
import { buildStructureCheck, type Check, isPlainObject, labLeaf, leaf } from "./structure.js";
import { unknownFieldWarning, unknownFieldWarnings } from "./unknown-fields.js";

/**
 * Walks `record` (an object): pushes a warning per unknown field, writes each declared field's and
 * lab's own value into `raw` at its fact slot, and returns true only for a record zod accepts.
 * `raw` is complete only when it returns true; a record it rejects is read again path by path.
 */
export type RecordWalk = (record: object, raw: unknown[], warnings: Problem[]) => boolean;

interface Step {
  /** The node below this key (a group, or a lab's parts), or null (a field, a lab's part). */
  readonly node: WalkNode | null;
  /** The value's check when present: a field's, a lab's, a group's (a plain object); none for a lab's part. */
  readonly check: Check | undefined;
  /** The fact slot the value is read into, or -1 (a group, a lab's part). */
  readonly slot: number;
}

interface WalkNode {
  /** The dotted path of this node ("" for the record): warnings name paths below it. */
  readonly path: string;
  readonly allowed: ReadonlySet<string>;
  readonly steps: ReadonlyMap<string, Step>;
  /** The keys with a check: a group with fewer of them seen looks the rest up (see above). */
  readonly checked: readonly string[];
}

type Tree = ReadonlyMap<string, ReadonlySet<string>>;

/** The walk for the rules; `tree` is their declared tree (unknown-fields.ts), `slotOf` their facts' slots. */
export function buildRecordWalk(rules: CompiledRules, tree: Tree, slotOf: ReadonlyMap<string, number>): RecordWalk | undefined {
  const labs = new Map<string, CompiledLab>([...rules.labs.values()].map((lab) => [lab.path, lab]));
  let consistent = true;
  const build = (at: string, allowed: ReadonlySet<string>): WalkNode => {
    const steps = new Map<string, Step>();
    const checked: string[] = [];
    for (const key of allowed) {
      const path = at ? `${at}.${key}` : key;
      const below = tree.get(path);
      const node = below ? build(path, below) : null;
      const decl = rules.fields.get(path);
      const lab = labs.get(path);
      // A field with keys below it is not a tree the structural check knows: no walk for such rules.
      if (decl && node) consistent = false;
      const check = decl ? leaf(decl) : lab ? labLeaf(lab.units.size === 0, lab.decl.readsUln === true) : node ? isPlainObject : undefined;
      if (check) checked.push(key);
      steps.set(key, { node, check, slot: slotOf.get(path) ?? -1 });
    }
    return { path: at, allowed, steps, checked };
  };
  const top = tree.get("");
  if (!top) return undefined;
  const root = build("", top);
  if (!consistent) return undefined;
  return (record, raw, warnings) => {
    const valid = visit(record as Record<string, unknown>, root, raw, warnings);
    return valid && isPlainObject(record);
  };
}

function visit(object: Record<string, unknown>, node: WalkNode, raw: unknown[], warnings: Problem[]): boolean {
  let valid = true;
  let seen = 0;
  // for…in with an own-property test: Object.keys's keys in its order, without an array per object.
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const step = node.steps.get(key);
    if (step === undefined) {
      warnings.push(unknown(node, key));
      continue;
    }
    const value = object[key];
    if (step.slot >= 0) raw[step.slot] = value;
    if (step.check !== undefined) {
      seen++;
      if (value !== undefined && !step.check(value)) valid = false;
    }
    if (step.node !== null && value !== null && typeof value === "object" && !Array.isArray(value)) {
      if (!visit(value as Record<string, unknown>, step.node, raw, warnings)) valid = false;
    }
  }
  return valid && seen < node.checked.length ? noneHidden(object, node.checked) : valid;
}

/** No declared key holds a value for…in did not see (an own non-enumerable or an inherited one). */
function noneHidden(object: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (object[key] !== undefined && !Object.prototype.propertyIsEnumerable.call(object, key)) return false;
  }
  return true;
}

function unknown(node: WalkNode, key: string): Problem {
  const hint = closest(key, node.allowed, 4);
  const prefix = node.path ? `${node.path}.` : "";
  return unknownFieldWarning(prefix + key, hint ? prefix + hint : undefined);
}

/** The walk, or for rules it cannot walk (see above) the three walks it stands for, one after another. */
export function recordWalkFor(rules: CompiledRules, tree: Tree, layout: FactLayout): RecordWalk {
  const walk = buildRecordWalk(rules, tree, layout.slotOf);
  if (walk) return walk;
  const check = buildStructureCheck(rules);
  return (record, raw, warnings) => {
    warnings.push(...unknownFieldWarnings(record as Record<string, unknown>, tree));
    layout.paths.forEach((path, slot) => (raw[slot] = rawAt(record as Record<string, unknown>, path)));
    return check(record);
  };
}
