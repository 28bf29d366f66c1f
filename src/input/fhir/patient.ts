/** The Patient resource: the subject's id, birth date and sex. */
import type { PatientContext, Res } from "./context.js";
import { arr, isObject, shortJson, str } from "./values.js";

export function readPatient(pc: PatientContext, patient: Res): void {
  const { b } = pc;
  const m = pc.mapping.file;
  const pj = patient.json;
  if (m.patient.id) {
    const ident = arr(pj.identifier).filter(isObject).find((i) => typeof i.value === "string");
    const id = ident ? str(ident.value) : str(pj.id);
    if (id !== undefined) b.add(m.patient.id, id, { resource: patient.ref, element: ident ? "identifier" : "id" });
  }
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
