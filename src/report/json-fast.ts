/**
 * JSON.stringify of a result, byte for byte, with its constant parts serialised once: each
 * criterion's id, category and text, the same words on every record (a batch writes 27 criteria
 * a record). The cache is checked against the words each time, never trusted by identity alone:
 * the rules meta is not cached, since it is small and a caller's object may change.
 * Anything unexpected (a criterion whose words differ from the ones seen first, keys in another
 * order, a value with toJSON) falls back to JSON.stringify for that part, so the output never differs.
 */
type Json = Record<string, unknown>;

const HEAD = ["id", "category", "text"] as const;

/** The serialised `{"id":…,"category":…,"text":…` of each criterion id, with the words it was made from. */
interface Head {
  readonly category: unknown;
  readonly text: unknown;
  readonly json: string;
}

const plain = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
// JSON.stringify leaves out these values of an object's keys.
const skipped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";

export function fastStringifier(): (result: unknown) => string {
  const heads = new Map<unknown, Head>();
  const keys = new Map<string, string>();
  const key = (k: string) => {
    let j = keys.get(k);
    if (j === undefined) {
      j = JSON.stringify(k) + ":";
      if (keys.size < 256) keys.set(k, j);
    }
    return j;
  };
  // Short strings repeat (outcomes: pass, fail, unknown…): their JSON is looked up, not rebuilt.
  const words = new Map<string, string>();
  const value = (v: unknown): string => {
    if (typeof v !== "string" || v.length > 16) return JSON.stringify(v);
    let j = words.get(v);
    if (j === undefined) {
      j = JSON.stringify(v);
      if (words.size < 256) words.set(v, j);
    }
    return j;
  };
  const headOf = (c: Json): Head | undefined => {
    let h = heads.get(c.id);
    if (h === undefined && typeof c.id === "string" && heads.size < 1000) {
      h = { category: c.category, text: c.text, json: JSON.stringify({ id: c.id, category: c.category, text: c.text }).slice(0, -1) };
      heads.set(c.id, h);
    }
    return h && h.category === c.category && h.text === c.text ? h : undefined;
  };
  const criterion = (c: unknown): string => {
    if (!plain(c) || typeof c.toJSON === "function") return JSON.stringify(c) ?? "null";
    const h = headOf(c);
    if (!h) return JSON.stringify(c);
    let s = h.json;
    let n = 0;
    for (const k in c) {
      if (n < 3) {
        if (k !== HEAD[n++]) return JSON.stringify(c); // another key order: not the cached head
        continue;
      }
      const v = c[k];
      if (!skipped(v)) s += "," + key(k) + value(v);
    }
    return n < 3 ? JSON.stringify(c) : s + "}";
  };
  return (result) => {
    if (!plain(result) || typeof result.toJSON === "function") return JSON.stringify(result);
    let s = "{";
    for (const k in result) {
      const v = result[k];
      if (skipped(v)) continue;
      if (s.length > 1) s += ",";
      s += key(k);
      if (k === "criteria" && Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) {
        s += "[";
        for (let i = 0; i < v.length; i++) s += (i ? "," : "") + criterion(v[i]);
        s += "]";
      } else s += JSON.stringify(v);
    }
    return s + "}";
  };
}
