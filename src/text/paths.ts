/**
 * Reading and writing a JSON record by dotted path ("labs.alt.value"): the one implementation for
 * every layer. Reads look at own properties only (a "__proto__" or "constructor" key is data, not
 * a way into the prototype); `withValue`/`withoutValue` return copies; `setAt` fills a record being built.
 */

export type JsonRecord = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonRecord {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function cloneRecord<T>(record: T): T {
  return structuredClone(record);
}

export function getAt(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const key of path.split(".")) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

export function hasAt(record: unknown, path: string): boolean {
  let node: unknown = record;
  for (const key of path.split(".")) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
  }
  return true;
}

/** Puts `value` at `path` in a record being built (intermediate objects created as needed). */
export function setAt(record: JsonRecord, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = record;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as JsonRecord;
  }
  node[keys[keys.length - 1]!] = value;
}

/** A copy of `record` with `value` at `path` (intermediate objects created as needed). */
export function withValue(record: JsonRecord, path: string, value: unknown): JsonRecord {
  const copy = cloneRecord(record);
  const keys = path.split(".");
  let node: JsonRecord = copy;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (!isPlainObject(child)) node[key] = {};
    node = node[key] as JsonRecord;
  }
  node[keys[keys.length - 1]!] = value;
  return copy;
}

/** A copy of `record` without `path`; groups left empty are removed too. */
export function withoutValue(record: JsonRecord, path: string): JsonRecord {
  const copy = cloneRecord(record);
  const keys = path.split(".");
  const trail: JsonRecord[] = [copy];
  let node: unknown = copy;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node) || !isPlainObject(node[key])) return copy;
    node = node[key];
    trail.push(node as JsonRecord);
  }
  delete (node as JsonRecord)[keys[keys.length - 1]!];
  for (let i = trail.length - 1; i > 0; i--) {
    if (Object.keys(trail[i]!).length) break;
    delete trail[i - 1]![keys[i - 1]!];
  }
  return copy;
}
