/**
 * MedicationStatement, MedicationRequest, MedicationAdministration: whether a drug is taken now,
 * the time of its last dose, and treatments given as a medication.
 */
import type { ResourceSource } from "../../result.js";
import type { Coding } from "../../rules/mapping/codes.js";
import type { FhirMappingFile, MedicationMeaning } from "../../rules/mapping/fhir-schema.js";
import { firstMatch, label, type Clock, type PatientContext, type Res } from "./context.js";
import { medicationTime, normaliseTime, type TimeElement, type When } from "./time.js";
import { treatment } from "./treatments.js";
import { arr, codesOf, isObject, str, token, type Json } from "./values.js";

type MedSpec = FhirMappingFile["medications"][number];

interface Dose {
  readonly w: When;
  readonly src: ResourceSource;
}

/** The Medication a resource names: one of the Bundle's, or one contained in the resource ("#id"). */
function referencedMedication(pc: PatientContext, json: Json): Json | undefined {
  const ref = isObject(json.medicationReference) ? str(json.medicationReference.reference) : undefined;
  if (ref === undefined) return undefined;
  if (ref.startsWith("#")) return arr(json.contained).filter(isObject).find((c) => c.resourceType === "Medication" && c.id === ref.slice(1));
  return pc.medications.get(ref)?.json;
}

/**
 * The drug's concepts: the resource's own, else its Medication's code and each ingredient's, so a
 * product coded only by its ingredients (or an ingredient table beside a local product code) is read.
 */
function medConcepts(pc: PatientContext, json: Json): unknown[] {
  if (json.medicationCodeableConcept !== undefined) return [json.medicationCodeableConcept];
  const med = referencedMedication(pc, json);
  if (!med) return [];
  const ingredients = arr(med.ingredient).filter(isObject).map((i) => i.itemCodeableConcept);
  return [med.code, ...ingredients].filter((c) => c !== undefined);
}

function matchAny(concepts: readonly unknown[], matches: (c: Coding) => boolean): Coding | undefined {
  for (const concept of concepts) {
    const coding = firstMatch(concept, matches);
    if (coding) return coding;
  }
  return undefined;
}

// An order says a thrombolytic was given only once its actions are done; otherwise it may or may not have been.
const REQUEST_DONE = ["completed"];
const REQUEST_IGNORED = ["cancelled", "entered-in-error"];

/** What a statement's or an order's status says of taking the drug now: data (medicationStatuses in the table). */
function meaningOf(pc: PatientContext, type: string, status: string | undefined): MedicationMeaning | undefined {
  const statuses = pc.mapping.file.medicationStatuses;
  const table = Object.hasOwn(statuses, type) ? statuses[type]! : undefined;
  return table && status !== undefined && Object.hasOwn(table, status) ? table[status] : undefined;
}

interface MedEvent {
  readonly res: Res;
  readonly coding: Coding;
  readonly status: string | undefined;
  readonly t: TimeElement | undefined;
  readonly src: ResourceSource;
}

function takenNow(pc: PatientContext, spec: MedSpec, e: MedEvent): void {
  const { b } = pc;
  const { res, coding, status, src } = e;
  if (res.type === "MedicationAdministration") {
    b.warn(spec.path, `${res.ref} (${label(pc, coding)}): a single administration does not say whether it is taken now; not used`);
    return;
  }
  const meaning = meaningOf(pc, res.type, status);
  const what = `${res.ref} (${label(pc, coding)}) has status ${status ?? "(none)"}`;
  if (meaning === "taking") b.add(spec.path, true, src);
  else if (meaning === "not-taking") b.add(spec.path, false, src);
  else if (meaning === "stopped") b.add(spec.path, false, src, true);
  else if (meaning === "ignored") b.warn(spec.path, `${what}, which says nothing of whether it is taken now; not used`);
  else b.block(spec.path, `${what}, which does not say the drug is not being taken${meaning === undefined ? " (a status the mapping table does not list)" : ""}; left unknown`, (v) => v === true);
}

/** Only an administration gives the time of a dose; a statement or order says at most that none is taken. */
function lastDose(pc: PatientContext, clock: Clock, spec: MedSpec, e: MedEvent): Dose | undefined {
  const { b } = pc;
  const { res, coding, status, t, src } = e;
  const what = `${res.ref} (${label(pc, coding)}`;
  if (res.type !== "MedicationAdministration") {
    const meaning = meaningOf(pc, res.type, status);
    if (meaning === "not-taking") b.add(spec.path, null, src, true);
    else if (meaning === "ignored") b.warn(spec.path, `${what}) has status ${status ?? "(none)"}; not used`);
    else b.block(spec.path, `${what}, ${status ?? "no status"}) records the drug but not the time of its last dose (only a MedicationAdministration gives that); left unknown`, (v) => v !== null);
    return undefined;
  }
  if (status === "not-done") {
    b.warn(spec.path, `${what}) has status not-done; not used`);
    return undefined;
  }
  if (status !== "completed" && status !== "in-progress" && status !== "stopped") {
    // on-hold, unknown, no status: a dose may have been given, and when is not known.
    b.block(spec.path, `${what}) has status ${status ?? "(none)"}, so whether and when a dose was given cannot be told; left unknown`);
    return undefined;
  }
  let w = t ? clock.when(t.value) : undefined;
  if (status === "in-progress" && t?.element === "effectivePeriod.start" && clock.screening) {
    // Still running at screening: the last dose is now.
    w = { start: clock.screening.ms, end: clock.screening.ms, text: clock.screeningText! };
  }
  if (typeof w !== "object") {
    b.block(spec.path, `${what}) records a dose without a readable time; left unknown`);
    return undefined;
  }
  if (clock.afterScreening(w)) {
    b.warn(spec.path, `${what} at ${w.text}) is after the screening time ${clock.screeningText}; not used`);
    return undefined;
  }
  return { w, src: { ...src, effective: w.text } };
}

export function readMedications(pc: PatientContext, clock: Clock, resources: readonly Res[], onsets: ReadonlyMap<string, When>): void {
  const { mapping } = pc;
  const medMaps = mapping.file.medications.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  const treatMaps = mapping.file.treatments.map((spec) => ({ spec, matches: mapping.matcher(spec.medications) }));
  const lastDoses = new Map<string, Dose[]>();
  for (const res of resources) {
    const concepts = medConcepts(pc, res.json);
    const status = str(res.json.status);
    let any = false;
    for (const { spec, matches } of medMaps) {
      const coding = matchAny(concepts, matches);
      if (!coding) continue;
      any = true;
      pc.used.add(res);
      if (status === "entered-in-error") continue;
      const t = medicationTime(res.json);
      const src: ResourceSource = { resource: res.ref, code: token(coding), element: `status=${status ?? "?"}`, ...(t ? { effective: String(t.value) } : {}) };
      const e = { res, coding, status, t, src };
      if (spec.sets === "taken-now") {
        takenNow(pc, spec, e);
        continue;
      }
      const dose = lastDose(pc, clock, spec, e);
      if (dose) lastDoses.set(spec.path, [...(lastDoses.get(spec.path) ?? []), dose]);
    }
    if (res.type === "MedicationAdministration" || res.type === "MedicationRequest") {
      for (const { spec, matches } of treatMaps) {
        const coding = matchAny(concepts, matches);
        if (!coding) continue;
        any = true;
        pc.used.add(res);
        const event = { path: spec.path, afterPath: spec.after, res, coding, status, time: medicationTime(res.json) };
        if (res.type === "MedicationAdministration") treatment(pc, clock, onsets, event);
        else if (status !== undefined && REQUEST_IGNORED.includes(status)) pc.b.warn(spec.path, `${res.ref} (${label(pc, coding)}) is an order with status ${status}; not used`);
        else treatment(pc, clock, onsets, { ...event, done: REQUEST_DONE, notDone: [] });
      }
    }
    if (!any) pc.unmapped.push(`${res.ref} (${codesOf(concepts[0], mapping)})`);
  }
  for (const [path, doses] of lastDoses) {
    doses.sort((x, y) => y.w.start - x.w.start);
    const latest = doses[0]!;
    pc.b.add(path, normaliseTime(latest.w.text), latest.src);
    if (doses.length > 1) pc.b.warn(path, `${doses.length} administrations; used the latest at or before screening, ${latest.src.resource} at ${latest.w.text}`);
  }
}
