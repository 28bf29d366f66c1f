import { closest } from "../text/did-you-mean.js";

/** Fields the rules do not name are ignored, but a typo must be visible: each gets a warning. */
export function unknownFieldWarnings(input: Record<string, unknown>, tree: ReadonlyMap<string, ReadonlySet<string>>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const visit = (node: Record<string, unknown>, at: string) => {
    const allowed = tree.get(at);
    if (!allowed) return;
    for (const key of Object.keys(node)) {
      const path = at ? `${at}.${key}` : key;
      if (!allowed.has(key)) {
        const hint = closest(key, allowed, 4);
        out.push({ path, message: `unknown field, ignored${hint ? ` (did you mean ${at ? `${at}.` : ""}${hint}?)` : ""}` });
        continue;
      }
      const child = node[key];
      if (child && typeof child === "object" && !Array.isArray(child)) visit(child as Record<string, unknown>, path);
    }
  };
  visit(input, "");
  return out;
}
