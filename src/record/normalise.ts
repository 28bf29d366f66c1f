/**
 * Validation and normalisation: raw JSON → typed facts, and every error at once. Types and ranges
 * come from the zod schema; then time (offsets, date-only days, the screening date), age, lab
 * units and plausibility. The contradictions the rules declare are conditions, so they are
 * checked where facts and the engine meet (`src/screen.ts`), not here.
 */
import { type CalendarDate, compareDates, completedYears, formatDate, parseDate } from "../time/calendar.js";
import { dateOf } from "../time/instant.js";
import type { CompiledLab, CompiledRules } from "../rules/compiled.js";
import type { FieldDecl } from "../rules/schema.js";
import { expectation, shown } from "./describe.js";
import { type Fact, type FactLayout, type Facts, type Screening, sharedFact } from "./facts.js";
import { readLab } from "./labs.js";
import { isBad, type NormaliseOptions, type Problem, rawAt, rawAtKeys, type Reading } from "./reading.js";
import type { RecordSchema } from "./wording.js";
import { readScreening, readTime } from "./times.js";
import type { RecordWalk } from "./walk.js";

export { inFieldOrder, type NormaliseOptions, type Problem } from "./reading.js";

/** Stands in for a screening time that could not be read, for conditions that never look at it. */
const NO_SCREENING: Screening = { ms: Number.NaN, offsetMin: 0, date: { y: 0, m: 1, d: 1 } };

export interface Normalised {
  readonly id?: string;
  /** The facts that could be read (all of them when `errors` is empty). */
  readonly facts: Facts;
  /** Whether `facts.screening` is a real screening moment (else a stand-in). */
  readonly screened: boolean;
  /** In the order found; `inFieldOrder` sorts them for a report. */
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

export interface RecordReader {
  /** True only for a record the schema accepts (a quick check; see structure.ts). */
  readonly valid: (record: unknown) => boolean;
  /** The zod schema, built on first use: it words the errors of a record `valid` does not pass. */
  readonly schema: () => RecordSchema;
  /** The one walk of a record: unknown-field warnings, the structural check and the raw values (walk.ts). */
  readonly walk: RecordWalk;
}

export function normalise(input: unknown, rules: CompiledRules, reader: RecordReader, options: NormaliseOptions): Normalised {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    const errors = [{ path: "", message: `expected a JSON object (one patient record), got ${shown(input)}` }];
    const { layout } = planFor(rules);
    return { facts: { slots: new Values(layout).slots, layout, screening: NO_SCREENING }, screened: false, errors, warnings: [] };
  }
  const record = input as Record<string, unknown>;
  const idValue = Object.hasOwn(record, rules.file.subject.id) ? record[rules.file.subject.id] : undefined;
  const id = typeof idValue === "string" ? idValue : undefined;
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const plan = planFor(rules);
  // Each slot's raw value: from the walk, or (a record it does not pass) looked up path by path.
  const raw = new Array<unknown>(plan.slotKeys.length).fill(undefined);
  const bad = new Set<string>();
  const valid = reader.walk(record, raw, warnings);
  if (!valid) for (let slot = 0; slot < raw.length; slot++) raw[slot] = rawAtKeys(record, plan.slotKeys[slot]!);
  const parsed = valid ? undefined : reader.schema().safeParse(record);
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".");
      errors.push({ path, message: issue.message });
      bad.add(path);
    }
  }
  // Every key present from the start (screening filled in below): one object shape for every record.
  const r: Reading = { record, rules, options, bad, errors, warnings, screening: undefined };
  const { layout } = plan;
  const screenedAtSlot = layout.slotOf.get(rules.file.subject.screenedAt);
  const screening = readScreening(r, screenedAtSlot === undefined ? rawAt(record, rules.file.subject.screenedAt) : raw[screenedAtSlot]);
  r.screening = screening;
  const values = new Values(layout);
  readFields(r, values, raw);
  deriveAge(r, values);
  checkNotBefore(r, values);
  readLabs(r, values, raw);
  const facts: Facts = { slots: values.slots, layout, screening: screening ?? NO_SCREENING };
  const screened = screening !== undefined;
  return id !== undefined ? { id, facts, screened, errors, warnings } : { facts, screened, errors, warnings };
}

/** A declared field or lab and its fact's slot, once per rules rather than once per record. */
interface Entry<D> {
  readonly path: string;
  readonly slot: number;
  readonly decl: D;
  /** The shared fact of each value seen, for a field of few values (an enum, a small integer range). */
  readonly common?: Map<unknown, Fact>;
}

/** Integer fields with at most this many values share one fact per value (scores, scales). */
const FEW_VALUES = 256;

function fewValues(decl: FieldDecl): boolean {
  return decl.type === "enum" || (decl.type === "integer" && decl.max - decl.min < FEW_VALUES);
}

interface Plan {
  readonly layout: FactLayout;
  readonly fields: readonly Entry<FieldDecl>[];
  readonly labs: readonly Entry<CompiledLab>[];
  /** Each slot's path split into its keys. */
  readonly slotKeys: readonly (readonly string[])[];
  /** The timestamps declared notBeforeDate another field, found once rather than among all fields per record. */
  readonly notBefore: readonly { readonly path: string; readonly notBeforeDate: string }[];
}

const plans = new WeakMap<CompiledRules, Plan>();

/**
 * What normalisation walks for every record, built once per rules: the slot layout (every field,
 * then every lab, in the rules' order) and the fields (all but screenedAt, read on its own) and labs.
 */
function planFor(rules: CompiledRules): Plan {
  let plan = plans.get(rules);
  if (!plan) {
    const paths = [...rules.fields.keys(), ...[...rules.labs.values()].map((lab) => lab.path)];
    const slotOf = new Map(paths.map((path, slot) => [path, slot]));
    const entry = <D>(path: string, decl: D, common = false): Entry<D> => ({ path, slot: slotOf.get(path)!, decl, ...(common ? { common: new Map<unknown, Fact>() } : {}) });
    const { screenedAt } = rules.file.subject;
    plan = {
      layout: { slotOf, paths },
      fields: [...rules.fields].filter(([path]) => path !== screenedAt).map(([path, decl]) => entry(path, decl, fewValues(decl))),
      labs: [...rules.labs.values()].map((lab) => entry(lab.path, lab)),
      slotKeys: paths.map((path) => path.split(".")),
      notBefore: [...rules.fields].flatMap(([path, decl]) => (decl.type === "timestamp" && decl.notBeforeDate ? [{ path, notBeforeDate: decl.notBeforeDate }] : [])),
    };
    plans.set(rules, plan);
  }
  return plan;
}

/** The slot layout of the rules' facts: the same object for every record screened with them. */
export function factLayout(rules: CompiledRules): FactLayout {
  return planFor(rules).layout;
}

/** A record's facts while they are read: the slots, read and written by path where a step names one. */
class Values {
  readonly slots: (Fact | undefined)[];
  constructor(private readonly layout: FactLayout) {
    this.slots = new Array<Fact | undefined>(layout.paths.length).fill(undefined);
  }
  get(path: string): Fact | undefined {
    const slot = this.layout.slotOf.get(path);
    return slot === undefined ? undefined : this.slots[slot];
  }
  set(path: string, fact: Fact | undefined): void {
    this.slots[this.layout.slotOf.get(path)!] = fact;
  }
}

// Facts are read-only, so the few that carry no value of their own are shared, not made per record.
const NONE: Fact = sharedFact({ kind: "none" });
const TRUE: Fact = sharedFact({ kind: "boolean", value: true });
const FALSE: Fact = sharedFact({ kind: "boolean", value: false });

function readFields(r: Reading, values: Values, raw: readonly unknown[]): void {
  const anyBad = r.bad.size > 0;
  for (const entry of planFor(r.rules).fields) {
    if (anyBad && isBad(r, entry.path)) continue;
    const value = raw[entry.slot];
    if (value === undefined) continue;
    // -0 is read as its own fact (a Map would take it for 0).
    const common = entry.common && !Object.is(value, -0) ? entry.common : undefined;
    const fact = value === null ? NONE : common ? commonFact(common, value, entry.decl) : readField(r, entry.path, entry.decl, value);
    if (fact) values.slots[entry.slot] = fact;
  }
}

/** An enum word's or a small integer's fact: one shared object per value (the schema has admitted the value). */
function commonFact(common: Map<unknown, Fact>, value: unknown, decl: FieldDecl): Fact {
  let fact = common.get(value);
  if (fact === undefined) {
    fact = sharedFact(decl.type === "integer" ? { kind: "integer", value: value as number } : { kind: "text", value: value as string });
    common.set(value, fact);
  }
  return fact;
}

/** A schema-valid, non-null value as its fact (dates and times are parsed here, against screening). */
function readField(r: Reading, path: string, decl: FieldDecl, value: unknown): Fact | undefined {
  switch (decl.type) {
    case "boolean":
      return value ? TRUE : FALSE;
    case "integer":
      return { kind: "integer", value: value as number };
    case "string":
    case "enum":
      return { kind: "text", value: value as string };
    case "date":
      return readDate(r, path, decl, value as string);
    case "timestamp":
      return readTime(r, path, value as string, decl.allowDate === true, decl.notAfterScreening === true);
  }
}

function readDate(r: Reading, path: string, decl: Extract<FieldDecl, { type: "date" }>, text: string): Fact | undefined {
  const date = parseDate(text);
  if (!date) {
    r.errors.push({ path, message: `expected ${expectation(decl)}, got ${shown(text)}` });
    return undefined;
  }
  const { screening } = r;
  if (decl.notAfterScreening && screening && compareDates(date, screening.date) > 0) {
    r.errors.push({ path, message: `${formatDate(date)} is after the screening date ${formatDate(screening.date)}` });
    return undefined;
  }
  return { kind: "date", date };
}

/** The age from the date of birth on the screening date; a given age must agree with it. */
function deriveAge(r: Reading, values: Values): void {
  const { subject } = r.rules.file;
  const { screening, errors } = r;
  const birth = values.get(subject.birthDate);
  if (birth?.kind !== "date" || !screening) return;
  if (compareDates(birth.date, screening.date) > 0) {
    errors.push({ path: subject.birthDate, message: `${formatDate(birth.date)} is after the screening date ${formatDate(screening.date)}` });
    values.set(subject.birthDate, undefined);
    return;
  }
  const age = completedYears(birth.date, screening.date);
  const given = values.get(subject.age);
  if (given?.kind === "integer" && given.value !== age) {
    errors.push({ path: subject.age, message: `${given.value} disagrees with ${subject.birthDate} ${formatDate(birth.date)}: ${age} completed years on the screening date ${formatDate(screening.date)}` });
    return;
  }
  const ageDecl = r.rules.fields.get(subject.age);
  if (ageDecl?.type === "integer" && (age < ageDecl.min || age > ageDecl.max)) {
    errors.push({ path: subject.birthDate, message: `gives age ${age} on ${formatDate(screening.date)}, outside ${ageDecl.min}–${ageDecl.max}` });
    return;
  }
  values.set(subject.age, { kind: "integer", value: age, display: `${age} (born ${formatDate(birth.date)})` });
}

/** A timestamp declared notBeforeDate another field (onset before birth) is an error. */
function checkNotBefore(r: Reading, values: Values): void {
  for (const { path, notBeforeDate } of planFor(r.rules).notBefore) {
    const time = values.get(path);
    const limit = values.get(notBeforeDate);
    if (time?.kind !== "time" || limit?.kind !== "date") continue;
    // The birth date is a calendar day read, like any date alone, in screenedAt's offset: the
    // onset's own offset must not decide it (the same instant written in another offset would).
    const day = dateOf({ ms: time.end, offsetMin: r.screening?.offsetMin ?? time.offsetMin });
    if (compareDates(day, limit.date) < 0) {
      r.errors.push({ path, message: `${time.text} is before ${notBeforeDate} ${formatDate(limit.date)}` });
    }
  }
}

function readLabs(r: Reading, values: Values, raw: readonly unknown[]): void {
  const anyBad = r.bad.size > 0;
  for (const { slot, decl: lab } of planFor(r.rules).labs) {
    if (anyBad && isBad(r, lab.path)) continue;
    const value = raw[slot];
    if (value === undefined || value === null) continue;
    const fact = readLab(r, lab, value as { value: number; unit?: unknown; uln?: unknown });
    if (fact) values.slots[slot] = fact;
  }
}

export type { CalendarDate };
