/**
 * JSON text → value, refusing what JSON.parse quietly accepts: a key given twice in one object
 * (the last one would silently win, so `"nihss": 3, "nihss": 9` could turn a fail into a pass),
 * and a number with more digits than a double holds (`1.80000000000000001` would be read as 1.8,
 * exactly at a limit it is in fact above, while comparisons must be exact on numbers as written).
 */
import { cmp, fromNumber, parseDecimal } from "../numbers/rational.js";
import { describeSyntaxError } from "./json-syntax.js";

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string; path?: string; value?: unknown };

export function parseJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Worded when read: a reader telling NDJSON from a pretty-printed document tries its first
    // lines ("{" alone) and drops most of these failures unread.
    let error: string | undefined;
    return {
      ok: false,
      get error() {
        return (error ??= `not valid JSON: ${describeSyntaxError(text)}`);
      },
    };
  }
  if (value !== null && typeof value === "object") {
    // Text that is exactly its value's own serialisation can hold neither a key given twice (a
    // serialisation writes each key once) nor a number written with more digits than its double
    // (it writes the shortest exact form): the scan below has nothing to find, so skip it.
    if (sameText(value, text)) return { ok: true, value };
    const problem = textProblems(text, true)[0];
    if (problem) return { ok: false, error: problem.message, path: problem.path, value };
  }
  return { ok: true, value };
}

/** Whether `text` is exactly JSON.stringify(value); false when that cannot be said (nesting too deep to serialise). */
function sameText(value: unknown, text: string): boolean {
  try {
    return JSON.stringify(value) === text;
  } catch {
    return false;
  }
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

/**
 * Keys are tracked to this depth. A patient record is a few levels deep; whatever lies deeper is
 * no field the rules read (a type error or an ignored unknown field either way), and tracking a
 * hostile million-level line cost seconds per line once the scanner was optimised.
 */
const MAX_TRACKED_DEPTH = 64;

function duplicateMessage(key: string): string {
  return `duplicate key "${key}": it appears twice in one object, so which value is meant cannot be told`;
}

/**
 * Why `token` cannot be compared exactly as written once read as the double `value`, or undefined
 * when it can. Up to 15 significant digits always round-trip, so most tokens need no check.
 */
export function inexactNumber(token: string, value: number): string | undefined {
  if (token.length <= 15 && !/[eE]/.test(token)) return undefined;
  const written = parseDecimal(token);
  if (written && Number.isFinite(value) && cmp(written, fromNumber(value)) === 0) return undefined;
  if (!Number.isFinite(value)) return `${token} is out of range for a number`;
  const digits = token.replace(/[eE].*$/, "").replace(/[^0-9]/g, "").replace(/^0+/, "").replace(/0+$/, "");
  if (digits.length > 15) return `${token} has more digits than can be compared exactly (it would be read as ${String(value)}): write at most 15 significant digits`;
  return `${token} is too small or too large to be read exactly (it would be read as ${String(value)})`;
}

/**
 * Keys that repeat within one object and numbers that cannot be read exactly, with their paths
 * (just the first with `firstOnly`). Assumes `text` is valid JSON.
 */
export function textProblems(text: string, firstOnly = false): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  const stack: Frame[] = [];
  let below = 0; // containers open deeper than MAX_TRACKED_DEPTH
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
      const top = below ? undefined : stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) {
          const at = pathOf(top);
          found.push({ path: at ? `${at}.${key}` : key, message: duplicateMessage(key) });
          if (firstOnly) return found;
        }
        top.keys.add(key);
        top.current = key;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (ch === 45 || (ch >= 48 && ch <= 57)) {
      // A number (keys are strings, so this is a value): check only tokens too long to be exact.
      let j = i + 1;
      let exponent = false;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 101 || c === 69) exponent = true;
        else if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45)) break;
      }
      if (!below && (j - i > 15 || exponent)) {
        const token = text.slice(i, j);
        const message = inexactNumber(token, Number(token));
        if (message) {
          const top = stack[stack.length - 1];
          const at = pathOf(top);
          const step = top ? (top.keys ? top.current : `[${top.index}]`) : "";
          found.push({ path: top?.keys ? (at ? `${at}.${step}` : step) : `${at}${step}`, message });
          if (firstOnly) return found;
        }
      }
      i = j;
      continue;
    }
    if (ch === 123 || ch === 91) {
      if (stack.length < MAX_TRACKED_DEPTH) stack.push({ keys: ch === 123 ? new Set() : null, parent: stack[stack.length - 1], current: "", index: 0, expectKey: ch === 123 });
      else below++;
    } else if (ch === 125 || ch === 93) {
      if (below) below--;
      else stack.pop();
    } else if (ch === 44 && !below) {
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
