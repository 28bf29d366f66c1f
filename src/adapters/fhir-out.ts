/** Kept for the CLI's import until it is rewired: the FHIR reporter lives in src/report/fhir.ts. */
export { fhirOutOptions, fhirReporter, researchSubject, type FhirOutOptions } from "../report/fhir.js";
