/**
 * Collects what `screen coverage` reports from adapted inputs of any format: which record fields
 * each record supplied (its value, else — for a record refused, a deceased patient say — the paths
 * its sources name), and the codings of resources no mapping table used, counted per system and code.
 */
import type { CoverageReport, UnusedCode } from "../report/coverage.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { AdaptedItem, UnmappedCoding } from "./provenance.js";

/** Every path a record may hold, in the rules' order: the declared fields, and each lab. */
function recordPaths(rules: CompiledRules): string[] {
  return [...rules.fields.keys(), ...[...rules.labs.values()].map((l) => l.path)];
}

function present(record: unknown, path: string): boolean {
  let node: unknown = record;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

export class CoverageCollector {
  private inputs = 0;
  private errors = 0;
  private readonly fieldCounts: Map<string, number>;
  private readonly codes = new Map<string, { coding: UnmappedCoding; types: Set<string>; count: number }>();

  constructor(
    rules: CompiledRules,
    private readonly label: (system: string | undefined) => string = (s) => s ?? "(no system)",
  ) {
    this.fieldCounts = new Map(recordPaths(rules).map((p) => [p, 0]));
  }

  add(item: AdaptedItem): void {
    this.inputs++;
    if (item.error !== undefined) this.errors++;
    const sourced = Object.keys(item.sources ?? {});
    for (const [path, n] of this.fieldCounts) {
      const has = item.value !== undefined ? present(item.value, path) : sourced.some((s) => s === path || s.startsWith(`${path}.`));
      if (has) this.fieldCounts.set(path, n + 1);
    }
    for (const c of item.unmappedCodes ?? []) {
      const key = `${c.system ?? ""}|${c.code}`;
      const entry = this.codes.get(key) ?? { coding: c, types: new Set<string>(), count: 0 };
      entry.count++;
      entry.types.add(c.resourceType);
      if (entry.coding.display === undefined && c.display !== undefined) entry.coding = c;
      this.codes.set(key, entry);
    }
  }

  report(): CoverageReport {
    const unusedCodes: UnusedCode[] = [...this.codes.values()]
      .map(({ coding, types, count }) => ({
        system: coding.system ?? "",
        label: this.label(coding.system),
        code: coding.code,
        ...(coding.display !== undefined ? { display: coding.display } : {}),
        resourceTypes: [...types].sort(),
        count,
      }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label) || a.code.localeCompare(b.code));
    const fields = [...this.fieldCounts].map(([path, count]) => ({ path, count }));
    return { inputs: this.inputs, errors: this.errors, fields, unusedCodes };
  }
}
