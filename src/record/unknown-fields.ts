import { closest } from "../text/did-you-mean.js";

/** A key the rules do not name, with the declared path it most likely misspells (if any). */
export interface UnknownField {
  readonly path: string;
  readonly suggestion?: string;
}

/** Every key of `input` the declared tree does not name, with its "did you mean". */
export function unknownFields(input: Record<string, unknown>, tree: ReadonlyMap<string, ReadonlySet<string>>): UnknownField[] {
  const out: UnknownField[] = [];
  const visit = (node: Record<string, unknown>, at: string) => {
    const allowed = tree.get(at);
    if (!allowed) return;
    for (const key of Object.keys(node)) {
      const path = at ? `${at}.${key}` : key;
      if (!allowed.has(key)) {
        const hint = closest(key, allowed, 4);
        out.push(hint ? { path, suggestion: `${at ? `${at}.` : ""}${hint}` } : { path });
        continue;
      }
      const child = node[key];
      if (child && typeof child === "object" && !Array.isArray(child)) visit(child as Record<string, unknown>, path);
    }
  };
  visit(input, "");
  return out;
}

/** Fields the rules do not name are ignored, but a typo must be visible: each gets a warning. */
export function unknownFieldWarnings(input: Record<string, unknown>, tree: ReadonlyMap<string, ReadonlySet<string>>): { path: string; message: string }[] {
  return unknownFields(input, tree).map(({ path, suggestion }) => ({ path, message: `unknown field, ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}` }));
}
