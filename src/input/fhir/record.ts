/**
 * One Patient's resources → one record: each resource type is read by its own reader into the
 * evidence, in a fixed order (the questionnaire first: it may give the screening time; onsets before
 * what is dated against them), and whatever no reader recognised is named in one warning.
 */
import type { Problem } from "../../result.js";
import type { FhirMapping } from "../../rules/mapping/fhir.js";
import { parseTime } from "../../time/instant.js";
import { readAllergies } from "./allergies.js";
import { readConditionFlags, readOnsets } from "./conditions.js";
import { byReference, clockAt, patientContext, type Clock, type FhirContext, type PatientContext, type Res } from "./context.js";
import type { AdaptedRecord } from "./evidence.js";
import { readMedications } from "./medications.js";
import { readObservations } from "./observations.js";
import { deceased, readPatient, readPatientId } from "./patient.js";
import { readQuestionnaires, type Answers } from "./questionnaire.js";
import { settleSimultaneous } from "./simultaneous.js";
import { readProcedures } from "./treatments.js";
import type { UnmappedCoding } from "../provenance.js";
import { codesOf, concepts, isObject, str } from "./values.js";

// Resources that only support others (a Medication named by a MedicationRequest) or carry no patient data.
const SUPPORTING = new Set(["Medication", "Practitioner", "PractitionerRole", "Organization", "Location", "Device", "Provenance", "Questionnaire"]);
const READ_TYPES = new Set(["Condition", "MedicationStatement", "MedicationRequest", "MedicationAdministration", "Procedure", "AllergyIntolerance"]);
// The resource types whose codes a mapping table could use: what coverage lists as unused.
const CODED = new Set(["Observation", ...READ_TYPES]);

/** The screening moment: the questionnaire's answer for the rules' screening field, else the caller's. */
function screeningClock(pc: PatientContext, ctx: FhirContext, answers: Answers): Clock {
  let screening = ctx.screening;
  const answered = answers.get(pc.rules.file.subject.screenedAt);
  if (answered && typeof answered.value === "string") {
    const parsed = parseTime(answered.value, pc.zone, false);
    if (parsed?.kind === "instant") screening = { ms: parsed.instant.ms, offsetMin: parsed.instant.offsetMin };
  }
  return clockAt(screening, pc.zone);
}

function mappingName(mapping: FhirMapping): string {
  return mapping.source.split(/[\\/]/).slice(-2).join("/");
}

/** The concept that names what a resource is about: its code, or the drug it records. */
function conceptOf(pc: PatientContext, res: Res): unknown {
  const j = res.json;
  if (j.medicationCodeableConcept !== undefined) return j.medicationCodeableConcept;
  const ref = isObject(j.medicationReference) ? str(j.medicationReference.reference) : undefined;
  if (ref !== undefined) return pc.medications.get(ref)?.json.code;
  return j.code;
}

/** The codings of clinical resources no reader used, for `screen coverage`. */
function unmappedCodings(pc: PatientContext, own: readonly Res[]): UnmappedCoding[] {
  const out: UnmappedCoding[] = [];
  for (const res of own) {
    if (pc.used.has(res) || SUPPORTING.has(res.type) || !CODED.has(res.type)) continue;
    for (const c of concepts(conceptOf(pc, res))) {
      if (c.code !== undefined) out.push({ resourceType: res.type, code: c.code, ...(c.system !== undefined ? { system: c.system } : {}), ...(c.display !== undefined ? { display: c.display } : {}) });
    }
  }
  return out;
}

/** Everything no reader recognised: named, never guessed. */
function warnUnmapped(pc: PatientContext, own: readonly Res[]): void {
  for (const res of own) {
    if (pc.used.has(res) || SUPPORTING.has(res.type)) continue;
    if (res.type === "Observation") pc.unmapped.push(`${res.ref} (${codesOf(res.json.code, pc.mapping)})`);
    else if (res.type === "QuestionnaireResponse") pc.unmapped.push(`${res.ref} (questionnaire ${str(res.json.questionnaire) ?? "not named"})`);
    else if (!READ_TYPES.has(res.type)) pc.unmapped.push(res.ref);
  }
  const unique = [...new Set(pc.unmapped)];
  if (!unique.length) return;
  const shown = unique.slice(0, 12).join(", ") + (unique.length > 12 ? `, and ${unique.length - 12} more` : "");
  pc.b.warn("", `${unique.length} resource${unique.length === 1 ? "" : "s"} not mapped (no code in the mapping table ${mappingName(pc.mapping)}), ignored: ${shown}`);
}

export function patientRecord(patient: Res, own: readonly Res[], medications: ReadonlyMap<string, Res>, shared: readonly Problem[], ctx: FhirContext): AdaptedRecord {
  const pc = patientContext(ctx, medications, byReference(own.filter((r) => r.type === "Encounter")));
  const ofType = (...types: string[]) => own.filter((r) => types.includes(r.type));
  readPatient(pc, patient);
  const answers = readQuestionnaires(pc, ofType("QuestionnaireResponse"));
  const clock = screeningClock(pc, ctx, answers);
  readPatientId(pc, patient, clock);
  for (const [path, a] of answers) pc.b.add(path, a.value, a.source);
  const conditions = ofType("Condition");
  const onsets = readOnsets(pc, clock, conditions, answers);
  readObservations(pc, clock, ofType("Observation"), onsets);
  readConditionFlags(pc, conditions);
  readMedications(pc, clock, ofType("MedicationStatement", "MedicationRequest", "MedicationAdministration"), onsets);
  readProcedures(pc, clock, ofType("Procedure"), onsets);
  readAllergies(pc, ofType("AllergyIntolerance"));
  warnUnmapped(pc, own);
  const out = pc.b.finish();
  settleSimultaneous(pc, clock, out, pc.simultaneous);
  const error = deceased(patient, clock);
  const unmappedCodes = unmappedCodings(pc, own);
  return { ...out, warnings: [...shared, ...out.warnings], ...(error ? { error } : {}), ...(unmappedCodes.length ? { unmappedCodes } : {}) };
}
