/**
 * Rules without zod: reading the file, the error type, and compiling checked rules. Split from
 * `load.ts` (the full schema check and cross-checks) so that a run with the trial's own rules, whose
 * exact bytes the build verified, never loads zod nor builds the rules schema (cold start).
 */
import { fileURLToPath } from "node:url";
import { parseRational } from "../numbers/rational.js";
import { readDataFile } from "../text/data-files.js";
import type { CompiledCriterion, CompiledLab, CompiledRules, CompiledUnit } from "./compiled.js";
import { compileCondition, readsScreeningTime } from "./conditions/index.js";
import type { CriterionDecl, FieldDecl, RulesFile } from "./schema.js";

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

/** The rules file's text. Throws RulesError when it cannot be read. */
export function readRulesText(path: string = DEFAULT_RULES_PATH): string {
  try {
    return readDataFile(path);
  } catch (err) {
    throw new RulesError(path, [{ path: "", message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
}

/**
 * Compiled rules when this exact text passed every check when the package was built, else
 * undefined (then `compileRules` in load.ts checks it in full). The build keeps the text it
 * verified beside its sha256, so a run with the trial's own rules compares text and never hashes:
 * node:crypto is a good part of a one-record run's start-up. The same text has the same sha256.
 */
export function compileVerified(text: string, source: string): CompiledRules | undefined {
  const sha256 = verifiedAtBuild().get(text);
  if (sha256 === undefined) return undefined;
  const file = JSON.parse(text.replace(/^\uFEFF/, "")) as RulesFile;
  return compile({ ...file, constraints: file.constraints ?? [] }, source, sha256);
}

/** What dist/verified-rules.json holds: each rules text the build validated, with its sha256. */
export interface VerifiedRules {
  readonly sha256: string;
  readonly text: string;
}

let verified: ReadonlyMap<string, string> | undefined;

/** Rules texts the build validated (dist/verified-rules.json) → their sha256; empty when run from source. */
function verifiedAtBuild(): ReadonlyMap<string, string> {
  if (!verified) {
    try {
      const list = JSON.parse(readDataFile(new URL("../verified-rules.json", import.meta.url))) as unknown;
      const isEntry = (x: unknown): x is VerifiedRules => typeof (x as Partial<VerifiedRules> | null)?.sha256 === "string" && typeof (x as Partial<VerifiedRules> | null)?.text === "string";
      const entries = Array.isArray(list) ? list.filter(isEntry) : [];
      verified = new Map(entries.map((v) => [v.text, v.sha256]));
    } catch {
      verified = new Map();
    }
  }
  return verified;
}

/** Checked rules → compiled rules, with exact numbers and lookup tables precomputed. */
export function compile(file: RulesFile, source: string, sha256: string): CompiledRules {
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
    criteria: file.criteria.map(compileCriterion),
    constraints: file.constraints.map((c) => {
      const invalidWhen = compileCondition(c.invalidWhen);
      return { path: c.path, message: c.message, invalidWhen, readsScreeningTime: readsScreeningTime(invalidWhen) };
    }),
    fieldOrder,
    labels,
  };
}

function compileCriterion(c: CriterionDecl): CompiledCriterion {
  const head = { id: c.id, category: c.category, short: c.short, text: c.text, ...(c.appliesWhen ? { appliesWhen: compileCondition(c.appliesWhen) } : {}) };
  return c.category === "inclusion"
    ? { ...head, condition: compileCondition(c.passWhen), polarity: "passWhen" }
    : { ...head, condition: compileCondition(c.failWhen), polarity: "failWhen" };
}
