/** Fields the rules do not name are ignored, but a typo must be visible: each gets a warning. */
export function unknownFieldWarnings(input: Record<string, unknown>, tree: ReadonlyMap<string, ReadonlySet<string>>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const visit = (node: Record<string, unknown>, at: string) => {
    const allowed = tree.get(at);
    if (!allowed) return;
    for (const key of Object.keys(node)) {
      const path = at ? `${at}.${key}` : key;
      if (!allowed.has(key)) {
        const hint = closest(key, [...allowed]);
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

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
