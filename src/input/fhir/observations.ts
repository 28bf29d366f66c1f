/** Observations: labs, scores and coded answers; per path the latest result at or before screening. */
import type { CodeMatcher, Coding } from "../../rules/mapping/codes.js";
import type { AnswerSpec, ScoreSpec } from "../../rules/mapping/fhir-schema.js";
import type { LabMap } from "../../rules/mapping/fhir.js";
import { firstMatch, label, type Clock, type PatientContext, type Res } from "./context.js";
import { readAnswer, readLab, readScore, type Read } from "./observation-values.js";
import { DAY } from "../../time/instant.js";
import { observationTime, type When } from "./time.js";
import { shortJson, str, token } from "./values.js";

type ObsMap = { kind: "lab"; lab: LabMap } | { kind: "score"; spec: ScoreSpec } | { kind: "answer"; spec: AnswerSpec };

interface Candidate {
  readonly res: Res;
  readonly coding: Coding;
  readonly w?: When;
  readonly read: Read;
  /** A lab's recency limit: an older result does not describe the patient now. */
  readonly maxAge?: { readonly ms: number; readonly text: string };
}

interface ObservationMap {
  readonly path: string;
  readonly matches: CodeMatcher;
  readonly map: ObsMap;
}

function observationMaps(pc: PatientContext): ObservationMap[] {
  const { mapping } = pc;
  const labs = mapping.labs.map((lab): ObservationMap => ({ path: lab.path, matches: lab.matches, map: { kind: "lab", lab } }));
  const scores = mapping.file.scores.map((spec): ObservationMap => ({ path: spec.path, matches: mapping.matcher(spec.codes), map: { kind: "score", spec } }));
  const answers = mapping.file.answers.map((spec): ObservationMap => ({ path: spec.path, matches: mapping.matcher(spec.codes), map: { kind: "answer", spec } }));
  return [...labs, ...scores, ...answers];
}

/** Every mapped, usable Observation read, grouped by record path. */
function candidates(pc: PatientContext, clock: Clock, observations: readonly Res[]): Map<string, Candidate[]> {
  const m = pc.mapping.file;
  const maps = observationMaps(pc);
  const byPath = new Map<string, Candidate[]>();
  for (const res of observations) {
    let hit: { path: string; map: ObsMap; coding: Coding } | undefined;
    for (const om of maps) {
      const coding = firstMatch(res.json.code, om.matches);
      if (coding) {
        hit = { path: om.path, map: om.map, coding };
        break;
      }
    }
    if (!hit) continue;
    pc.used.add(res);
    const status = str(res.json.status);
    if (status === "entered-in-error" || status === "cancelled") continue;
    if (!status || !m.observationStatuses.includes(status)) {
      pc.b.warn(hit.path, `${res.ref} (${label(pc, hit.coding)}) has status ${status ?? "(none)"}, not ${m.observationStatuses.join("/")}; not used`);
      continue;
    }
    const t = observationTime(res.json);
    const w = t ? clock.when(t.value) : undefined;
    if (t && typeof w !== "object") pc.b.warn(hit.path, `${res.ref} ${t.element} ${shortJson(t.value)} is not a full date or timestamp; read as undated`);
    const read =
      hit.map.kind === "lab" ? readLab(res.json, hit.map.lab, pc.rules, pc.mapping) : hit.map.kind === "score" ? readScore(res.json, hit.map.spec.units) : readAnswer(res.json, hit.map.spec, pc.mapping);
    const list = byPath.get(hit.path) ?? [];
    list.push({ res, coding: hit.coding, ...(typeof w === "object" ? { w } : {}), read, ...(hit.map.kind === "lab" ? { maxAge: hit.map.lab.maxAge } : {}) });
    byPath.set(hit.path, list);
  }
  return byPath;
}

/** A score that must precede an event (pre-stroke mRS): only assessments dated before it; undefined when the event's time is unknown. */
function beforeEvent(pc: PatientContext, path: string, all: Candidate[], before: string, onset: When | undefined): Candidate[] | undefined {
  if (!onset) {
    pc.b.warn(path, `${all.map((c) => c.res.ref).join(", ")}: ${before} is unknown, so whether the assessment precedes it cannot be told; not used`);
    return undefined;
  }
  const early = all.filter((c) => c.w && c.w.end < onset.start);
  for (const c of all.filter((c) => !early.includes(c))) {
    pc.b.warn(path, `${c.res.ref} (${label(pc, c.coding)}${c.w ? ` at ${c.w.text}` : ", undated"}) is not dated before ${before} ${onset.text}; not read as ${path}`);
  }
  return early;
}

/**
 * Drops lab results too old to describe the patient at screening (older than the lab's maxAge,
 * counted from the end of a date-only result's day), and undated ones, whose age cannot be told.
 */
function recent(pc: PatientContext, clock: Clock, path: string, cands: Candidate[]): Candidate[] {
  const screening = clock.screening;
  if (!screening) return cands;
  return cands.filter((c) => {
    if (!c.maxAge) return true;
    if (!c.w) {
      pc.b.warn(path, `${c.res.ref} (${label(pc, c.coding)}) has no effective time, so whether it is within ${c.maxAge.text} of screening cannot be told; not used`);
      return false;
    }
    const age = screening.ms - c.w.end;
    if (age <= c.maxAge.ms || clock.afterScreening(c.w)) return true;
    pc.b.warn(path, `${c.res.ref} (${label(pc, c.coding)} at ${c.w.text}) is ${Math.floor(age / DAY)} d old at screening, older than the ${c.maxAge.text} a result of ${path} may be; not used`);
    return false;
  });
}

/** The latest dated results at or before screening (all of them when simultaneous), else a lone undated one. */
function latest(pc: PatientContext, clock: Clock, path: string, cands: Candidate[]): Candidate[] {
  const { b } = pc;
  for (const c of cands.filter((c) => c.w && clock.afterScreening(c.w))) {
    b.warn(path, `${c.res.ref} (${label(pc, c.coding)} at ${c.w!.text}) is after the screening time ${clock.screeningText}; not used`);
  }
  const dated = cands.filter((c) => c.w && !clock.afterScreening(c.w));
  const undated = cands.filter((c) => !c.w);
  if (dated.length) {
    const at = Math.max(...dated.map((c) => c.w!.start));
    const chosen = dated.filter((c) => c.w!.start === at);
    if (undated.length) b.warn(path, `${undated.map((c) => c.res.ref).join(", ")}: no effective time, so not comparable with the dated results; not used`);
    if (dated.length + undated.length > 1) {
      const list = [...dated].sort((x, y) => x.w!.start - y.w!.start).map((c) => `${c.res.ref} ${c.w!.text}`);
      b.warn(path, `${dated.length + undated.length} Observations (${list.join(", ")}); used the latest at or before screening, ${chosen.map((c) => c.res.ref).join(", ")}`);
    }
    return chosen;
  }
  if (undated.length === 1) {
    b.warn(path, `${undated[0]!.res.ref} has no effective time; used as the only result for ${path}`);
    return undated;
  }
  if (undated.length > 1) b.warn(path, `${undated.map((c) => c.res.ref).join(", ")}: several results with no effective time, none can be called the latest; left unknown`);
  return [];
}

export function readObservations(pc: PatientContext, clock: Clock, observations: readonly Res[], onsets: ReadonlyMap<string, When>): void {
  const onlyBefore = new Map(pc.mapping.file.scores.filter((s) => s.onlyBefore).map((s) => [s.path, s.onlyBefore!]));
  for (const [path, all] of candidates(pc, clock, observations)) {
    let cands: Candidate[] | undefined = all;
    const before = onlyBefore.get(path);
    if (before) cands = beforeEvent(pc, path, all, before, onsets.get(before));
    if (!cands) continue;
    const chosen = latest(pc, clock, path, recent(pc, clock, path, cands));
    if (!chosen.length) continue;
    const bad = chosen.find((c) => "problem" in c.read);
    if (bad && "problem" in bad.read) {
      pc.b.warn(path, `${bad.res.ref} (${label(pc, bad.coding)}): ${bad.read.problem}; left unknown`);
      continue;
    }
    const reads = chosen.map((c) => ({ c, r: c.read as { value: unknown; element: string; notes: string[] } }));
    const disagree = reads.some(({ r }) => !pc.sameValue(path, r.value, reads[0]!.r.value));
    for (const { c, r } of reads) {
      for (const note of r.notes) pc.b.warn(path, `${c.res.ref}: ${note}`);
      const source = { resource: c.res.ref, code: token(c.coding), ...(c.w ? { effective: c.w.text } : {}), element: r.element };
      // Simultaneous results that disagree are weighed against the criteria once the whole record is read.
      if (disagree) pc.simultaneous.set(path, [...(pc.simultaneous.get(path) ?? []), { value: r.value, source }]);
      else pc.b.add(path, r.value, source);
    }
  }
}
