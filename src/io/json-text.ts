/**
 * JSON text → value, refusing what JSON.parse quietly accepts: a key given twice in one object
 * (the last one would silently win, so `"nihss": 3, "nihss": 9` could turn a fail into a pass).
 */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string; path?: string; value?: unknown };

export function parseJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
  if (value !== null && typeof value === "object") {
    const dup = duplicateKeys(text, true)[0];
    if (dup) return { ok: false, error: duplicateMessage(dup.key), path: dup.path, value };
  }
  return { ok: true, value };
}

interface Frame {
  keys: Set<string> | null; // null for an array
  parent: Frame | undefined; // paths are built only for a duplicate: eager strings would be quadratic in depth
  current: string; // the last key read in an object
  index: number; // the position in an array
  expectKey: boolean;
}

function pathOf(frame: Frame | undefined): string {
  const parts: string[] = [];
  // Walk up collecting each container's own step (its key or index in its parent).
  const chain: Frame[] = [];
  for (let f = frame; f; f = f.parent) chain.push(f);
  chain.reverse();
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1]!;
    parts.push(parent.keys ? `.${parent.current}` : `[${parent.index}]`);
  }
  return parts.join("").replace(/^\./, "");
}

export function duplicateMessage(key: string): string {
  return `duplicate key "${key}": it appears twice in one object, so which value is meant cannot be told`;
}

/** Keys that repeat within one object, with their paths (just the first with `firstOnly`). Assumes `text` is valid JSON. */
export function duplicateKeys(text: string, firstOnly = false): { key: string; path: string }[] {
  const found: { key: string; path: string }[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let nextBackslash = text.indexOf("\\");
  let i = 0;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 34) {
      // A string: find its closing quote (one not escaped by an odd run of backslashes).
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return found; // not valid JSON after all; JSON.parse has the say
        let b = q - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((q - 1 - b) % 2 === 0) {
          j = q;
          break;
        }
        j = q + 1;
      }
      // The next backslash, looked up again only once passed: keeps the scan linear.
      if (nextBackslash >= 0 && nextBackslash < i) nextBackslash = text.indexOf("\\", i);
      const escaped = nextBackslash >= 0 && nextBackslash < j;
      const top = stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) {
          const at = pathOf(top);
          found.push({ key, path: at ? `${at}.${key}` : key });
          if (firstOnly) return found;
        }
        top.keys.add(key);
        top.current = key;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (ch === 123 || ch === 91) {
      stack.push({ keys: ch === 123 ? new Set() : null, parent: stack[stack.length - 1], current: "", index: 0, expectKey: ch === 123 });
    } else if (ch === 125 || ch === 93) {
      stack.pop();
    } else if (ch === 44) {
      const top = stack[stack.length - 1];
      if (top) {
        if (top.keys) top.expectKey = true;
        else top.index++;
      }
    }
    i++;
  }
  return found;
}
