/** Kept for the input chooser's import until it moves to src/input/: the FHIR reader lives in src/input/fhir/. */
export { bundleToRecords, isBundle } from "../input/fhir/bundle.js";
export type { FhirContext, BundleResult } from "../input/fhir/context.js";
export type { AdaptedRecord } from "../input/fhir/evidence.js";
