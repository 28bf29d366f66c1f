/**
 * Repairs a resumed record before any question: misspelt keys are offered a move to the key they
 * most likely mean (the same "did you mean" as the record's unknown-field warnings), and fields
 * that break the rules are dropped, so they are asked again if they matter.
 */
import { isDeepStrictEqual } from "node:util";
import type { Writable } from "node:stream";
import { declaredTree } from "../record/unknown-fields.js";
import { unknownFields } from "../record/unknown-fields.js";
import type { CompiledRules } from "../rules/compiled.js";
import type { ScreeningResult } from "../screen.js";
import type { KeptLab } from "./questions.js";
import { getAt, hasAt, isPlainObject, type JsonRecord, withValue, withoutValue } from "../text/paths.js";
import type { Ui } from "./ui.js";

export interface Repair {
  readonly rules: CompiledRules;
  readonly ui: Ui;
  readonly stderr: Writable;
  readonly screen: (record: unknown) => ScreeningResult;
  /** By lab path: what outlived a dropped lab's invalid value. */
  readonly kept: Map<string, KeptLab>;
  record: JsonRecord;
}

const shown = (value: unknown) => JSON.stringify(value);

/**
 * Each misspelt key with a suggestion: moved to the suggested key when that is free (if the user
 * agrees), dropped when the suggested key holds the same value, and when it holds another, the
 * user chooses which value to keep. True when the record changed.
 */
export async function fixMisspeltKeys(repair: Repair): Promise<boolean> {
  let changed = false;
  for (const { path, suggestion } of unknownFields(repair.record, declaredTree(repair.rules))) {
    if (suggestion === undefined || !hasAt(repair.record, path)) continue;
    if (await move(repair, path, suggestion)) changed = true;
  }
  return changed;
}

async function move(repair: Repair, from: string, to: string): Promise<boolean> {
  const { ui } = repair;
  const value = getAt(repair.record, from);
  const theme = ui.theme as never;
  if (!hasAt(repair.record, to)) {
    const wanted = await ui.prompts.confirm({ message: `${from} is not a field of the rules (did you mean ${to}?). Move its value ${shown(value)} to ${to}?`, default: true, theme });
    if (!wanted) {
      ui.note(`  ${from} kept as it is (ignored in screening)`);
      return false;
    }
    repair.record = withValue(withoutValue(repair.record, from), to, value);
    ui.note(`  moved to ${to}`);
    return true;
  }
  const there = getAt(repair.record, to);
  if (isPlainObject(value) && isPlainObject(there)) {
    // A misspelt group beside the real one: each of its keys in turn.
    let changed = false;
    for (const key of Object.keys(value)) if (await move(repair, `${from}.${key}`, `${to}.${key}`)) changed = true;
    if (isPlainObject(getAt(repair.record, from)) && !Object.keys(getAt(repair.record, from) as JsonRecord).length) repair.record = withoutValue(repair.record, from);
    return changed;
  }
  if (isDeepStrictEqual(value, there)) {
    repair.record = withoutValue(repair.record, from);
    ui.note(`  ${from} removed: ${to} holds the same value ${shown(there)}`);
    return true;
  }
  const keep = await ui.prompts.select<string>({
    message: `${to} is ${shown(there)} but ${from} (misspelt?) is ${shown(value)}: which value should ${to} keep?`,
    choices: [
      { name: `${shown(there)} — the value already in ${to}`, value: "there", short: shown(there) },
      { name: `${shown(value)} — the value from ${from}`, value: "moved", short: shown(value) },
      { name: `both as they are — ${from} stays in the file, ignored in screening`, value: "both", short: "both" },
    ],
    theme,
  });
  if (keep === "both") return false;
  const kept = keep === "moved" ? value : there;
  repair.record = withValue(withoutValue(repair.record, from), to, kept);
  ui.note(`  ${to} = ${shown(kept)}; ${from} removed`);
  return true;
}

/** A resumed record may break the rules: each offending field is dropped (and so asked again). */
export function dropInvalidFields(repair: Repair): boolean {
  const { ui, rules } = repair;
  for (let round = 0; round < 100; round++) {
    const result = repair.screen(repair.record);
    if (result.verdict !== "error") return true;
    let dropped = false;
    for (const error of result.errors) {
      const field = rules.fieldOrder.find((f) => error.path === f || error.path.startsWith(`${f}.`));
      // Of a lab, only the bad part goes when the rest stands alone (an INR "unit", an implausible "uln").
      const owner = field !== undefined && field !== error.path && standsWithout(repair, field, error.path) ? error.path : field;
      if (!owner || !hasAt(repair.record, owner)) continue;
      const kept = error.path === `${owner}.value` ? keepLabParts(repair, owner, result.errors.map((e) => e.path)) : undefined;
      const keeps = kept ? ` (its ${[kept.unit !== undefined ? "unit" : "", kept.uln !== undefined ? "upper limit of normal" : ""].filter(Boolean).join(" and ")} kept for the new value)` : "";
      ui.problem(`${error.path}: ${error.message} — ${owner === error.path ? "dropped" : `${owner} dropped${keeps}`}; it is asked again if it matters`);
      repair.record = withoutValue(repair.record, owner);
      dropped = true;
    }
    if (!dropped) {
      for (const error of result.errors) repair.stderr.write(`screen: ${error.path || "(record)"}: ${error.message}\n`);
      return false;
    }
  }
  return false;
}

/** A lab dropped for its value keeps a declared unit, and the ULN given in that unit. */
function keepLabParts(repair: Repair, labPath: string, errorPaths: readonly string[]): KeptLab | undefined {
  const lab = isLabPath(repair.rules, labPath) ? repair.rules.labs.get(labPath.slice("labs.".length)) : undefined;
  const old = getAt(repair.record, labPath);
  if (!lab || !isPlainObject(old)) return undefined;
  const unit = typeof old.unit === "string" && lab.units.has(old.unit) && !errorPaths.includes(`${labPath}.unit`) ? old.unit : undefined;
  const unitFits = lab.units.size === 0 ? old.unit === undefined : unit !== undefined;
  const uln = lab.decl.readsUln && unitFits && typeof old.uln === "number" && !errorPaths.includes(`${labPath}.uln`) ? old.uln : undefined;
  if (unit === undefined && uln === undefined) return undefined;
  const kept: KeptLab = { ...(unit !== undefined ? { unit } : {}), ...(uln !== undefined ? { uln } : {}) };
  repair.kept.set(labPath, kept);
  return kept;
}

function standsWithout(repair: Repair, field: string, part: string): boolean {
  if (!isLabPath(repair.rules, field) || !hasAt(repair.record, part)) return false;
  const result = repair.screen(withoutValue(repair.record, part));
  return result.verdict !== "error" || !result.errors.some((e) => e.path === field || e.path.startsWith(`${field}.`));
}

export function isLabPath(rules: CompiledRules, path: string): boolean {
  return path.startsWith("labs.") && rules.labs.has(path.slice("labs.".length));
}

/** By lab path: the unit and ULN of each lab in the record that has a ULN. */
export function labUlns(rules: CompiledRules, record: JsonRecord): Map<string, KeptLab> {
  const out = new Map<string, KeptLab>();
  for (const lab of rules.labs.values()) {
    const old = getAt(record, lab.path);
    if (isPlainObject(old) && typeof old.uln === "number") out.set(lab.path, { ...(typeof old.unit === "string" ? { unit: old.unit } : {}), uln: old.uln });
  }
  return out;
}
