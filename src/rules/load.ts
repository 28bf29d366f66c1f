/**
 * Loads a rules file: JSON → schema → cross-checks (ids unique, every path declared, every
 * comparison fits its field) → compiled rules. A broken file is rejected whole, with the rule id
 * and the place in the file, before any record is read.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseRational } from "../numbers/rational.js";
import { type CompiledLab, type CompiledRules, type CompiledUnit } from "./compiled.js";
import { rulesSchema, type Condition, type FieldDecl, type RulesFile } from "./schema.js";
import { checkRules } from "./check.js";

export interface RulesProblem {
  readonly path: string; // where in the rules file, e.g. criteria[4] (INC-05).passWhen.op
  readonly message: string;
}

export class RulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly RulesProblem[],
  ) {
    super(`invalid rules file ${source}:\n` + problems.map((p) => `  ${p.path || "(top)"}: ${p.message}`).join("\n"));
    this.name = "RulesError";
  }
}

export const DEFAULT_RULES_PATH = fileURLToPath(new URL("../../rules/NCT07232563.json", import.meta.url));

/** Reads and compiles a rules file (the trial's own by default). Throws RulesError. */
export function loadRules(path: string = DEFAULT_RULES_PATH): CompiledRules {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new RulesError(path, [{ path: "", message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  return compileRules(text, path);
}

/** Compiles rules from their JSON text; `source` names them in messages. */
export function compileRules(text: string, source = "<rules>"): CompiledRules {
  const sha256 = createHash("sha256").update(text).digest("hex");
  let json: unknown;
  const body = text.replace(/^\uFEFF/, "");
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new RulesError(source, [{ path: "", message: `not valid JSON${lineAndColumn(body, (err as Error).message)}: ${(err as Error).message}` }]);
  }
  if (verifiedAtBuild().has(sha256)) {
    // These exact bytes passed every check below when the package was built: skip the work.
    const file = json as RulesFile;
    return compile({ ...file, constraints: file.constraints ?? [] }, source, sha256);
  }
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

/** " at line 12, column 5" from V8's "... at position 301": a rules author opens the file at a line. */
function lineAndColumn(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m) return "";
  const before = text.slice(0, Number(m[1]));
  const line = before.split("\n").length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
}

let verified: ReadonlySet<string> | undefined;

/** sha256s of rules files the build validated (dist/verified-rules.json); empty when run from source. */
function verifiedAtBuild(): ReadonlySet<string> {
  if (!verified) {
    try {
      const list = JSON.parse(readFileSync(new URL("../verified-rules.json", import.meta.url), "utf8")) as unknown;
      verified = new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : []);
    } catch {
      verified = new Set();
    }
  }
  return verified;
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

function compile(file: RulesFile, source: string, sha256: string): CompiledRules {
  const fields = new Map<string, FieldDecl>(Object.entries(file.fields));
  const labs = new Map<string, CompiledLab>();
  for (const [name, decl] of Object.entries(file.labs)) {
    const units = new Map<string, CompiledUnit>();
    for (const [unit, u] of Object.entries(decl.units ?? {})) {
      units.set(unit, { factor: parseRational(u.factor)!, plausible: u.plausible, ...(u.name ? { name: u.name } : {}) });
    }
    const site = decl.siteUln
      ? {
          unit: decl.siteUln.unit,
          ranges: decl.siteUln.ranges.map((r) => ({ ...r, uln: parseRational(r.uln)!, ulnText: r.uln })),
        }
      : undefined;
    labs.set(name, { name, path: `labs.${name}`, decl, units, ...(site ? { siteUln: site } : {}) });
  }
  const fieldOrder = [...fields.keys()];
  for (const lab of labs.values()) fieldOrder.push(lab.path);
  const labels = new Map<string, string>([...fields].map(([p, d]) => [p, d.label]));
  for (const lab of labs.values()) labels.set(lab.path, lab.decl.label);
  return {
    meta: { trial: file.trial, version: file.version, sha256 },
    file,
    source,
    fields,
    labs,
    criteria: file.criteria,
    fieldOrder,
    labels,
  };
}

/** Every condition node below `cond`, itself included. */
export function* walkCondition(cond: Condition): Generator<Condition> {
  yield cond;
  if ("all" in cond) for (const c of cond.all) yield* walkCondition(c);
  else if ("any" in cond) for (const c of cond.any) yield* walkCondition(c);
  else if ("not" in cond) yield* walkCondition(cond.not);
}
