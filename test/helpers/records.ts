/**
 * Test records and small helpers shared by the unit tests.
 *
 * `eligibleRecord()` returns a fresh, fully eligible man (every field of the contract filled, every
 * timestamp with an offset); tests derive boundary cases from it with `withPath` / `withoutPath`,
 * which never mutate their input.
 */
import { expect } from "vitest";
import { loadRules, screen } from "../../src/index.js";
import type { CompiledRules, CriterionOutcome, ErrorResult, ScreenedResult, ScreenOptions, ScreeningResult } from "../../src/index.js";

export type Rec = Record<string, any>;

/** The eligible record's screening moment: screening date 2026-11-24 (+08:00). */
export const SCREENED_AT = "2026-11-24T09:00:00+08:00";
export const SCREENED_MS = Date.parse(SCREENED_AT);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A fresh, fully eligible man aged 58 (born 1968-06-15, no `age` field). */
export function eligibleRecord(): Rec {
  return {
    id: "T-0001",
    screenedAt: SCREENED_AT,
    demographics: { birthDate: "1968-06-15", sex: "male" },
    stroke: {
      onset: "2026-11-20T14:30:00+08:00",
      onsetIsLastKnownWell: false,
      anteriorCirculationOcclusion: true,
      occlusionImaging: "CTA",
      preStrokeMrs: 0,
      aspects: 8,
      nihss: 9,
      thrombolysis: false,
      endovascularTreatment: false,
    },
    labs: {
      alt: { value: 35, unit: "U/L", uln: 40 },
      ast: { value: 30, unit: "U/L", uln: 40 },
      creatinine: { value: 80, unit: "umol/L", uln: 104 },
      bun: { value: 5.5, unit: "mmol/L", uln: 7.1 },
      platelets: { value: 210, unit: "10^9/L" },
      aptt: { value: 30, unit: "s" },
      inr: { value: 1.0 },
    },
    medications: { lastHeparinDose: null, warfarin: false, immunosuppressants: false },
    allergies: { contrast: "none", studyDrug: false, allergicConstitution: false },
    infections: { hbsag: "negative", severeInfection: false, otherInfectiousDisease: false },
    history: {
      significantCardiacDysfunction: false,
      otherBleedingTendency: false,
      coagulationDisorder: false,
      brainTumor: false,
      epilepsy: false,
      severeHeadTrauma: false,
      otherMalignancy: false,
      immunodeficiency: false,
      otherSeriousSystemicDisease: false,
      neurodegenerativeDiseaseLimitingFollowUp: false,
      nasalAbnormality: false,
      csfRhinorrhea: false,
      uncontrolledMentalIllness: false,
    },
    trials: { lastOtherTrialParticipation: null },
    reproductive: { pregnant: false, breastfeeding: false, childbearingPotential: false, usesContraception: true },
    consent: { canSignInformedConsent: true, ableToComply: true },
    investigator: { deemedUnsuitable: false },
  };
}

/** The eligible record as a woman aged 34 of childbearing potential who uses contraception. */
export function eligibleWoman(): Rec {
  return withPaths(eligibleRecord(), {
    "demographics.sex": "female",
    "demographics.birthDate": "1992-03-10",
    "reproductive.childbearingPotential": true,
    "reproductive.usesContraception": true,
  });
}

/** A deep copy of `record` with `path` (dotted) set to `value`; missing groups are created. */
export function withPath(record: Rec, path: string, value: unknown): Rec {
  const copy = structuredClone(record);
  const keys = path.split(".");
  let node: Rec = copy;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  node[keys[keys.length - 1]!] = value;
  return copy;
}

/** `withPath` for several paths at once. */
export function withPaths(record: Rec, changes: Record<string, unknown>): Rec {
  let out = record;
  for (const [path, value] of Object.entries(changes)) out = withPath(out, path, value);
  return out;
}

/** A deep copy of `record` without `path` (a field or a whole group). */
export function withoutPath(record: Rec, ...paths: string[]): Rec {
  const copy = structuredClone(record);
  for (const path of paths) {
    const keys = path.split(".");
    let node: Rec | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node && typeof node[key] === "object" ? node[key] : undefined;
    if (node) delete node[keys[keys.length - 1]!];
  }
  return copy;
}

/** Every leaf path of a record ("stroke.nihss", "labs.alt.value", ...). */
export function leafPaths(record: Rec, at = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const path = at ? `${at}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) out.push(...leafPaths(value, path));
    else out.push(path);
  }
  return out;
}

/** An ISO timestamp (UTC) `ms` milliseconds before the eligible record's screening moment. */
export function beforeScreening(ms: number): string {
  return new Date(SCREENED_MS - ms).toISOString();
}

/**
 * The record re-screened at `screenedAt`, with the onset moved to 3 days before it so that INC-06
 * still passes (for tests of the screening date itself: age, EXC-13).
 */
export function screenedAtWithOnset(record: Rec, screenedAt: string): Rec {
  const ms = Date.parse(screenedAt);
  return withPaths(record, { screenedAt, "stroke.onset": new Date(ms - 3 * DAY).toISOString() });
}

let cached: CompiledRules | undefined;
/** The trial's own rules file, compiled once per test file. */
export function rules(): CompiledRules {
  return (cached ??= loadRules());
}

/** Screens with the trial's rules; the zone defaults to UTC so results do not depend on the machine. */
export function run(record: unknown, options: ScreenOptions = {}, withRules: CompiledRules = rules()): ScreeningResult {
  return screen(record, withRules, { timeZone: "UTC", ...options });
}

/** Screens and asserts a verdict (not an error). */
export function screened(record: unknown, options: ScreenOptions = {}, withRules?: CompiledRules): ScreenedResult {
  const result = run(record, options, withRules);
  if (result.verdict === "error") {
    throw new Error(`expected a screened result, got errors: ${JSON.stringify(result.errors)}`);
  }
  return result;
}

/** Screens and asserts an invalid record. */
export function invalid(record: unknown, options: ScreenOptions = {}): ErrorResult {
  const result = run(record, options);
  if (result.verdict !== "error") throw new Error(`expected verdict "error", got "${result.verdict}"`);
  return result;
}

/** One criterion of a screened result. */
export function criterion(result: ScreenedResult, id: string): CriterionOutcome {
  const found = result.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`no criterion ${id} in the result`);
  return found;
}

/** Screens `record` and returns criterion `id`. */
export function outcome(record: unknown, id: string, options: ScreenOptions = {}, withRules?: CompiledRules): CriterionOutcome {
  return criterion(screened(record, options, withRules), id);
}

/** Asserts criterion `id` of `record` has `expected` outcome and returns it for further checks. */
export function expectOutcome(record: unknown, id: string, expected: CriterionOutcome["outcome"], options: ScreenOptions = {}): CriterionOutcome {
  const c = outcome(record, id, options);
  expect(c.outcome, `${id}: ${c.reason}`).toBe(expected);
  return c;
}

/** The paths of an error result's errors. */
export function errorPaths(result: ErrorResult): string[] {
  return result.errors.map((e) => e.path);
}

/** The error at `path` (exactly one expected). */
export function errorAt(result: ErrorResult, path: string): { path: string; message: string } {
  const found = result.errors.filter((e) => e.path === path);
  expect(found, `errors: ${JSON.stringify(result.errors)}`).toHaveLength(1);
  return found[0]!;
}
