/**
 * `--format fhir`: each result as an R4 ResearchSubject — status eligible / ineligible /
 * candidate (incomplete) — with one contained Observation per criterion holding its outcome and
 * reason. An invalid record becomes an OperationOutcome. One input object prints one resource; a
 * batch prints a Bundle of type "collection". The mapping is documented in docs/fhir.md.
 */
import type { SourceMap } from "../result.js";
import type { OutputResult } from "../result.js";
import type { CompiledRules } from "../rules/compiled.js";
import { loadFhirMapping } from "../rules/mapping/fhir.js";
import type { Reporter } from "./reporter.js";

type Json = Record<string, unknown>;

const STATUS = { eligible: "eligible", ineligible: "ineligible", incomplete: "candidate" } as const;
const OUTCOME_DISPLAY = { pass: "Pass", fail: "Fail", unknown: "Unknown", not_applicable: "Not applicable" } as const;

export interface FhirOutOptions {
  readonly base: string; // canonical base for this tool's code systems and extensions
  readonly studySystem: string;
  readonly trial: string;
  readonly title?: string;
  readonly short: ReadonlyMap<string, string>;
  /** The record path of the subject's id (the rules' subject.id): its source names the Patient read. */
  readonly idPath: string;
}

export function fhirOutOptions(rules: CompiledRules): FhirOutOptions {
  const out = loadFhirMapping(rules).file.output;
  return {
    base: out.base.replace(/\/+$/, ""),
    studySystem: out.studyIdentifierSystem,
    trial: rules.meta.trial,
    ...(rules.file.title ? { title: rules.file.title } : {}),
    short: new Map(rules.criteria.map((c) => [c.id, c.short])),
    idPath: rules.file.subject.id,
  };
}

/** The Patient the result is about: the FHIR Patient it was read from, else the record's id. */
function individual(r: OutputResult, o: FhirOutOptions): Json {
  const sources = (r as { sources?: SourceMap }).sources;
  const idSource = sources?.[o.idPath];
  if (idSource && "resource" in idSource && idSource.resource.startsWith("Patient/")) {
    return { reference: idSource.resource, ...(r.id !== undefined ? { display: r.id } : {}) };
  }
  if (r.id !== undefined) return { identifier: { system: `${o.base}/screening-id`, value: r.id }, display: r.id };
  const where = [r.file, r.line !== undefined ? `line ${r.line}` : undefined, r.index !== undefined ? `item ${r.index}` : undefined].filter(Boolean).join(", ");
  return { display: `record without an id${where ? ` (${where})` : ""}` };
}

export function researchSubject(r: OutputResult, o: FhirOutOptions): Json {
  if (r.verdict === "error") return operationOutcome(r);
  const subject = individual(r, o);
  const contained = r.criteria.map((c) => {
    const obs: Json = {
      resourceType: "Observation",
      id: c.id,
      status: "final",
      category: [{ coding: [{ system: `${o.base}/CodeSystem/criterion-category`, code: c.category }] }],
      code: { coding: [{ system: `${o.base}/CodeSystem/${o.trial}-criteria`, code: c.id, ...(o.short.get(c.id) ? { display: o.short.get(c.id) } : {}) }], text: c.text },
      ...("reference" in subject ? { subject: { reference: subject.reference } } : {}),
      focus: [{ reference: "#" }],
      effectiveDateTime: r.screenedAt,
      valueCodeableConcept: { coding: [{ system: `${o.base}/CodeSystem/criterion-outcome`, code: c.outcome, display: OUTCOME_DISPLAY[c.outcome] }] },
      note: [{ text: c.reason }],
    };
    if (c.needs?.length) obs.extension = c.needs.map((p) => ({ url: `${o.base}/StructureDefinition/criterion-needs`, valueString: p }));
    return obs;
  });
  return {
    resourceType: "ResearchSubject",
    contained,
    extension: [
      { url: `${o.base}/StructureDefinition/screening-verdict`, valueCode: r.verdict },
      { url: `${o.base}/StructureDefinition/screened-at`, valueDateTime: r.screenedAt },
      {
        url: `${o.base}/StructureDefinition/screening-rules`,
        extension: [
          { url: "trial", valueString: r.rules.trial },
          { url: "version", valueString: r.rules.version },
          { url: "sha256", valueString: r.rules.sha256 },
        ],
      },
    ],
    ...(r.id !== undefined ? { identifier: [{ system: `${o.base}/screening-id`, value: r.id }] } : {}),
    status: STATUS[r.verdict],
    study: { identifier: { system: o.studySystem, value: o.trial }, ...(o.title ? { display: o.title } : {}) },
    individual: subject,
  };
}

function operationOutcome(r: Extract<OutputResult, { verdict: "error" }>): Json {
  const where = [r.file, r.line !== undefined ? `line ${r.line}` : undefined, r.index !== undefined ? `item ${r.index}` : undefined].filter(Boolean).join(", ");
  const prefix = [r.id, where].filter(Boolean).join(" ");
  return {
    resourceType: "OperationOutcome",
    issue: r.errors.map((e) => ({
      severity: "error",
      code: "invalid",
      diagnostics: `${prefix ? `${prefix}: ` : ""}${e.path ? `${e.path}: ` : ""}${e.message}`,
      ...(e.path ? { expression: [e.path] } : {}),
    })),
  };
}

/** Streams like the json reporter: the first resource is held until a second shows it is a batch. */
export function fhirReporter(options: FhirOutOptions): Reporter {
  let held: string | undefined;
  let count = 0;
  const entry = (r: OutputResult) => JSON.stringify({ resource: researchSubject(r, options) }, null, 2).replace(/\n/g, "\n    ");
  let first: OutputResult | undefined;
  return {
    start: () => "",
    result(r) {
      count++;
      if (count === 1) {
        first = r;
        held = entry(r);
        return "";
      }
      const prefix = count === 2 ? `{\n  "resourceType": "Bundle",\n  "type": "collection",\n  "entry": [\n    ${held},\n    ` : ",\n    ";
      held = undefined;
      return prefix + entry(r);
    },
    end(_summary, single) {
      if (count === 0) return `{\n  "resourceType": "Bundle",\n  "type": "collection",\n  "entry": []\n}\n`;
      if (count === 1) {
        if (single) return JSON.stringify(researchSubject(first!, options), null, 2) + "\n";
        return `{\n  "resourceType": "Bundle",\n  "type": "collection",\n  "entry": [\n    ${held}\n  ]\n}\n`;
      }
      return "\n  ]\n}\n";
    },
  };
}
