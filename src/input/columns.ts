/**
 * `--columns MAP.json`: a site's own sheet headers → record paths, so an existing sheet or a
 * REDCap export screens without renaming its columns: `{ "NIHSS total": "stroke.nihss", "MRN": "id" }`.
 */
import type { CompiledRules } from "../rules/compiled.js";
import { knownColumns } from "../rules/mapping/csv.js";
import { UsageError } from "../result.js";
import { closest } from "../text/did-you-mean.js";
import { parseJson } from "../text/json.js";
import type { ColumnMap } from "./csv.js";

/** Reads and checks the map; every problem names the file and the header at fault. */
export function readColumnMap(text: string, name: string, rules: CompiledRules): ColumnMap {
  const parsed = parseJson(text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) throw new UsageError(`--columns ${name}: ${parsed.path ? `${parsed.path}: ` : ""}${parsed.error}`);
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`--columns ${name}: expected an object of "sheet header": "record path", e.g. {"NIHSS total": "stroke.nihss", "MRN": "id"}`);
  }
  const known = knownColumns(rules);
  const problems: string[] = [];
  const byPath = new Map<string, string>();
  const map = new Map<string, string>();
  for (const [header, path] of Object.entries(value)) {
    if (typeof path !== "string") {
      problems.push(`"${header}": expected a record path (a string), got ${JSON.stringify(path)}`);
      continue;
    }
    if (!known.includes(path)) {
      const hint = closest(path, known, 6);
      problems.push(`"${header}": "${path}" is not a column the rules know${hint ? ` (did you mean ${hint}?)` : ""}`);
      continue;
    }
    const other = byPath.get(path);
    if (other !== undefined) problems.push(`"${header}" and "${other}" both map to ${path}: which one holds the value would be unclear`);
    byPath.set(path, header);
    map.set(header.trim(), path);
  }
  if (problems.length) throw new UsageError(`--columns ${name}: ${problems.join("; ")}`);
  return map;
}
