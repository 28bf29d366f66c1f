/**
 * FHIR R4 Bundle → patient records (one per Patient in the Bundle), with the resource each value
 * came from. The codes, units and values are looked up in the mapping table
 * (rules/mappings/fhir-r4.json); anything it does not map stays absent — unknown — never guessed,
 * and is named in a warning.
 */
import { format, fromNumber, mul } from "../numbers/rational.js";
import type { Problem } from "../record/normalise.js";
import type { CompiledRules } from "../rules/compiled.js";
import { parseDate } from "../time/calendar.js";
import { DAY, formatInstant, parseTime, startOfDay, type ZoneSource } from "../time/instant.js";
import { templateColumns } from "../input/csv.js";
import { exactlyListed, type CodeMatcher, type Coding, type FhirMapping, type LabMap, type MedicationMeaning } from "./mapping.js";
import type { ResourceSource, SourceMap } from "../input/provenance.js";

type Json = Record<string, unknown>;

export interface FhirContext {
  readonly rules: CompiledRules;
  readonly mapping: FhirMapping;
  /** The screening moment when the Bundle does not give one (--as-of, else now). */
  readonly screening?: { readonly ms: number; readonly offsetMin: number };
  readonly timeZone: ZoneSource;
}

export interface AdaptedRecord {
  readonly record: Json;
  readonly sources: SourceMap;
  readonly warnings: Problem[];
}

export type BundleResult = { readonly ok: true; readonly patients: AdaptedRecord[] } | { readonly ok: false; readonly error: string };

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function isBundle(value: unknown): boolean {
  return isObject(value) && value.resourceType === "Bundle";
}

// ---------------------------------------------------------------------------------------------
// Time

interface When {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A FHIR date/dateTime/instant: a date covers its whole day (in the screening's offset); partial dates are not read. */
function readWhen(value: unknown, offsetMin: number, zone: ZoneSource): When | "partial" | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  if (/^\d{4}(-\d{2})?$/.test(text)) return "partial";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : null;
  if (date) {
    const start = startOfDay(date, offsetMin);
    return { start, end: start + DAY - 1, text };
  }
  const parsed = parseTime(normaliseTime(text), zone, false);
  if (!parsed || parsed.kind !== "instant") return undefined;
  return { start: parsed.instant.ms, end: parsed.instant.ms, text };
}

/** FHIR allows any number of fraction digits; the record's reader takes up to three. */
function normaliseTime(text: string): string {
  return text.replace(/(\.\d{3})\d+/, "$1");
}

// ---------------------------------------------------------------------------------------------
// Resources

interface Res {
  readonly json: Json;
  readonly type: string;
  readonly ref: string; // Type/id, else the fullUrl, else Type#entryN
  readonly fullUrl?: string;
}

function concepts(value: unknown): Coding[] {
  if (!isObject(value)) return [];
  return arr(value.coding).filter(isObject).map((c) => ({ system: str(c.system), code: str(c.code), display: str(c.display) }));
}

function statusCode(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return concepts(value)[0]?.code;
}

function token(c: Coding): string {
  return `${c.system ?? ""}|${c.code ?? ""}`;
}

/**
 * The Builder gathers evidence per record path and settles it: agreeing evidence is used,
 * disagreeing evidence leaves the path unknown. Firm evidence decides over weak evidence. Evidence
 * that leaves a path unknown (an unconfirmed or resolved finding, an allergy of unclassified
 * severity, a treatment without a time) is a *hold*: it names the values it is consistent with, and
 * the path is settled only to one of those (a confirmed "yes" beside a resolved one), never to a
 * value it does not support (a refuted "no" beside an unconfirmed "yes" leaves the path unknown).
 */
interface Evidence {
  readonly value: unknown;
  readonly source: ResourceSource;
  readonly weak: boolean;
}

interface Hold {
  readonly why: string;
  /** The values this evidence does not argue against; by default none. */
  readonly allows: (value: unknown) => boolean;
}

const allowsNothing = (): boolean => false;

class Builder {
  private readonly evidence = new Map<string, Evidence[]>();
  private readonly holds = new Map<string, Hold[]>();
  readonly warnings: Problem[] = [];

  constructor(
    private readonly order: readonly string[],
    private readonly sameValue: (path: string, a: unknown, b: unknown) => boolean,
  ) {}

  add(path: string, value: unknown, source: ResourceSource, weak = false): void {
    const list = this.evidence.get(path) ?? [];
    list.push({ value, source, weak });
    this.evidence.set(path, list);
  }

  /**
   * Evidence that leaves `path` unknown unless other evidence settles it to a value `allows` accepts
   * (e.g. an unconfirmed epilepsy allows only `true`). Its warning is given whenever it holds.
   */
  block(path: string, why: string, allows: (value: unknown) => boolean = allowsNothing): void {
    const list = this.holds.get(path) ?? [];
    list.push({ why, allows });
    this.holds.set(path, list);
  }

  has(path: string): boolean {
    return (this.evidence.get(path) ?? []).some((e) => !e.weak);
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  finish(): AdaptedRecord {
    const record: Json = {};
    const sources: SourceMap = {};
    const rank = (p: string) => {
      const i = this.order.findIndex((o) => o === p || o.startsWith(`${p}.`));
      return i < 0 ? this.order.length : i;
    };
    const paths = [...new Set([...this.evidence.keys(), ...this.holds.keys()])].sort((a, b) => rank(a) - rank(b));
    for (const path of paths) {
      const all = this.evidence.get(path) ?? [];
      const strong = all.filter((e) => !e.weak);
      const holds = this.holds.get(path) ?? [];
      const pool = strong.length ? strong : all;
      if (!pool.length) {
        for (const h of holds) this.warn(path, h.why);
        continue;
      }
      const first = pool[0]!;
      const other = pool.find((e) => !this.sameValue(path, e.value, first.value));
      if (other) {
        const shown = pool.map((e) => `${shortJson(e.value)} from ${e.source.resource}`).join(", ");
        this.warn(path, `the Bundle disagrees with itself (${shown}); left unknown`);
        for (const h of holds) this.warn(path, h.why);
        continue;
      }
      const against = holds.filter((h) => !h.allows(first.value));
      if (against.length) {
        const by = [...new Set(pool.map((e) => e.source.resource))].join(", ");
        for (const h of against) this.warn(path, `${h.why} (${shortJson(first.value)} from ${by} does not settle it)`);
        continue;
      }
      setAt(record, path, first.value);
      sources[path] = first.source;
    }
    return { record, sources, warnings: this.warnings };
  }
}

/** A short description of a value from the Bundle, for messages: never the whole of a large or deeply nested value. */
function shortJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `(an array of ${value.length})`;
  if (typeof value === "object") return "(an object)";
  return `(${typeof value})`;
}

function setAt(record: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = record;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]!] = value;
}

// ---------------------------------------------------------------------------------------------
// The Bundle

/** Checks the Bundle's shape and splits it per Patient; every Patient becomes one record. */
export function bundleToRecords(bundle: unknown, ctx: FhirContext): BundleResult {
  if (!isObject(bundle)) return { ok: false, error: `expected a FHIR Bundle (a JSON object with "resourceType": "Bundle")` };
  if (bundle.resourceType !== "Bundle") {
    const rt = str(bundle.resourceType);
    return { ok: false, error: rt ? `expected a FHIR Bundle, got a ${rt} resource (wrap it in a Bundle with its Patient)` : `expected a FHIR Bundle: the object has no "resourceType": "Bundle"` };
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) return { ok: false, error: `malformed FHIR Bundle: "entry" must be an array` };
  const resources: Res[] = [];
  const entries = arr(bundle.entry);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!isObject(entry)) return { ok: false, error: `malformed FHIR Bundle: entry[${i}] is not an object` };
    const json = entry.resource;
    if (!isObject(json)) return { ok: false, error: `malformed FHIR Bundle: entry[${i}] has no resource (each entry needs a resource with a resourceType)` };
    const type = str(json.resourceType);
    if (!type) return { ok: false, error: `malformed FHIR Bundle: entry[${i}].resource has no resourceType` };
    const id = str(json.id);
    const fullUrl = str(entry.fullUrl);
    resources.push({ json, type, ref: id ? `${type}/${id}` : (fullUrl ?? `${type}#entry${i}`), ...(fullUrl ? { fullUrl } : {}) });
  }
  const patients = resources.filter((r) => r.type === "Patient");
  if (!patients.length) return { ok: false, error: `the Bundle holds no Patient resource, so nothing says whose data it is (${resources.length} other resource${resources.length === 1 ? "" : "s"})` };

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
      else if (isClinical(res.type)) shared.push({ path: "", message: `${res.ref} names no patient (subject), and the Bundle holds ${patients.length}; ignored` });
      continue;
    }
    const owner = resolve(reference);
    if (owner) byPatient.get(owner)!.push(res);
    else if (isClinical(res.type)) shared.push({ path: "", message: `${res.ref} refers to ${reference}, which is not in the Bundle; ignored` });
  }
  const medications = new Map<string, Res>();
  for (const r of resources) {
    if (r.type !== "Medication") continue;
    medications.set(r.ref, r);
    if (r.fullUrl) medications.set(r.fullUrl, r);
  }
  try {
    return { ok: true, patients: patients.map((p) => patientRecord(p, byPatient.get(p)!, medications, shared, ctx)) };
  } catch (err) {
    // A backstop: the readers are iterative and describe values briefly, but no Bundle may stop a batch.
    if (err instanceof RangeError) return { ok: false, error: `the Bundle could not be read (${err.message}): is something in it nested too deeply?` };
    throw err;
  }
}

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
function isClinical(type: string): boolean {
  return CLINICAL.has(type);
}

// Resources that only support others (a Medication named by a MedicationRequest) or carry no patient data.
const SUPPORTING = new Set(["Medication", "Practitioner", "PractitionerRole", "Organization", "Location", "Device", "Provenance", "Questionnaire"]);

function patientRecord(patient: Res, own: Res[], medications: ReadonlyMap<string, Res>, shared: readonly Problem[], ctx: FhirContext): AdaptedRecord {
  const { rules, mapping } = ctx;
  const m = mapping.file;
  const zone = ctx.timeZone;
  const order = templateColumns(rules); // sources read in the order of a screening sheet
  const sameValue = (path: string, a: unknown, b: unknown): boolean => {
    if (typeof a === "string" && typeof b === "string" && a !== b) {
      const wa = readWhen(a, 0, zone);
      const wb = readWhen(b, 0, zone);
      if (typeof wa === "object" && typeof wb === "object") return wa.start === wb.start && wa.end === wb.end;
    }
    return JSON.stringify(a) === JSON.stringify(b);
  };
  const b = new Builder(order, sameValue);
  const unmapped: string[] = [];
  const used = new Set<Res>();
  const label = (c: Coding) => `${mapping.label(c.system)} ${c.code ?? "?"}`;
  const firstMatch = (concept: unknown, matcher: CodeMatcher): Coding | undefined => concepts(concept).find((c) => matcher(c));

  // --- Patient
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

  // --- The screening questionnaire (trial-specific answers), read first: it may give screenedAt.
  const screenedAtPath = rules.file.subject.screenedAt;
  const qrs = own.filter((r) => r.type === "QuestionnaireResponse");
  const answers = readQuestionnaires(qrs, ctx, b, used);
  let screening = ctx.screening;
  const qrScreenedAt = answers.get(screenedAtPath);
  if (qrScreenedAt && typeof qrScreenedAt.value === "string") {
    const parsed = parseTime(qrScreenedAt.value, zone, false);
    if (parsed?.kind === "instant") screening = { ms: parsed.instant.ms, offsetMin: parsed.instant.offsetMin };
  }
  for (const [path, a] of answers) b.add(path, a.value, a.source);
  const offset = screening?.offsetMin ?? 0;
  const when = (v: unknown) => readWhen(v, offset, zone);
  const afterScreening = (w: When) => screening !== undefined && w.start > screening.ms;
  const screeningText = screening ? formatInstant(screening.ms, screening.offsetMin) : undefined;

  // --- Stroke onset: the latest stroke Condition's onsetDateTime at or before screening.
  let onset: When | undefined;
  const onsetPath = m.strokeOnset?.path;
  if (m.strokeOnset) {
    const matcher = mapping.matcher(m.strokeOnset.codes);
    const cands: { res: Res; coding: Coding; w: When }[] = [];
    for (const res of own.filter((r) => r.type === "Condition")) {
      const coding = firstMatch(res.json.code, matcher);
      if (!coding) continue;
      used.add(res);
      const ver = statusCode(res.json.verificationStatus);
      if (ver === "entered-in-error" || ver === "refuted") continue;
      if (res.json.onsetDateTime === undefined) {
        const other = Object.keys(res.json).find((k) => k.startsWith("onset"));
        b.warn(m.strokeOnset.path, `${res.ref} (${label(coding)}) gives no onsetDateTime${other ? ` (only ${other}, which is not read)` : ""}; the onset is not taken from it`);
        continue;
      }
      const w = when(res.json.onsetDateTime);
      if (typeof w !== "object") {
        b.warn(m.strokeOnset.path, `${res.ref} onsetDateTime ${shortJson(res.json.onsetDateTime)} is not a full date or timestamp; not read`);
        continue;
      }
      if (afterScreening(w)) {
        b.warn(m.strokeOnset.path, `${res.ref} onset ${w.text} is after the screening time ${screeningText}; not used`);
        continue;
      }
      cands.push({ res, coding, w });
    }
    cands.sort((x, y) => y.w.start - x.w.start);
    const latest = cands[0];
    if (latest) {
      onset = latest.w;
      b.add(m.strokeOnset.path, normaliseTime(latest.w.text), { resource: latest.res.ref, code: token(latest.coding), element: "onsetDateTime" });
      if (cands.length > 1) {
        b.warn(m.strokeOnset.path, `${cands.length} stroke Conditions (${cands.map((c) => `${c.res.ref} onset ${c.w.text}`).join(", ")}); used the latest onset at or before screening, ${latest.res.ref}`);
      }
    }
  }
  if (!onset && onsetPath && answers.has(onsetPath)) {
    const w = when(answers.get(onsetPath)!.value);
    if (typeof w === "object") onset = w;
  }

  // --- Observations: labs, scores, coded answers. The latest at or before screening per path.
  type ObsMap = { kind: "lab"; lab: LabMap } | { kind: "score"; spec: FhirMapping["file"]["scores"][number] } | { kind: "answer"; spec: FhirMapping["file"]["answers"][number] };
  const obsMaps: { path: string; matches: CodeMatcher; map: ObsMap }[] = [
    ...mapping.labs.map((lab) => ({ path: lab.path, matches: lab.matches, map: { kind: "lab", lab } as ObsMap })),
    ...m.scores.map((spec) => ({ path: spec.path, matches: mapping.matcher(spec.codes), map: { kind: "score", spec } as ObsMap })),
    ...m.answers.map((spec) => ({ path: spec.path, matches: mapping.matcher(spec.codes), map: { kind: "answer", spec } as ObsMap })),
  ];
  interface Cand {
    res: Res;
    coding: Coding;
    w?: When;
    timeElement?: string;
    read: { value: unknown; element: string; notes: string[] } | { problem: string };
  }
  const byPath = new Map<string, Cand[]>();
  for (const res of own.filter((r) => r.type === "Observation")) {
    let hit: { path: string; map: ObsMap; coding: Coding } | undefined;
    for (const om of obsMaps) {
      const coding = firstMatch(res.json.code, om.matches);
      if (coding) {
        hit = { path: om.path, map: om.map, coding };
        break;
      }
    }
    if (!hit) continue;
    used.add(res);
    const status = str(res.json.status);
    if (status === "entered-in-error" || status === "cancelled") continue;
    if (!status || !m.observationStatuses.includes(status)) {
      b.warn(hit.path, `${res.ref} (${label(hit.coding)}) has status ${status ?? "(none)"}, not ${m.observationStatuses.join("/")}; not used`);
      continue;
    }
    const t = observationTime(res.json);
    const w = t ? when(t.value) : undefined;
    if (t && typeof w !== "object") b.warn(hit.path, `${res.ref} ${t.element} ${shortJson(t.value)} is not a full date or timestamp; read as undated`);
    const read =
      hit.map.kind === "lab"
        ? readLab(res.json, hit.map.lab, rules)
        : hit.map.kind === "score"
          ? readScore(res.json, hit.map.spec.units)
          : readAnswer(res.json, hit.map.spec, mapping);
    const list = byPath.get(hit.path) ?? [];
    list.push({ res, coding: hit.coding, ...(typeof w === "object" ? { w, timeElement: t!.element } : {}), read });
    byPath.set(hit.path, list);
  }
  const onlyBefore = new Map(m.scores.filter((s) => s.onlyBefore).map((s) => [s.path, s.onlyBefore!]));
  for (const [path, all] of byPath) {
    let cands = all;
    const before = onlyBefore.get(path);
    if (before) {
      // A score that must precede an event (pre-stroke mRS): only assessments dated before the onset.
      if (!onset) {
        b.warn(path, `${all.map((c) => c.res.ref).join(", ")}: ${before} is unknown, so whether the assessment precedes it cannot be told; not used`);
        continue;
      }
      const early = all.filter((c) => c.w && c.w.end < onset!.start);
      for (const c of all.filter((c) => !early.includes(c))) {
        b.warn(path, `${c.res.ref} (${label(c.coding)}${c.w ? ` at ${c.w.text}` : ", undated"}) is not dated before ${before} ${onset.text}; not read as ${path}`);
      }
      cands = early;
    }
    const after = cands.filter((c) => c.w && afterScreening(c.w));
    for (const c of after) b.warn(path, `${c.res.ref} (${label(c.coding)} at ${c.w!.text}) is after the screening time ${screeningText}; not used`);
    const dated = cands.filter((c) => c.w && !afterScreening(c.w));
    const undated = cands.filter((c) => !c.w);
    let chosen: Cand[] = [];
    if (dated.length) {
      const latest = Math.max(...dated.map((c) => c.w!.start));
      chosen = dated.filter((c) => c.w!.start === latest);
      if (undated.length) b.warn(path, `${undated.map((c) => c.res.ref).join(", ")}: no effective time, so not comparable with the dated results; not used`);
      if (dated.length + undated.length > 1) {
        const list = [...dated].sort((x, y) => x.w!.start - y.w!.start).map((c) => `${c.res.ref} ${c.w!.text}`);
        b.warn(path, `${dated.length + undated.length} Observations (${list.join(", ")}); used the latest at or before screening, ${chosen.map((c) => c.res.ref).join(", ")}`);
      }
    } else if (undated.length === 1) {
      chosen = undated;
      b.warn(path, `${undated[0]!.res.ref} has no effective time; used as the only result for ${path}`);
    } else if (undated.length > 1) {
      b.warn(path, `${undated.map((c) => c.res.ref).join(", ")}: several results with no effective time, none can be called the latest; left unknown`);
    }
    if (!chosen.length) continue;
    const bad = chosen.find((c) => "problem" in c.read);
    if (bad && "problem" in bad.read) {
      b.warn(path, `${bad.res.ref} (${label(bad.coding)}): ${bad.read.problem}; left unknown`);
      continue;
    }
    for (const c of chosen) {
      const r = c.read as { value: unknown; element: string; notes: string[] };
      for (const note of r.notes) b.warn(path, `${c.res.ref}: ${note}`);
      b.add(path, r.value, { resource: c.res.ref, code: token(c.coding), ...(c.w ? { effective: c.w.text } : {}), element: r.element });
    }
  }

  // --- Conditions: history flags.
  const statuses = new Set(m.conditionClinicalStatuses);
  const condMaps = m.conditions.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  for (const res of own.filter((r) => r.type === "Condition")) {
    const ver = statusCode(res.json.verificationStatus);
    const clin = statusCode(res.json.clinicalStatus);
    let any = false;
    for (const { spec, matches } of condMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      used.add(res);
      if (ver === "entered-in-error") continue;
      const present = (v: unknown) => sameValue(spec.path, v, spec.present); // what an unsettled finding is still consistent with
      const src: ResourceSource = { resource: res.ref, code: token(coding), element: ver === "refuted" ? "verificationStatus=refuted" : `clinicalStatus=${clin ?? "?"}`, ...(str(res.json.recordedDate) ? { effective: str(res.json.recordedDate)! } : {}) };
      if (ver === "refuted") {
        if (spec.refuted !== undefined && exactlyListed(spec.codes, coding, mapping)) b.add(spec.path, spec.refuted, src);
        else b.warn(spec.path, `${res.ref} refutes ${label(coding)}, which does not rule out ${spec.path} as a whole; not used`);
        continue;
      }
      if (ver === "unconfirmed" || ver === "provisional" || ver === "differential") {
        b.block(spec.path, `${res.ref} (${label(coding)}) is ${ver}, not confirmed; left unknown`, present);
        continue;
      }
      if (clin && statuses.has(clin)) {
        b.add(spec.path, spec.present, src);
      } else {
        b.block(spec.path, `${res.ref} (${label(coding)}) has clinicalStatus ${clin ?? "(none)"}: whether it still counts is for the investigator; left unknown`, present);
      }
    }
    if (!any && !used.has(res)) unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
  }

  // --- Medications: warfarin, immunosuppressants (taken now), heparin (last dose).
  const medMaps = m.medications.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  const treatMaps = m.treatments.map((spec) => ({ spec, procedures: mapping.matcher(spec.procedures), medications: mapping.matcher(spec.medications) }));
  const medConcept = (json: Json): unknown => {
    if (json.medicationCodeableConcept !== undefined) return json.medicationCodeableConcept;
    const ref = isObject(json.medicationReference) ? str(json.medicationReference.reference) : undefined;
    const med = ref ? medications.get(ref) : undefined;
    return med?.json.code;
  };
  // What a statement's or an order's status says of taking the drug now: data (medicationStatuses in the table).
  const medicationMeaning = (type: string, status: string | undefined): MedicationMeaning | undefined => {
    const table = Object.hasOwn(m.medicationStatuses, type) ? m.medicationStatuses[type]! : undefined;
    return table && status !== undefined && Object.hasOwn(table, status) ? table[status] : undefined;
  };
  const lastDoses = new Map<string, { w: When; src: ResourceSource }[]>();
  for (const res of own.filter((r) => r.type === "MedicationStatement" || r.type === "MedicationRequest" || r.type === "MedicationAdministration")) {
    const concept = medConcept(res.json);
    const status = str(res.json.status);
    let any = false;
    for (const { spec, matches } of medMaps) {
      const coding = firstMatch(concept, matches);
      if (!coding) continue;
      any = true;
      used.add(res);
      if (status === "entered-in-error") continue;
      const t = medicationTime(res.json);
      const src: ResourceSource = { resource: res.ref, code: token(coding), element: `status=${status ?? "?"}`, ...(t ? { effective: String(t.value) } : {}) };
      if (spec.kind === "current") {
        if (res.type === "MedicationAdministration") {
          b.warn(spec.path, `${res.ref} (${label(coding)}): a single administration does not say whether it is taken now; not used`);
        } else {
          const meaning = medicationMeaning(res.type, status);
          const what = `${res.ref} (${label(coding)}) has status ${status ?? "(none)"}`;
          if (meaning === "taking") b.add(spec.path, true, src);
          else if (meaning === "not-taking") b.add(spec.path, false, src);
          else if (meaning === "stopped") b.add(spec.path, false, src, true);
          else if (meaning === "ignored") b.warn(spec.path, `${what}, which says nothing of whether it is taken now; not used`);
          else b.block(spec.path, `${what}, which does not say the drug is not being taken${meaning === undefined ? " (a status the mapping table does not list)" : ""}; left unknown`, (v) => v === true);
        }
        continue;
      }
      // lastDose: only an administration gives the time of a dose.
      if (res.type === "MedicationAdministration") {
        if (status === "not-done") {
          b.warn(spec.path, `${res.ref} (${label(coding)}) has status not-done; not used`);
          continue;
        }
        if (status !== "completed" && status !== "in-progress" && status !== "stopped") {
          // on-hold, unknown, no status: a dose may have been given, and when is not known.
          b.block(spec.path, `${res.ref} (${label(coding)}) has status ${status ?? "(none)"}, so whether and when a dose was given cannot be told; left unknown`);
          continue;
        }
        let w = t ? when(t.value) : undefined;
        if (status === "in-progress" && t?.element === "effectivePeriod.start" && screening) {
          // Still running at screening: the last dose is now.
          w = { start: screening.ms, end: screening.ms, text: formatInstant(screening.ms, screening.offsetMin) };
        }
        if (typeof w !== "object") {
          b.block(spec.path, `${res.ref} (${label(coding)}) records a dose without a readable time; left unknown`);
          continue;
        }
        if (afterScreening(w)) {
          b.warn(spec.path, `${res.ref} (${label(coding)} at ${w.text}) is after the screening time ${screeningText}; not used`);
          continue;
        }
        const list = lastDoses.get(spec.path) ?? [];
        list.push({ w, src: { ...src, effective: w.text } });
        lastDoses.set(spec.path, list);
      } else {
        const meaning = medicationMeaning(res.type, status);
        if (meaning === "not-taking") b.add(spec.path, null, src, true);
        else if (meaning === "ignored") b.warn(spec.path, `${res.ref} (${label(coding)}) has status ${status ?? "(none)"}; not used`);
        else b.block(spec.path, `${res.ref} (${label(coding)}, ${status ?? "no status"}) records the drug but not the time of its last dose (only a MedicationAdministration gives that); left unknown`, (v) => v !== null);
      }
    }
    if (res.type === "MedicationAdministration") {
      for (const { spec, medications: matches } of treatMaps) {
        const coding = firstMatch(concept, matches);
        if (!coding) continue;
        any = true;
        used.add(res);
        treatment(spec.path, spec.after, res, coding, status, medicationTime(res.json), ["completed", "in-progress", "stopped"], ["not-done"]);
      }
    }
    if (!any) unmapped.push(`${res.ref} (${codesOf(concept, mapping)})`);
  }
  for (const [path, doses] of lastDoses) {
    doses.sort((x, y) => y.w.start - x.w.start);
    const latest = doses[0]!;
    b.add(path, normaliseTime(latest.w.text), latest.src);
    if (doses.length > 1) b.warn(path, `${doses.length} administrations; used the latest at or before screening, ${latest.src.resource} at ${latest.w.text}`);
  }

  // --- Procedures: thrombolysis, thrombectomy, for this stroke.
  function treatment(path: string, afterPath: string | undefined, res: Res, coding: Coding, status: string | undefined, t: { element: string; value: unknown } | undefined, done: string[], notDone: string[]): void {
    const w = t ? when(t.value) : undefined;
    const src: ResourceSource = { resource: res.ref, code: token(coding), element: `status=${status ?? "?"}`, ...(typeof w === "object" ? { effective: w.text } : {}) };
    if (status !== undefined && notDone.includes(status)) {
      if (typeof w === "object" && onset && w.end < onset.start) return; // not done, before this stroke: says nothing about it
      b.add(path, false, src);
      return;
    }
    if (status === "preparation") {
      b.warn(path, `${res.ref} (${label(coding)}) has status preparation (not started); not used`);
      return;
    }
    if (status === undefined || !done.includes(status)) {
      // on-hold (started, then paused), unknown, no status: it may have been done.
      b.block(path, `${res.ref} (${label(coding)}) has status ${status ?? "(none)"}, so whether it was done cannot be told; left unknown`, (v) => v === true);
      return;
    }
    if (typeof w !== "object") {
      b.block(path, `${res.ref} (${label(coding)}) has no readable time, so whether it treated this stroke cannot be told; left unknown`, (v) => v === true);
      return;
    }
    if (afterScreening(w)) {
      b.warn(path, `${res.ref} (${label(coding)} at ${w.text}) is after the screening time ${screeningText}; not used`);
      return;
    }
    if (afterPath && !onset) {
      b.block(path, `${res.ref} (${label(coding)} at ${w.text}): ${afterPath} is unknown, so whether it treated this stroke cannot be told; left unknown`, (v) => v === true);
      return;
    }
    if (afterPath && onset && w.end < onset.start) {
      b.warn(path, `${res.ref} (${label(coding)} at ${w.text}) precedes ${afterPath} ${onset.text}: not for this stroke; not used`);
      return;
    }
    b.add(path, true, src);
  }
  for (const res of own.filter((r) => r.type === "Procedure")) {
    let any = false;
    for (const { spec, procedures: matches } of treatMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      used.add(res);
      const status = str(res.json.status);
      if (status === "entered-in-error") continue;
      const t =
        res.json.performedDateTime !== undefined
          ? { element: "performedDateTime", value: res.json.performedDateTime }
          : isObject(res.json.performedPeriod)
            ? { element: "performedPeriod.start", value: res.json.performedPeriod.start }
            : undefined;
      treatment(spec.path, spec.after, res, coding, status, t, ["completed", "in-progress", "stopped"], ["not-done"]);
    }
    if (!any) unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
  }

  // --- Allergies.
  const allergyMaps = m.allergies.map((spec) => ({ spec, matches: mapping.matcher(spec.codes), rash: mapping.matcher(spec.rashManifestations) }));
  const noAllergyMaps = m.noAllergyFindings.map((spec) => ({ spec, matches: mapping.matcher(spec.codes) }));
  for (const res of own.filter((r) => r.type === "AllergyIntolerance")) {
    const ver = statusCode(res.json.verificationStatus);
    const clin = statusCode(res.json.clinicalStatus);
    let any = false;
    if (ver === "entered-in-error") {
      used.add(res);
      continue;
    }
    for (const { spec, matches } of noAllergyMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      used.add(res);
      if (ver === "refuted" || (clin !== undefined && clin !== "active")) continue;
      for (const [path, value] of Object.entries(spec.sets)) b.add(path, value, { resource: res.ref, code: token(coding) }, true);
    }
    for (const { spec, matches, rash } of allergyMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      used.add(res);
      const severe = (v: unknown) => sameValue(spec.path, v, spec.severe); // an allergy whose severity is not read may be severe
      const src = (element: string): ResourceSource => ({ resource: res.ref, code: token(coding), element, ...(str(res.json.recordedDate) ? { effective: str(res.json.recordedDate)! } : {}) });
      if (ver === "refuted") {
        if (spec.refuted !== undefined) b.add(spec.path, spec.refuted, src("verificationStatus=refuted"));
        continue;
      }
      if (ver === "unconfirmed" || (clin !== undefined && clin !== "active")) {
        b.block(spec.path, `${res.ref} (${label(coding)}) is ${ver === "unconfirmed" ? "unconfirmed" : clin}; left unknown`, severe);
        continue;
      }
      const reactions = arr(res.json.reaction).filter(isObject);
      const isSevere = res.json.criticality === "high" || reactions.some((r) => r.severity === "severe");
      if (isSevere) {
        b.add(spec.path, spec.severe, src(res.json.criticality === "high" ? "criticality=high" : "reaction.severity=severe"));
        continue;
      }
      const rashOnly =
        reactions.length > 0 &&
        reactions.every((r) => r.severity === "mild") &&
        reactions.every((r) => {
          const mans = arr(r.manifestation);
          return mans.length > 0 && mans.every((mc) => concepts(mc).some((c) => rash(c)));
        });
      if (rashOnly && spec.mildRash !== undefined) {
        b.add(spec.path, spec.mildRash, src("reaction=mild rash"));
        continue;
      }
      b.block(spec.path, `${res.ref} (${label(coding)}) records an allergy whose severity cannot be read as severe or a mild rash (criticality ${str(res.json.criticality) ?? "not given"}, ${reactions.length} reaction${reactions.length === 1 ? "" : "s"}); left unknown`, severe);
    }
    if (!any) unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
  }

  // --- Everything else: named, never guessed.
  for (const res of own) {
    if (used.has(res) || SUPPORTING.has(res.type)) continue;
    if (res.type === "Observation") unmapped.push(`${res.ref} (${codesOf(res.json.code, mapping)})`);
    else if (res.type === "QuestionnaireResponse") unmapped.push(`${res.ref} (questionnaire ${str(res.json.questionnaire) ?? "not named"})`);
    else if (!["Condition", "MedicationStatement", "MedicationRequest", "MedicationAdministration", "Procedure", "AllergyIntolerance"].includes(res.type)) unmapped.push(res.ref);
  }
  const unique = [...new Set(unmapped)];
  if (unique.length) {
    const shown = unique.slice(0, 12).join(", ") + (unique.length > 12 ? `, and ${unique.length - 12} more` : "");
    b.warn("", `${unique.length} resource${unique.length === 1 ? "" : "s"} not mapped (no code in the mapping table ${mappingName(mapping)}), ignored: ${shown}`);
  }
  const out = b.finish();
  return { ...out, warnings: [...shared, ...out.warnings] };
}

function mappingName(mapping: FhirMapping): string {
  return mapping.source.split(/[\\/]/).slice(-2).join("/");
}

function codesOf(concept: unknown, mapping: FhirMapping): string {
  const cs = concepts(concept);
  if (!cs.length) {
    const text = isObject(concept) ? str(concept.text) : undefined;
    return text ? `text "${text}" only` : "no code";
  }
  return cs.map((c) => `${mapping.label(c.system)} ${c.code ?? "?"}`).join(" / ");
}

function observationTime(json: Json): { element: string; value: unknown } | undefined {
  if (json.effectiveDateTime !== undefined) return { element: "effectiveDateTime", value: json.effectiveDateTime };
  if (json.effectiveInstant !== undefined) return { element: "effectiveInstant", value: json.effectiveInstant };
  if (isObject(json.effectivePeriod)) {
    const p = json.effectivePeriod;
    if (p.end !== undefined) return { element: "effectivePeriod.end", value: p.end };
    if (p.start !== undefined) return { element: "effectivePeriod.start", value: p.start };
  }
  if (json.issued !== undefined) return { element: "issued", value: json.issued };
  return undefined;
}

function medicationTime(json: Json): { element: string; value: unknown } | undefined {
  if (json.effectiveDateTime !== undefined) return { element: "effectiveDateTime", value: json.effectiveDateTime };
  if (isObject(json.effectivePeriod)) {
    const p = json.effectivePeriod;
    if (p.end !== undefined) return { element: "effectivePeriod.end", value: p.end };
    if (p.start !== undefined) return { element: "effectivePeriod.start", value: p.start };
  }
  if (json.authoredOn !== undefined) return { element: "authoredOn", value: json.authoredOn };
  return undefined;
}

type Read = { value: unknown; element: string; notes: string[] } | { problem: string };

/** Reads a unit the table knows: the UCUM code first, then the printed unit (exactly, then ignoring case). */
function unitRule(q: Json, lab: LabMap): { key: string; rule: NonNullable<ReturnType<LabMap["units"]["get"]>> } | undefined {
  const keys = [str(q.code), str(q.unit)].filter((k): k is string => k !== undefined);
  if (!keys.length) keys.push("");
  for (const k of keys) {
    const rule = lab.units.get(k);
    if (rule) return { key: k, rule };
  }
  for (const k of keys) {
    for (const [name, rule] of lab.units) if (name.toLowerCase() === k.toLowerCase()) return { key: k, rule };
  }
  return undefined;
}

/** An exact product as a JSON number, or undefined when it has no finite decimal form. */
function exactTimes(value: number, factor: Parameters<typeof mul>[1]): number | undefined {
  const text = format(mul(fromNumber(value), factor));
  return text.startsWith("≈") ? undefined : Number(text);
}

function readLab(json: Json, lab: LabMap, rules: CompiledRules): Read {
  const q = json.valueQuantity;
  if (!isObject(q)) {
    const reason = statusCode(json.dataAbsentReason);
    return { problem: reason ? `no value (dataAbsentReason ${reason})` : `no valueQuantity` };
  }
  if (q.comparator !== undefined) return { problem: `the value is "${String(q.comparator)}${String(q.value)}", a bound, not a measured number` };
  if (typeof q.value !== "number" || !Number.isFinite(q.value)) return { problem: `valueQuantity.value ${shortJson(q.value)} is not a number` };
  const unit = unitRule(q, lab);
  if (!unit) return { problem: `unit ${shortJson(str(q.code) ?? str(q.unit) ?? "")} is not mapped for ${lab.path} (add it to the mapping table)` };
  const value = exactTimes(q.value, unit.rule.factor);
  if (value === undefined) return { problem: `${q.value} ${unit.key} has no exact value in ${unit.rule.unit}` };
  const out: Json = { value };
  if (unit.rule.unit !== null) out.unit = unit.rule.unit;
  const notes: string[] = [];
  const converted = unit.key !== unit.rule.unit && !(unit.rule.unit === null);
  if (converted && format(unit.rule.factor) !== "1") notes.push(`${q.value} ${unit.key} converted to ${value} ${unit.rule.unit}`);
  if (unit.rule.warning) notes.push(`${q.value} ${unit.key}: ${unit.rule.warning}`);
  let element = "valueQuantity";
  if (rules.labs.get(lab.lab)?.decl.readsUln) {
    const ranges = arr(json.referenceRange).filter((r): r is Json => isObject(r) && isObject(r.high));
    const plain = ranges.filter((r) => r.appliesTo === undefined && r.age === undefined && (r.type === undefined || concepts(r.type).some((c) => c.code === "normal")));
    const range = ranges.length === 1 ? ranges[0] : plain.length === 1 ? plain[0] : undefined;
    if (ranges.length > 1 && !range) notes.push(`${ranges.length} reference ranges and none stands alone; its ULN is not read (the site's reference range applies)`);
    if (range) {
      const high = range.high as Json;
      const highUnit = high.code === undefined && high.unit === undefined ? unit : unitRule(high, lab);
      if (high.comparator !== undefined || typeof high.value !== "number" || !(high.value > 0)) {
        notes.push(`referenceRange.high ${shortJson(high.value)} is not a positive number; ULN not read`);
      } else if (!highUnit || highUnit.rule.unit !== unit.rule.unit) {
        notes.push(`referenceRange.high is in ${shortJson(str(high.code) ?? str(high.unit))}, not the value's unit; ULN not read`);
      } else {
        const uln = exactTimes(high.value, highUnit.rule.factor);
        if (uln !== undefined) {
          out.uln = uln;
          element = "valueQuantity, referenceRange.high";
        }
      }
    }
  }
  return { value: out, element, notes };
}

function readScore(json: Json, units: readonly string[]): Read {
  let n: unknown;
  let element: string;
  if (json.valueInteger !== undefined) {
    n = json.valueInteger;
    element = "valueInteger";
  } else if (isObject(json.valueQuantity)) {
    const q = json.valueQuantity;
    const u = str(q.code) ?? str(q.unit) ?? "";
    if (!units.includes(u) && !units.includes(str(q.unit) ?? "")) return { problem: `unit ${shortJson(u)} is not a score unit the table knows` };
    if (q.comparator !== undefined) return { problem: `the value is a bound ("${String(q.comparator)}${String(q.value)}")` };
    n = q.value;
    element = "valueQuantity";
  } else {
    const kind = Object.keys(json).find((k) => k.startsWith("value"));
    return { problem: kind ? `${kind} is not read for a score (valueInteger or valueQuantity is)` : "no value" };
  }
  if (typeof n !== "number" || !Number.isInteger(n)) return { problem: `${shortJson(n)} is not a whole number` };
  return { value: n, element, notes: [] };
}

function readAnswer(json: Json, spec: FhirMapping["file"]["answers"][number], mapping: FhirMapping): Read {
  const codings = concepts(json.valueCodeableConcept);
  const texts = [str(json.valueString), isObject(json.valueCodeableConcept) ? str(json.valueCodeableConcept.text) : undefined].filter((t): t is string => t !== undefined);
  for (const [value, match] of Object.entries(spec.values)) {
    const matcher = mapping.matcher(match.codes);
    const coding = codings.find((c) => matcher(c));
    if (coding) return { value, element: "valueCodeableConcept", notes: [] };
  }
  if (!codings.length || codings.every((c) => !c.code)) {
    for (const [value, match] of Object.entries(spec.values)) {
      const words = (match.text ?? []).map((w) => w.toLowerCase());
      if (texts.some((t) => words.includes(t.trim().toLowerCase()))) return { value, element: json.valueString !== undefined ? "valueString" : "valueCodeableConcept.text", notes: [] };
    }
  }
  const shown = codings.length ? codings.map((c) => `${mapping.label(c.system)} ${c.code}`).join(" / ") : texts.length ? shortJson(texts[0]) : "no value";
  return { problem: `the result ${shown} is not mapped to ${Object.keys(spec.values).join("/")}` };
}

/** A wrongly typed answer is passed on for validation to name, but only when it is small enough to describe. */
const MAX_ANSWER_DEPTH = 8;

/** True when `value` nests objects/arrays more than `limit` levels deep; iterative, and stops at the limit. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length; depth++) {
    const next: unknown[] = [];
    for (const v of level) if (v !== null && typeof v === "object") for (const child of Array.isArray(v) ? v : Object.values(v)) next.push(child);
    if (next.length && depth >= limit) return true;
    level = next;
  }
  return false;
}

/**
 * The screening questionnaire: each item's linkId is a record path, its answer the value. When
 * several responses answer the same item, the latest authored one is used.
 */
function readQuestionnaires(qrs: Res[], ctx: FhirContext, b: Builder, used: Set<Res>): Map<string, { value: unknown; source: ResourceSource }> {
  const q = ctx.mapping.file.questionnaire;
  const fields = ctx.rules.fields;
  const out = new Map<string, { value: unknown; source: ResourceSource; authored: string }>();
  const sorted = [...qrs].sort((a, b2) => (str(a.json.authored) ?? "").localeCompare(str(b2.json.authored) ?? ""));
  for (const res of sorted) {
    const canonical = (str(res.json.questionnaire) ?? "").split("|")[0]!;
    if (!q.urls.includes(canonical)) continue; // another questionnaire: listed as unmapped
    used.add(res);
    const status = str(res.json.status);
    if (!status || !q.statuses.includes(status)) {
      b.warn("", `${res.ref} has status ${status ?? "(none)"}, not ${q.statuses.join("/")}; its answers are not used`);
      continue;
    }
    const authored = str(res.json.authored) ?? "";
    // Groups may nest to any depth: walked with an explicit stack (in document order), never recursively.
    const items: Json[] = [];
    const stack: unknown[][] = [arr(res.json.item).slice().reverse()];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const it = top.pop();
      if (!top.length) stack.pop();
      if (!isObject(it)) continue;
      items.push(it);
      const children = [...arr(it.item), ...arr(it.answer).flatMap((a) => (isObject(a) ? arr(a.item) : []))];
      if (children.length) stack.push(children.reverse());
    }
    for (const it of items) {
      const linkId = str(it.linkId);
      const answers = arr(it.answer).filter(isObject);
      if (!linkId || !answers.length) continue;
      const decl = fields.get(linkId);
      if (!decl || q.exclude.includes(linkId)) {
        if (!arr(it.item).length) b.warn(linkId, `${res.ref} item "${linkId}" is not a record field the questionnaire may answer; ignored`);
        continue;
      }
      if (answers.length > 1) {
        b.warn(linkId, `${res.ref} item "${linkId}" has ${answers.length} answers; left unknown`);
        continue;
      }
      const a = answers[0]!;
      const key = Object.keys(a).find((k) => k.startsWith("value"));
      if (!key) continue;
      let value: unknown = a[key];
      if (key === "valueCoding" && isObject(value)) value = str(value.code) ?? value;
      else if (key === "valueQuantity" && isObject(value)) value = value.value;
      if (nestedDeeperThan(value, MAX_ANSWER_DEPTH)) {
        b.block(linkId, `${res.ref} item "${linkId}" has a ${key} nested more than ${MAX_ANSWER_DEPTH} levels deep, not a value any field takes; left unknown`);
        continue;
      }
      if (decl.nullable && typeof value === "string" && q.noneWords.some((w) => w.toLowerCase() === (value as string).toLowerCase())) value = null;
      else if (typeof value === "string" && (decl.type === "timestamp" || decl.type === "date")) value = normaliseTime(value);
      const source: ResourceSource = { resource: res.ref, element: `item ${linkId}`, ...(authored ? { effective: authored } : {}) };
      const prev = out.get(linkId);
      if (prev && JSON.stringify(prev.value) !== JSON.stringify(value)) {
        b.warn(linkId, `answered differently in ${prev.source.resource} and ${res.ref}; used the latest authored, ${res.ref}`);
      }
      out.set(linkId, { value, source, authored });
    }
  }
  return new Map([...out].map(([k, v]) => [k, { value: v.value, source: v.source }]));
}
