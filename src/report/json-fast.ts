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
  /**
   * Whole rows of this criterion seen before, by outcome and reason: most criteria give a few
   * reasons over and over (a yes/no field's words), so their row is serialised once. Null once
   * the criterion has shown it seldom repeats (a reason naming a time or a value).
   */
  rows: Map<string, Map<string, string>> | null;
  size: number;
  misses: number;
  hits: number;
}

/** Rows kept per criterion, and after how many misses a criterion with fewer hits than misses stops looking. */
const MAX_ROWS = 64;
const TRIAL = 512;

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
      h = { category: c.category, text: c.text, json: JSON.stringify({ id: c.id, category: c.category, text: c.text }).slice(0, -1), rows: new Map(), size: 0, misses: 0, hits: 0 };
      heads.set(c.id, h);
    }
    return h && h.category === c.category && h.text === c.text ? h : undefined;
  };
  // A row that is exactly the head, then outcome and reason as strings: the shape a cached row
  // stands for (anything else, such as needs or recheckAt, is serialised every time).
  const simple = (c: Json): boolean => {
    let n = 0;
    for (const k in c) {
      if (n > 4 || (n === 3 && k !== "outcome") || (n === 4 && k !== "reason")) return false;
      n++;
    }
    return n === 5 && typeof c.outcome === "string" && typeof c.reason === "string";
  };
  const criterion = (c: unknown): string => {
    if (!plain(c) || typeof c.toJSON === "function") return JSON.stringify(c) ?? "null";
    const h = headOf(c);
    if (!h) return JSON.stringify(c);
    const rows = h.rows !== null && simple(c) ? h.rows : undefined;
    if (rows) {
      const row = rows.get(c.outcome as string)?.get(c.reason as string);
      if (row !== undefined) {
        h.hits++;
        return row;
      }
    }
    const s = serialised(c, h);
    if (rows && s !== undefined) remember(h, rows, c.outcome as string, c.reason as string, s);
    return s ?? JSON.stringify(c);
  };
  // The row key by key after the head, or undefined when its keys are in another order.
  const serialised = (c: Json, h: Head): string | undefined => {
    let s = h.json;
    let n = 0;
    for (const k in c) {
      if (n < 3) {
        if (k !== HEAD[n++]) return undefined; // another key order: not the cached head
        continue;
      }
      const v = c[k];
      if (!skipped(v)) s += "," + key(k) + value(v);
    }
    return n < 3 ? undefined : s + "}";
  };
  const remember = (h: Head, rows: Map<string, Map<string, string>>, outcome: string, reason: string, row: string) => {
    if (++h.misses === TRIAL && h.hits < h.misses) {
      h.rows = null; // its rows seldom repeat: looking them up costs more than it saves
      return;
    }
    if (h.size >= MAX_ROWS) return;
    let byReason = rows.get(outcome);
    if (!byReason) rows.set(outcome, (byReason = new Map<string, string>()));
    byReason.set(reason, row);
    h.size++;
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
      } else s += other(v);
    }
    return s + "}";
  };
}

/**
 * JSON.stringify of a result's other values, with the common cheap cases written directly: an
 * empty plain array (no failed, no unknown, no warnings) and a plain array of strings (criterion
 * ids), each string still serialised by JSON.stringify.
 */
function other(v: unknown): string {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || typeof (v as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(v);
  if (v.length === 0) return "[]";
  let s = "[";
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (typeof item !== "string") return JSON.stringify(v);
    s += (i ? "," : "") + JSON.stringify(item);
  }
  return s + "]";
}
