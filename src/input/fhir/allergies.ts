/**
 * AllergyIntolerance: the mapped allergy's reading (severe reaction, mild rash only, refuted) gives
 * the value the table names for it; a general "no known allergy" finding is weak evidence.
 */
import type { ResourceSource } from "../../result.js";
import type { Coding } from "../../rules/mapping/codes.js";
import type { AllergySpec } from "../../rules/mapping/fhir-schema.js";
import { firstMatch, label, type PatientContext, type Res } from "./context.js";
import { arr, codesOf, concepts, isObject, statusCode, str, token } from "./values.js";

function readAllergy(pc: PatientContext, res: Res, spec: AllergySpec, coding: Coding, rash: (c: Coding) => boolean): void {
  const { b } = pc;
  const v = spec.values;
  const ver = statusCode(res.json.verificationStatus);
  const clin = statusCode(res.json.clinicalStatus);
  const severe = (x: unknown) => pc.sameValue(spec.path, x, v.severeReaction); // an allergy whose severity is not read may be severe
  const src = (element: string): ResourceSource => ({ resource: res.ref, code: token(coding), element, ...(str(res.json.recordedDate) ? { effective: str(res.json.recordedDate)! } : {}) });
  if (ver === "refuted") {
    if (v.refuted !== undefined) b.add(spec.path, v.refuted, src("verificationStatus=refuted"));
    return;
  }
  if (ver === "unconfirmed" || (clin !== undefined && clin !== "active")) {
    b.block(spec.path, `${res.ref} (${label(pc, coding)}) is ${ver === "unconfirmed" ? "unconfirmed" : clin}; left unknown`, severe);
    return;
  }
  const reactions = arr(res.json.reaction).filter(isObject);
  if (res.json.criticality === "high" || reactions.some((r) => r.severity === "severe")) {
    b.add(spec.path, v.severeReaction, src(res.json.criticality === "high" ? "criticality=high" : "reaction.severity=severe"));
    return;
  }
  const rashOnly =
    reactions.length > 0 &&
    reactions.every((r) => r.severity === "mild") &&
    reactions.every((r) => {
      const mans = arr(r.manifestation);
      return mans.length > 0 && mans.every((mc) => concepts(mc).some((c) => rash(c)));
    });
  if (rashOnly && v.mildRashOnly !== undefined) {
    b.add(spec.path, v.mildRashOnly, src("reaction=mild rash"));
    return;
  }
  b.block(spec.path, `${res.ref} (${label(pc, coding)}) records an allergy whose severity cannot be read as severe or a mild rash (criticality ${str(res.json.criticality) ?? "not given"}, ${reactions.length} reaction${reactions.length === 1 ? "" : "s"}); left unknown`, severe);
}

export function readAllergies(pc: PatientContext, allergies: readonly Res[]): void {
  const { mapping } = pc;
  const allergyMaps = mapping.file.allergies.map((spec) => ({ spec, matches: mapping.matcher(spec.codes), rash: mapping.matcher(spec.rashManifestations) }));
  const noAllergyMaps = mapping.file.noAllergyFindings.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  for (const res of allergies) {
    const ver = statusCode(res.json.verificationStatus);
    const clin = statusCode(res.json.clinicalStatus);
    let any = false;
    if (ver === "entered-in-error") {
      pc.used.add(res);
      continue;
    }
    for (const { spec, matches } of noAllergyMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      pc.used.add(res);
      if (ver === "refuted" || (clin !== undefined && clin !== "active")) continue;
      for (const [path, value] of Object.entries(spec.sets)) pc.b.add(path, value, { resource: res.ref, code: token(coding) }, true);
    }
    for (const { spec, matches, rash } of allergyMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      pc.used.add(res);
      readAllergy(pc, res, spec, coding, rash);
    }
    if (!any) pc.unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
  }
}
