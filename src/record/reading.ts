/** What the steps of normalising one record share: the raw record, what is known bad, and the lists they fill. */
import type { Problem } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { Instant, ZoneSource } from "../time/instant.js";
import type { Screening } from "./facts.js";

export type { Problem };

export interface NormaliseOptions {
  /** Used when the record has no screenedAt. */
  readonly asOf?: Instant;
  /** Set when asOf was written without an offset (read in `timeZone`): a record screened by it is warned. */
  readonly asOfLocal?: { readonly text: string; readonly skipped?: boolean };
  /** The clock reading to fall back on (with a warning); without it a record needs a screening time. */
  readonly now?: number;
  /** IANA zone for timestamps written without an offset. */
  readonly timeZone: ZoneSource;
}

export interface Reading {
  readonly record: Record<string, unknown>;
  readonly rules: CompiledRules;
  readonly options: NormaliseOptions;
  /** Paths the schema rejected: nothing at or below them is read again. */
  readonly bad: ReadonlySet<string>;
  readonly errors: Problem[];
  readonly warnings: Problem[];
  /** The screening moment, once read (undefined when the record gives none that can be read). */
  screening: Screening | undefined;
}

const splitPaths = new Map<string, readonly string[]>();
function splitPath(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split(".");
    splitPaths.set(path, keys);
  }
  return keys;
}

/** The raw value at a dotted path (own properties only), or undefined. */
export function rawAt(record: Record<string, unknown>, path: string): unknown {
  return rawAtKeys(record, splitPath(path));
}

/** The raw value at a path already split into its keys (own properties only), or undefined. */
export function rawAtKeys(record: Record<string, unknown>, keys: readonly string[]): unknown {
  let node: unknown = record;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Whether the schema rejected this path, a group above it, or a part below it. */
export function isBad(r: Reading, path: string): boolean {
  for (const b of r.bad) if (b === path || path.startsWith(`${b}.`) || b.startsWith(`${path}.`)) return true;
  return false;
}

/** Problems in the order of the fields they name, so reports read top to bottom. */
export function inFieldOrder(list: readonly Problem[], fieldOrder: readonly string[]): Problem[] {
  const rank = (path: string) => {
    const i = fieldOrder.findIndex((f) => path === f || path.startsWith(`${f}.`) || f.startsWith(`${path}.`));
    return i < 0 ? -1 : i;
  };
  return list.map((p, i) => ({ p, i, r: rank(p.path) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.p);
}
