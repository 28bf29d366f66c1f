import type { CompiledRules } from "../rules/compiled.js";
import { closest } from "../text/did-you-mean.js";

type Tree = ReadonlyMap<string, ReadonlySet<string>>;

interface Node {
  readonly allowed: ReadonlySet<string>;
  /** Each allowed key → the node below it, or null for a leaf: one lookup per key of a record. */
  readonly children: ReadonlyMap<string, Node | null>;
}

const nested = new WeakMap<Tree, Node | undefined>();

/** The flat tree (path → allowed keys) as nested nodes, once per tree: no path string per key and record. */
function nodeOf(tree: Tree): Node | undefined {
  if (nested.has(tree)) return nested.get(tree);
  const build = (at: string): Node | undefined => {
    const allowed = tree.get(at);
    if (!allowed) return undefined;
    const children = new Map<string, Node | null>();
    for (const key of allowed) children.set(key, build(at ? `${at}.${key}` : key) ?? null);
    return { allowed, children };
  };
  const root = build("");
  nested.set(tree, root);
  return root;
}

/** A key the rules do not name, with the declared path it most likely misspells (if any). */
export interface UnknownField {
  readonly path: string;
  readonly suggestion?: string;
}

/** Every key of `input` the declared tree does not name, with its "did you mean". */
export function unknownFields(input: Record<string, unknown>, tree: Tree): UnknownField[] {
  const out: UnknownField[] = [];
  const root = nodeOf(tree);
  if (root) visit(input, "", root, out);
  return out;
}

function visit(node: Record<string, unknown>, at: string, declared: Node, out: UnknownField[]): void {
  // for…in with an own-property test walks the same keys as Object.keys, in the same order,
  // without an array per object (this runs for every object of every record).
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    const below = declared.children.get(key);
    if (below === undefined) {
      const hint = closest(key, declared.allowed, 4);
      const path = at ? `${at}.${key}` : key;
      out.push(hint ? { path, suggestion: `${at ? `${at}.` : ""}${hint}` } : { path });
      continue;
    }
    const child = node[key];
    if (below && child && typeof child === "object" && !Array.isArray(child)) visit(child as Record<string, unknown>, at ? `${at}.${key}` : key, below, out);
  }
}

/** Fields the rules do not name are ignored, but a typo must be visible: each gets a warning. */
export function unknownFieldWarnings(input: Record<string, unknown>, tree: Tree): { path: string; message: string }[] {
  const found = unknownFields(input, tree);
  if (found.length === 0) return []; // the common case: no array to map
  return found.map(({ path, suggestion }) => unknownFieldWarning(path, suggestion));
}

/** The warning for one unknown field (also worded by the record walk, walk.ts). */
export function unknownFieldWarning(path: string, suggestion: string | undefined): { path: string; message: string } {
  return { path, message: `unknown field, ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}` };
}

/** The declared tree of paths (parent path → its keys), for spotting fields the rules do not name. */
export function declaredTree(rules: CompiledRules): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>();
  const add = (path: string) => {
    const keys = path.split(".");
    for (let i = 0; i < keys.length; i++) {
      const parent = keys.slice(0, i).join(".");
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(keys[i]!);
    }
  };
  for (const path of rules.fields.keys()) add(path);
  for (const lab of rules.labs.values()) for (const part of ["value", "unit", "uln"]) add(`${lab.path}.${part}`);
  return children;
}
