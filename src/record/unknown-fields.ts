import type { CompiledRules } from "../rules/compiled.js";
import { closest } from "../text/did-you-mean.js";

type Tree = ReadonlyMap<string, ReadonlySet<string>>;

interface Node {
  readonly allowed: ReadonlySet<string>;
  readonly children: ReadonlyMap<string, Node>;
}

const nested = new WeakMap<Tree, Node | undefined>();

/** The flat tree (path → allowed keys) as nested nodes, once per tree: no path string per key and record. */
function nodeOf(tree: Tree): Node | undefined {
  if (nested.has(tree)) return nested.get(tree);
  const build = (at: string): Node | undefined => {
    const allowed = tree.get(at);
    if (!allowed) return undefined;
    const children = new Map<string, Node>();
    for (const key of allowed) {
      const child = build(at ? `${at}.${key}` : key);
      if (child) children.set(key, child);
    }
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
  const visit = (node: Record<string, unknown>, at: string, declared: Node) => {
    for (const key of Object.keys(node)) {
      if (!declared.allowed.has(key)) {
        const hint = closest(key, declared.allowed, 4);
        const path = at ? `${at}.${key}` : key;
        out.push(hint ? { path, suggestion: `${at ? `${at}.` : ""}${hint}` } : { path });
        continue;
      }
      const below = declared.children.get(key);
      const child = node[key];
      if (below && child && typeof child === "object" && !Array.isArray(child)) visit(child as Record<string, unknown>, at ? `${at}.${key}` : key, below);
    }
  };
  const root = nodeOf(tree);
  if (root) visit(input, "", root);
  return out;
}

/** Fields the rules do not name are ignored, but a typo must be visible: each gets a warning. */
export function unknownFieldWarnings(input: Record<string, unknown>, tree: Tree): { path: string; message: string }[] {
  return unknownFields(input, tree).map(({ path, suggestion }) => ({ path, message: `unknown field, ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}` }));
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
