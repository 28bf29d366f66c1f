/**
 * Reading a mapping table (rules/mappings/*.json): strict JSON, and the error that names the file and
 * the place in it. The tables sit beside the rules file, so a site's own rules bring their own tables.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { textProblems } from "../../text/json.js";
import { describeSyntaxError } from "../../text/json-syntax.js";
import { readDataFile } from "../../text/data-files.js";
import { UsageError } from "../../result.js";
import type { CompiledRules } from "../compiled.js";
import { DEFAULT_RULES_PATH } from "../compile.js";

// Derived from the rules path (not this file's URL): the bundled CLI lives at a different depth than the sources.
const DEFAULT_MAPPINGS_DIR = join(dirname(DEFAULT_RULES_PATH), "mappings");

export class MappingError extends UsageError {
  override name = "MappingError";
}

/** The file's JSON, refusing what JSON.parse quietly accepts (a duplicate key, an inexact number). */
export function readMappingJson(file: string): unknown {
  let text: string;
  try {
    text = readDataFile(file);
  } catch (err) {
    throw new MappingError(`cannot read the mapping table ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  text = text.replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MappingError(`mapping table ${file} is not valid JSON: ${describeSyntaxError(text)}`);
  }
  const problems = textProblems(text);
  if (problems.length) throw new MappingError(`invalid mapping table ${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  return json;
}

export function invalidMapping(file: string, problems: readonly string[]): never {
  throw new MappingError(`invalid mapping table ${file}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

/** A zod issue as "json.path: message"; an unknown key names itself, so a misspelt key is found at once. */
export function describeIssue(issue: { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }): string {
  const at = issue.path.map(String).join(".") || "(top)";
  if (issue.code === "unrecognized_keys" && issue.keys?.length) {
    return issue.keys.map((k) => `${at === "(top)" ? k : `${at}.${k}`}: unknown key "${k}" (misspelt? the mapping schema does not know it)`).join("\n  ");
  }
  return `${at}: ${issue.message}`;
}

/** The mapping file beside the rules (mappings/<name> next to the rules file), else the package's own. */
export function mappingPath(rules: CompiledRules, name: string): string {
  // Asked per sheet row and per Bundle: the file system is looked at once per rules and table.
  let paths = resolved.get(rules);
  if (!paths) resolved.set(rules, (paths = new Map<string, string>()));
  let path = paths.get(name);
  if (path === undefined) {
    const beside = join(dirname(rules.source), "mappings", name);
    path = existsSync(beside) ? beside : join(DEFAULT_MAPPINGS_DIR, name);
    paths.set(name, path);
  }
  return path;
}

const resolved = new WeakMap<CompiledRules, Map<string, string>>();
