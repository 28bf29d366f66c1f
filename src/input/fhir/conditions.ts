/** Condition resources: the onset of the current event, and history flags. */
import type { ResourceSource } from "../../result.js";
import { exactlyListed, type Coding } from "../../rules/mapping/codes.js";
import { episodeWindow } from "../../rules/mapping/episode.js";
import { DAY } from "../../time/instant.js";
import { firstMatch, label, type Clock, type PatientContext, type Res } from "./context.js";
import type { Answers } from "./questionnaire.js";
import { normaliseTime, type When } from "./time.js";
import { codesOf, isObject, shortJson, statusCode, str, token } from "./values.js";

interface OnsetCandidate {
  readonly res: Res;
  readonly coding: Coding;
  readonly w: When;
}

/** The usable onsets of the Conditions an onset table maps, warning of the rest. */
function onsetCandidates(pc: PatientContext, clock: Clock, conditions: readonly Res[], spec: { path: string; codes: Record<string, string[]> }): OnsetCandidate[] {
  const { b } = pc;
  const matcher = pc.mapping.matcher(spec.codes);
  const cands: OnsetCandidate[] = [];
  for (const res of conditions) {
    const coding = firstMatch(res.json.code, matcher);
    if (!coding) continue;
    pc.used.add(res);
    const ver = statusCode(res.json.verificationStatus);
    if (ver === "entered-in-error" || ver === "refuted") continue;
    if (res.json.onsetDateTime === undefined) {
      const other = Object.keys(res.json).find((k) => k.startsWith("onset"));
      b.warn(spec.path, `${res.ref} (${label(pc, coding)}) gives no onsetDateTime${other ? ` (only ${other}, which is not read)` : ""}; the onset is not taken from it`);
      continue;
    }
    const w = clock.when(res.json.onsetDateTime);
    if (typeof w !== "object") {
      b.warn(spec.path, `${res.ref} onsetDateTime ${shortJson(res.json.onsetDateTime)} is not a full date or timestamp; not read`);
      continue;
    }
    if (clock.afterScreening(w)) {
      b.warn(spec.path, `${res.ref} onset ${w.text} is after the screening time ${clock.screeningText}; not used`);
      continue;
    }
    cands.push({ res, coding, w });
  }
  return cands;
}

const CURRENT_ENCOUNTER = new Set(["arrived", "triaged", "in-progress", "onleave"]);

/** True when the Condition names an Encounter of the Bundle that is going on at screening. */
function linkedToCurrentEncounter(pc: PatientContext, clock: Clock, res: Res): boolean {
  const ref = isObject(res.json.encounter) ? str(res.json.encounter.reference) : undefined;
  const enc = ref ? pc.encounters.get(ref) : undefined;
  if (!enc) return false;
  const status = str(enc.json.status);
  if (status && CURRENT_ENCOUNTER.has(status)) return true;
  const period = isObject(enc.json.period) ? enc.json.period : undefined;
  const start = period ? clock.when(period.start) : undefined;
  const end = period ? clock.when(period.end) : undefined;
  if (!clock.screening || typeof start !== "object" || start.start > clock.screening.ms) return false;
  return end === undefined || (typeof end === "object" && end.end >= clock.screening.ms);
}

/**
 * An onset before the trial's window opens (screening − the longest elapsed.max the rules allow
 * since the path) is an earlier event, not the current one — unless the Condition belongs to the
 * encounter going on now. Such a Condition leaves the path unknown, with a warning naming it.
 */
function staleOnset(pc: PatientContext, clock: Clock, path: string, c: OnsetCandidate): boolean {
  const window = episodeWindow(pc.rules, path);
  if (!window || !clock.screening || c.w.end >= clock.screening.ms - window.ms) return false;
  if (linkedToCurrentEncounter(pc, clock, c.res)) return false;
  const days = Math.floor((clock.screening.ms - c.w.end) / DAY);
  pc.b.warn(path, `${c.res.ref} (${label(pc, c.coding)}) onset ${c.w.text} is ${days} d before screening, earlier than the ${window.text} the criteria allow since ${path}, and it is not linked to a current encounter: an earlier event, not taken as ${path}; left unknown`);
  return true;
}

/**
 * Onsets: the latest mapped Condition's onsetDateTime at or before screening, unless it is too old to be the current event. Returns each onset
 * path's time (from the Conditions, else from the questionnaire's answer), for the readers that
 * need to know what happened before or after it.
 */
export function readOnsets(pc: PatientContext, clock: Clock, conditions: readonly Res[], answers: Answers): Map<string, When> {
  const onsets = new Map<string, When>();
  for (const spec of pc.mapping.file.conditionOnsets) {
    const cands = onsetCandidates(pc, clock, conditions, spec);
    cands.sort((x, y) => y.w.start - x.w.start);
    const latest = cands[0];
    if (latest && !staleOnset(pc, clock, spec.path, latest)) {
      onsets.set(spec.path, latest.w);
      pc.b.add(spec.path, normaliseTime(latest.w.text), { resource: latest.res.ref, code: token(latest.coding), element: "onsetDateTime" });
      if (cands.length > 1) {
        pc.b.warn(spec.path, `${cands.length} Conditions giving ${spec.path} (${cands.map((c) => `${c.res.ref} onset ${c.w.text}`).join(", ")}); used the latest onset at or before screening, ${latest.res.ref}`);
      }
    }
    const answered = answers.get(spec.path);
    if (!onsets.has(spec.path) && answered) {
      const w = clock.when(answered.value);
      if (typeof w === "object") onsets.set(spec.path, w);
    }
  }
  return onsets;
}

/** History flags: a confirmed, active Condition sets its path; refuted, unconfirmed or resolved ones are weighed as evidence. */
export function readConditionFlags(pc: PatientContext, conditions: readonly Res[]): void {
  const { b, mapping } = pc;
  const statuses = new Set(mapping.file.conditionClinicalStatuses);
  const condMaps = mapping.file.conditions.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  for (const res of conditions) {
    const ver = statusCode(res.json.verificationStatus);
    const clin = statusCode(res.json.clinicalStatus);
    let any = false;
    for (const { spec, matches } of condMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      pc.used.add(res);
      if (ver === "entered-in-error") continue;
      const present = (v: unknown) => pc.sameValue(spec.path, v, spec.present); // what an unsettled finding is still consistent with
      const src: ResourceSource = { resource: res.ref, code: token(coding), element: ver === "refuted" ? "verificationStatus=refuted" : `clinicalStatus=${clin ?? "?"}`, ...(str(res.json.recordedDate) ? { effective: str(res.json.recordedDate)! } : {}) };
      if (ver === "refuted") {
        if (spec.refuted !== undefined && exactlyListed(spec.codes, coding, mapping.file.systems)) b.add(spec.path, spec.refuted, src);
        else b.warn(spec.path, `${res.ref} refutes ${label(pc, coding)}, which does not rule out ${spec.path} as a whole; not used`);
        continue;
      }
      if (ver === "unconfirmed" || ver === "provisional" || ver === "differential") {
        b.block(spec.path, `${res.ref} (${label(pc, coding)}) is ${ver}, not confirmed; left unknown`, present);
        continue;
      }
      if (clin && statuses.has(clin)) b.add(spec.path, spec.present, src);
      else b.block(spec.path, `${res.ref} (${label(pc, coding)}) has clinicalStatus ${clin ?? "(none)"}: whether it still counts is for the investigator; left unknown`, present);
    }
    if (!any && !pc.used.has(res)) pc.unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
  }
}
