/**
 * Lab conditions: a value against a fixed limit (`{"lab": "platelets", "op": "lt", "value": "100",
 * "unit": "10^9/L"}`) or against a multiple of its upper limit of normal (`"timesUln": "2.5"`).
 */
import { parseRational, type Rational } from "../../numbers/rational.js";
import type { ConditionDecl, LabDecl } from "../schema.js";
import type { CheckScope, LabLimitCondition, LabUlnCondition } from "./types.js";

type RawLimit = Extract<ConditionDecl, { lab: string; value: string }>;
type RawUln = Extract<ConditionDecl, { timesUln: string }>;

// The schema admits only decimals parseRational reads; NaN-free placeholders are never compared.
const UNREADABLE: Rational = { small: true, n: 0, d: 1 };

export function compileLabLimit(raw: RawLimit): LabLimitCondition {
  return {
    kind: "labLimit",
    lab: raw.lab,
    op: raw.op,
    value: raw.value,
    limit: parseRational(raw.value) ?? UNREADABLE,
    ...(raw.unit !== undefined ? { unit: raw.unit } : {}),
  };
}

export function compileLabUln(raw: RawUln): LabUlnCondition {
  return { kind: "labUln", lab: raw.lab, op: raw.op, timesUln: raw.timesUln, times: parseRational(raw.timesUln) ?? UNREADABLE };
}

function declaredLab(lab: string, at: string, scope: CheckScope): LabDecl | undefined {
  const decl = Object.hasOwn(scope.labs, lab) ? scope.labs[lab] : undefined;
  if (!decl) scope.problems.push({ path: `${at}.lab`, message: `"${lab}" is not a declared lab (${Object.keys(scope.labs).join(", ")})` });
  return decl;
}

export function checkLabLimit(cond: LabLimitCondition, at: string, scope: CheckScope): void {
  const lab = declaredLab(cond.lab, at, scope);
  if (!lab) return;
  const units = Object.keys(lab.units ?? {});
  if (units.length && (cond.unit === undefined || !units.includes(cond.unit))) scope.problems.push({ path: `${at}.unit`, message: `must be one of ${units.map((u) => `"${u}"`).join(", ")}` });
  if (!units.length && cond.unit !== undefined) scope.problems.push({ path: `${at}.unit`, message: `lab ${cond.lab} has no unit` });
}

export function checkLabUln(cond: LabUlnCondition, at: string, scope: CheckScope): void {
  const lab = declaredLab(cond.lab, at, scope);
  if (lab && !lab.readsUln && !lab.siteUln) scope.problems.push({ path: `${at}.timesUln`, message: `lab ${cond.lab} has neither readsUln nor siteUln` });
}

export function readsLabLimit(cond: LabLimitCondition): readonly string[] {
  return [`labs.${cond.lab}`];
}

/** The value, and its upper limit of normal (which the record may give). */
export function readsLabUln(cond: LabUlnCondition): readonly string[] {
  return [`labs.${cond.lab}`, `labs.${cond.lab}.uln`];
}
