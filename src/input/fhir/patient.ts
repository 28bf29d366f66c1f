/** The Patient resource: the subject's id, birth date and sex, and whether the patient is alive at screening. */
import type { Problem } from "../../result.js";
import type { Clock, PatientContext, Res } from "./context.js";
import { arr, isObject, shortJson, str, type Json } from "./values.js";

/** True when the identifier's period ended before screening (an old MRN, a merged record's number). */
function ended(ident: Json, clock: Clock): boolean {
  const end = isObject(ident.period) ? clock.when(ident.period.end) : undefined;
  return typeof end === "object" && clock.screening !== undefined && end.end < clock.screening.ms;
}

/** The id: the first identifier in force at screening, else the resource id. */
export function readPatientId(pc: PatientContext, patient: Res, clock: Clock): void {
  const path = pc.mapping.file.patient.id;
  if (!path) return;
  const pj = patient.json;
  const idents = arr(pj.identifier).filter(isObject).filter((i) => typeof i.value === "string");
  const ident = idents.find((i) => !ended(i, clock));
  const skipped = idents.filter((i) => ended(i, clock));
  if (skipped.length) pc.b.warn(path, `${patient.ref}: ${skipped.map((i) => shortJson(i.value)).join(", ")} ${skipped.length === 1 ? "is an identifier" : "are identifiers"} whose period ended before screening; not used as the id`);
  const id = ident ? str(ident.value) : str(pj.id);
  if (id !== undefined) pc.b.add(path, id, { resource: patient.ref, element: ident ? "identifier" : "id" });
}

/**
 * A patient who died at or before the screening time cannot be screened: an error naming the
 * element, like a birth after screening. A death after the screening time (a record read later) is
 * no contradiction. A partial date counts from its start, so a death "2020" refuses a screen in 2020.
 */
export function deceased(patient: Res, clock: Clock): Problem | undefined {
  const pj = patient.json;
  if (pj.deceasedBoolean === true) return { path: "Patient.deceasedBoolean", message: `${patient.ref} has deceasedBoolean true: a deceased patient is not screened` };
  const text = str(pj.deceasedDateTime);
  if (text === undefined) return undefined;
  const w = clock.when(/^\d{4}$/.test(text) ? `${text}-01-01` : /^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text);
  if (typeof w !== "object" || clock.screening === undefined || w.start > clock.screening.ms) return undefined;
  return { path: "Patient.deceasedDateTime", message: `${patient.ref} died ${text}, at or before the screening time ${clock.screeningText}: a deceased patient is not screened` };
}

export function readPatient(pc: PatientContext, patient: Res): void {
  const { b } = pc;
  const m = pc.mapping.file;
  const pj = patient.json;
  if (m.patient.birthDate && pj.birthDate !== undefined) {
    const text = str(pj.birthDate);
    if (text && /^\d{4}-\d{2}-\d{2}$/.test(text)) b.add(m.patient.birthDate, text, { resource: patient.ref, element: "birthDate" });
    else b.warn(m.patient.birthDate, `${patient.ref} birthDate ${shortJson(pj.birthDate)} is not a full date (YYYY-MM-DD); left unknown`);
  }
  if (m.patient.sex && pj.gender !== undefined) {
    // Own properties only: a gender such as "constructor" or "__proto__" must not reach the object prototype.
    const sex = typeof pj.gender === "string" && Object.hasOwn(m.patient.gender, pj.gender) ? m.patient.gender[pj.gender] : undefined;
    if (sex !== undefined) b.add(m.patient.sex, sex, { resource: patient.ref, element: "gender" });
    else b.warn(m.patient.sex, `${patient.ref} gender ${shortJson(pj.gender)} is not mapped to a sex the criteria read; left unknown`);
  }
}
