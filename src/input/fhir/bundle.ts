/**
 * FHIR R4 Bundle → patient records (one per Patient in the Bundle): the Bundle's shape is checked,
 * and each resource is given to the Patient it names. The codes, units and values are looked up in
 * the mapping table; anything it does not map stays absent — unknown — never guessed.
 */
import type { Problem } from "../../result.js";
import { byReference, type BundleResult, type FhirContext, type Res } from "./context.js";
import { patientRecord } from "./record.js";
import { arr, isObject, str } from "./values.js";

const CLINICAL = new Set([
  "Observation",
  "Condition",
  "MedicationStatement",
  "MedicationRequest",
  "MedicationAdministration",
  "AllergyIntolerance",
  "Procedure",
  "QuestionnaireResponse",
]);

/** The Bundle's resources, or what is wrong with its shape. */
function bundleResources(bundle: unknown): Res[] | string {
  if (!isObject(bundle)) return `expected a FHIR Bundle (a JSON object with "resourceType": "Bundle")`;
  if (bundle.resourceType !== "Bundle") {
    const rt = str(bundle.resourceType);
    return rt ? `expected a FHIR Bundle, got a ${rt} resource (wrap it in a Bundle with its Patient)` : `expected a FHIR Bundle: the object has no "resourceType": "Bundle"`;
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) return `malformed FHIR Bundle: "entry" must be an array`;
  const resources: Res[] = [];
  const entries = arr(bundle.entry);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!isObject(entry)) return `malformed FHIR Bundle: entry[${i}] is not an object`;
    const json = entry.resource;
    if (!isObject(json)) return `malformed FHIR Bundle: entry[${i}] has no resource (each entry needs a resource with a resourceType)`;
    const type = str(json.resourceType);
    if (!type) return `malformed FHIR Bundle: entry[${i}].resource has no resourceType`;
    const id = str(json.id);
    const fullUrl = str(entry.fullUrl);
    resources.push({ json, type, ref: id ? `${type}/${id}` : (fullUrl ?? `${type}#entry${i}`), ...(fullUrl ? { fullUrl } : {}) });
  }
  return resources;
}

/** Each resource given to the Patient its subject (or patient) names; problems for those that name none or another. */
function splitByPatient(resources: readonly Res[], patients: readonly Res[]): { byPatient: Map<Res, Res[]>; shared: Problem[] } {
  const byPatient = new Map<Res, Res[]>(patients.map((p) => [p, []]));
  const shared: Problem[] = [];
  const resolve = (reference: string): Res | undefined => {
    const byUrl = patients.find((p) => p.fullUrl === reference);
    if (byUrl) return byUrl;
    const m = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(reference);
    return m ? patients.find((p) => str(p.json.id) === m[1]) : undefined;
  };
  for (const res of resources) {
    if (res.type === "Patient") continue;
    const refObj = isObject(res.json.subject) ? res.json.subject : isObject(res.json.patient) ? res.json.patient : undefined;
    const reference = refObj ? str(refObj.reference) : undefined;
    if (reference === undefined) {
      if (patients.length === 1) byPatient.get(patients[0]!)!.push(res);
      else if (CLINICAL.has(res.type)) shared.push({ path: "", message: `${res.ref} names no patient (subject), and the Bundle holds ${patients.length}; ignored` });
      continue;
    }
    const owner = resolve(reference);
    if (owner) byPatient.get(owner)!.push(res);
    else if (CLINICAL.has(res.type)) shared.push({ path: "", message: `${res.ref} refers to ${reference}, which is not in the Bundle; ignored` });
  }
  return { byPatient, shared };
}

/** Checks the Bundle's shape and splits it per Patient; every Patient becomes one record. */
export function bundleToRecords(bundle: unknown, ctx: FhirContext): BundleResult {
  const resources = bundleResources(bundle);
  if (typeof resources === "string") return { ok: false, error: resources };
  const patients = resources.filter((r) => r.type === "Patient");
  if (!patients.length) return { ok: false, error: `the Bundle holds no Patient resource, so nothing says whose data it is (${resources.length} other resource${resources.length === 1 ? "" : "s"})` };
  const { byPatient, shared } = splitByPatient(resources, patients);
  const medications = byReference(resources.filter((r) => r.type === "Medication"));
  try {
    return { ok: true, patients: patients.map((p) => patientRecord(p, byPatient.get(p)!, medications, shared, ctx)) };
  } catch (err) {
    // A backstop: the readers are iterative and describe values briefly, but no Bundle may stop a batch.
    if (err instanceof RangeError) return { ok: false, error: `the Bundle could not be read (${err.message}): is something in it nested too deeply?` };
    throw err;
  }
}
