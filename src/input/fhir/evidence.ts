/**
 * Evidence per record path, and how it settles: agreeing evidence is used, disagreeing evidence
 * leaves the path unknown. Firm evidence decides over weak evidence. Evidence that leaves a path
 * unknown (an unconfirmed or resolved finding, an allergy of unclassified severity, a treatment
 * without a time) is a *hold*: it names the values it is consistent with, and the path is settled
 * only to one of those (a confirmed "yes" beside a resolved one), never to a value it does not
 * support (a refuted "no" beside an unconfirmed "yes" leaves the path unknown).
 */
import type { ResourceSource, SourceMap } from "../../result.js";
import type { UnmappedCoding } from "../provenance.js";
import type { Problem } from "../../result.js";
import { describeValue, type Json } from "./values.js";
import { setAt } from "../../text/paths.js";

export interface AdaptedRecord {
  readonly record: Json;
  readonly sources: SourceMap;
  readonly warnings: Problem[];
  /** The Bundle says this patient cannot be screened (deceased): an error result, with the record's id. */
  readonly error?: Problem;
  /** Codings of the patient's resources that no mapping table used. */
  readonly unmappedCodes?: readonly UnmappedCoding[];
}

interface Evidence {
  readonly value: unknown;
  readonly source: ResourceSource;
  readonly weak: boolean;
}

interface Hold {
  readonly why: string;
  /** The values this evidence does not argue against; by default none. */
  readonly allows: (value: unknown) => boolean;
}

const allowsNothing = (): boolean => false;

export class Builder {
  private readonly evidence = new Map<string, Evidence[]>();
  private readonly holds = new Map<string, Hold[]>();
  readonly warnings: Problem[] = [];

  constructor(
    private readonly order: readonly string[],
    private readonly sameValue: (path: string, a: unknown, b: unknown) => boolean,
  ) {}

  add(path: string, value: unknown, source: ResourceSource, weak = false): void {
    const list = this.evidence.get(path) ?? [];
    list.push({ value, source, weak });
    this.evidence.set(path, list);
  }

  /**
   * Evidence that leaves `path` unknown unless other evidence settles it to a value `allows` accepts
   * (e.g. an unconfirmed epilepsy allows only `true`). Its warning is given whenever it holds.
   */
  block(path: string, why: string, allows: (value: unknown) => boolean = allowsNothing): void {
    const list = this.holds.get(path) ?? [];
    list.push({ why, allows });
    this.holds.set(path, list);
  }

  has(path: string): boolean {
    return (this.evidence.get(path) ?? []).some((e) => !e.weak);
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  finish(): AdaptedRecord {
    const record: Json = {};
    const sources: SourceMap = {};
    const rank = (p: string) => {
      const i = this.order.findIndex((o) => o === p || o.startsWith(`${p}.`));
      return i < 0 ? this.order.length : i;
    };
    const paths = [...new Set([...this.evidence.keys(), ...this.holds.keys()])].sort((a, b) => rank(a) - rank(b));
    for (const path of paths) {
      const settled = this.settle(path);
      if (settled === undefined) continue;
      setAt(record, path, settled.value);
      sources[path] = settled.source;
    }
    return { record, sources, warnings: this.warnings };
  }

  /** The path's value and source, or undefined (with the warnings that say why) when it stays unknown. */
  private settle(path: string): Evidence | undefined {
    const all = this.evidence.get(path) ?? [];
    const strong = all.filter((e) => !e.weak);
    const holds = this.holds.get(path) ?? [];
    const pool = strong.length ? strong : all;
    if (!pool.length) {
      for (const h of holds) this.warn(path, h.why);
      return undefined;
    }
    const first = pool[0]!;
    const other = pool.find((e) => !this.sameValue(path, e.value, first.value));
    if (other) {
      const shown = pool.map((e) => `${describeValue(e.value)} from ${e.source.resource}`).join(", ");
      this.warn(path, `the Bundle disagrees with itself (${shown}); left unknown`);
      for (const h of holds) this.warn(path, h.why);
      return undefined;
    }
    const against = holds.filter((h) => !h.allows(first.value));
    if (against.length) {
      const by = [...new Set(pool.map((e) => e.source.resource))].join(", ");
      for (const h of against) this.warn(path, `${h.why} (${describeValue(first.value)} from ${by} does not settle it)`);
      return undefined;
    }
    return first;
  }
}

