/**
 * Loads a rules file: JSON → schema → cross-checks (ids unique, every path declared, every
 * comparison fits its field) → compiled rules. A broken file is rejected whole, with the rule id
 * and the place in the file, before any record is read.
 */
import { textProblems } from "../text/json.js";
import { findSyntaxError } from "../text/json-syntax.js";
import { rulesSchema } from "./schema.js";
import { checkRules } from "./check.js";
import { createHash } from "node:crypto";
import { compile, compileVerified, DEFAULT_RULES_PATH, readRulesText, RulesError } from "./compile.js";
import type { CompiledRules } from "./compiled.js";

export { DEFAULT_RULES_PATH, RulesError, type RulesProblem } from "./compile.js";

/** Reads and compiles a rules file (the trial's own by default). Throws RulesError. */
export function loadRules(path: string = DEFAULT_RULES_PATH): CompiledRules {
  return compileRules(readRulesText(path), path);
}

/** The rules' fingerprint, as results print it (rules.sha256). */
export function sha256Of(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** "criteria[4].passWhen.value" → ["criteria", 4, "passWhen", "value"]. */
function pathParts(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** Compiles rules from their JSON text; `source` names them in messages. */
export function compileRules(text: string, source = "<rules>"): CompiledRules {
  // This exact text passed every check below when the package was built: skip the work.
  const verified = compileVerified(text, source);
  if (verified) return verified;
  const sha256 = sha256Of(text);
  let json: unknown;
  const body = text.replace(/^\uFEFF/, "");
  try {
    json = JSON.parse(body);
  } catch {
    const at = findSyntaxError(body);
    throw new RulesError(source, [{ path: "", message: at ? `not valid JSON at line ${at.line}, column ${at.column}: ${at.message}` : "not valid JSON" }]);
  }
  // JSON.parse keeps the last of two equal keys: a threshold given twice must not pass unseen.
  const textual = textProblems(body);
  if (textual.length) throw new RulesError(source, textual.map((p) => ({ path: describePath(json, pathParts(p.path)), message: p.message })));
  const parsed = rulesSchema.safeParse(json);
  if (!parsed.success) {
    throw new RulesError(
      source,
      parsed.error.issues.flatMap((issue) => explainIssue(json, issue)).map((issue) => ({ path: describePath(json, issue.path), message: issue.message })),
    );
  }
  const file = parsed.data;
  const problems = checkRules(file);
  if (problems.length) throw new RulesError(source, problems);
  return compile(file, source, sha256);
}

interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly SchemaIssue[])[];
}

/**
 * A condition that matches no option of the condition union is reported by zod as one opaque
 * "Invalid input" at the condition. When the condition's keys fit exactly one option (a comparison
 * with an unknown op, a lab condition with a bad multiple), that option's own issues say what is
 * wrong and where ("criteria[4] (INC-05).passWhen.op"): report those instead, recursively.
 */
function explainIssue(json: unknown, issue: SchemaIssue, prefix: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string }[] {
  const at = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors?.length) {
    let node: unknown = json;
    for (const key of at) node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    // An option fits when each of its issues lies under a key the condition has (no missing or extra key).
    const fits = (i: SchemaIssue) => i.path.length > 0 && node !== null && typeof node === "object" && Object.hasOwn(node, i.path[0] as string);
    const fitting = issue.errors.filter((option) => option.length > 0 && option.every(fits));
    if (fitting.length === 1) return fitting[0]!.flatMap((i) => explainIssue(json, i, at));
  }
  return [{ path: at, message: issue.message }];
}

/** "criteria[4] (INC-05).passWhen.op": the rule id makes a path findable by a person. */
export function describePath(json: unknown, path: readonly PropertyKey[]): string {
  let out = "";
  let node: unknown = json;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += (out ? "." : "") + String(key);
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (out.startsWith("criteria[") && /^criteria\[\d+\]$/.test(out) && node && typeof node === "object") {
      const id = (node as { id?: unknown }).id;
      if (typeof id === "string") out += ` (${id})`;
    }
  }
  return out;
}
