/**
 * The FHIR mapping table's schema (rules/mappings/fhir-r4.json). Every object is strict: a misspelt
 * key is refused with its place, never silently ignored. The vocabulary says what a FHIR finding
 * means for a record path, never what a trial calls it: the paths and values are the rules' own.
 */
import { _default, array, enum as oneOf, minLength, nullable, optional, record, string, strictObject, union, unknown, type output } from "zod/mini";
import "../zod-messages.js";

const codeSet = record(string(), array(string()));
const path = string().check(minLength(1));

/**
 * What a MedicationStatement's or MedicationRequest's status says of taking the drug now: `taking`
 * (true), `not-taking` (false), `stopped` (false, but an active one overrides it), `ignored` (says
 * nothing either way), `unclear` (records the drug without saying it is not taken: the field stays
 * unknown unless other evidence says it is taken).
 */
export const MEDICATION_MEANINGS = ["taking", "not-taking", "stopped", "unclear", "ignored"] as const;
export type MedicationMeaning = (typeof MEDICATION_MEANINGS)[number];

/** What a medication code sets: whether the drug is taken now (a boolean path), or the time of its last dose (a timestamp path). */
export const MEDICATION_READS = ["taken-now", "last-dose-time"] as const;

const unitRule = strictObject({ unit: nullable(string()), factor: optional(string()), warning: optional(string().check(minLength(1))) });

export const fhirSchema = strictObject({
  $comment: optional(union([string(), array(string())])),
  name: string(),
  version: string(),
  systems: record(string(), strictObject({ uri: array(string()).check(minLength(1)), match: oneOf(["exact", "prefix", "icd"]), label: optional(string()) })),
  patient: strictObject({ id: optional(path), birthDate: optional(path), sex: optional(path), gender: _default(record(string(), string()), {}) }),
  observationStatuses: array(string()).check(minLength(1)),
  // A unit as written (HL7v2, lab-system spellings) → the unit key the labs' tables use.
  unitAliases: _default(record(string(), string()), {}),
  // How old a lab result may be at screening and still be used ("14d"), unless a lab says otherwise.
  labMaxAge: _default(string(), "14d"),
  labs: array(strictObject({ path, codes: codeSet, units: record(string(), unitRule), maxAge: optional(string()) })),
  scores: array(strictObject({ path, codes: codeSet, units: array(string()), onlyBefore: optional(path) })),
  answers: array(strictObject({ path, codes: codeSet, values: record(string(), strictObject({ codes: optional(codeSet), text: optional(array(string())) })) })),
  // A Condition code whose onset is the value of a timestamp path (the latest one at or before screening).
  conditionOnsets: array(strictObject({ path, codes: codeSet })),
  conditions: array(strictObject({ path, codes: codeSet, present: unknown(), refuted: optional(unknown()) })),
  conditionClinicalStatuses: array(string()).check(minLength(1)),
  medications: array(strictObject({ path, sets: oneOf(MEDICATION_READS), codes: codeSet })),
  // resource type → status → what it says of taking the drug now; a status not listed is "unclear".
  medicationStatuses: _default(record(string(), record(string(), oneOf(MEDICATION_MEANINGS))), {}),
  allergies: array(
    strictObject({
      path,
      codes: codeSet,
      // The value each reading of an AllergyIntolerance gives the path: high criticality or a severe
      // reaction; only mild reactions, all of them rashes; a refuted allergy. A reading without a value stays unknown.
      values: strictObject({ severeReaction: unknown(), mildRashOnly: optional(unknown()), refuted: optional(unknown()) }),
      rashManifestations: optional(codeSet),
    }),
  ),
  noAllergyFindings: array(strictObject({ codes: codeSet, sets: record(string(), unknown()) })),
  treatments: array(strictObject({ path, after: optional(path), procedures: optional(codeSet), medications: optional(codeSet) })),
  questionnaire: strictObject({ urls: array(string()), statuses: array(string()).check(minLength(1)), noneWords: array(string()), exclude: _default(array(string()), []) }),
  output: strictObject({ base: string().check(minLength(1)), studyIdentifierSystem: string().check(minLength(1)) }),
});

export type FhirMappingFile = output<typeof fhirSchema>;
export type LabSpec = FhirMappingFile["labs"][number];
export type ScoreSpec = FhirMappingFile["scores"][number];
export type AnswerSpec = FhirMappingFile["answers"][number];
export type AllergySpec = FhirMappingFile["allergies"][number];
