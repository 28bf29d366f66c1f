/**
 * fast-check generators for patient records, and small helpers for the property, oracle and
 * hostile-input tests (also used by scripts/fuzz.mjs, which transpiles this file).
 *
 * Nothing here imports src/: the records are built from the contract (shared/patient-format.md).
 * Values are boundary-heavy: ages near 18/60/70, NIHSS near 6, onsets near 24 h and 14 days,
 * heparin near 48 h, labs near 2.5 × / 1.25 × their ULN (own or site), platelets near 100,
 * aPTT near 35, INR near 1.7, another trial near "3 calendar months before", 29 February births,
 * month-end screening dates, odd UTC offsets (+05:45, -09:30, +14:00, ...).
 */
import fc from "fast-check";
import { CRITERIA_IDS } from "../oracle.js";

 
export type Rec = Record<string, any>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Calendar and timestamp helpers (years ≥ 1900 only: Date.UTC maps 0–99 to 19xx).

export interface YMD {
  y: number;
  m: number;
  d: number;
}

export function fmtYMD(day: YMD): string {
  return `${String(day.y).padStart(4, "0")}-${String(day.m).padStart(2, "0")}-${String(day.d).padStart(2, "0")}`;
}

export function ymdOf(ms: number, offsetMin: number): YMD {
  const t = new Date(ms + offsetMin * MINUTE);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addDays(day: YMD, n: number): YMD {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function monthLength(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Completed years on `on` (a 29 February birthday is reached on 1 March in common years). */
export function completedYears(birth: YMD, on: YMD): number {
  return on.y - birth.y - (on.m < birth.m || (on.m === birth.m && on.d < birth.d) ? 1 : 0);
}

/** The same day `months` calendar months earlier, clamped to that month's last day. */
export function monthsBefore(day: YMD, months: number): YMD {
  let y = day.y;
  let m = day.m - months;
  while (m < 1) {
    m += 12;
    y--;
  }
  return { y, m, d: Math.min(day.d, monthLength(y, m)) };
}

export function fmtOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? "-" : "+";
  const a = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

export type Precision = "min" | "s" | "ms";
export type ZoneStyle = "offset" | "Z" | "none";

/**
 * `ms` written as local time in `offsetMin`. Precision is raised when the instant needs it, so the
 * text always stands for exactly `ms`. Zone "Z" and "none" are used only for offset 0 (and "none"
 * means: read in the machine zone, which the tests set to UTC).
 */
export function fmtInstant(ms: number, offsetMin: number, precision: Precision = "s", zone: ZoneStyle = "offset"): string {
  const iso = new Date(ms + offsetMin * MINUTE).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  let p = precision;
  if (ms % 1000 !== 0) p = "ms";
  else if (ms % MINUTE !== 0 && p === "min") p = "s";
  const body = p === "min" ? iso.slice(0, 16) : p === "s" ? iso.slice(0, 19) : iso.slice(0, 23);
  if (offsetMin === 0 && zone === "Z") return `${body}Z`;
  if (offsetMin === 0 && zone === "none") return body;
  return body + fmtOffset(offsetMin);
}

/** Reads a timestamp the generators wrote (no offset = UTC). */
export function parseInstant(text: string): { ms: number; offsetMin: number } {
  const m = /(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const zone = m ? m[1]! : "Z";
  const offsetMin = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { ms: Date.parse(m ? text : `${text}Z`), offsetMin };
}

export const isDateOnly = (text: unknown): text is string => typeof text === "string" && /^\d{4}-\d{2}-\d{2}$/.test(text);

// ---------------------------------------------------------------------------------------------
// Exact decimal strings, so a value "at the limit" is written exactly (2.5 × 1.44 = "3.6").

function scaled(s: string): { n: bigint; e: number } {
  const neg = s.startsWith("-");
  const [i, f = ""] = (neg ? s.slice(1) : s).split(".");
  const n = BigInt((i ?? "0") + f);
  return { n: neg ? -n : n, e: f.length };
}

function unscaled(n: bigint, e: number): string {
  const neg = n < 0n;
  let s = (neg ? -n : n).toString().padStart(e + 1, "0");
  if (e > 0) s = `${s.slice(0, -e)}.${s.slice(-e)}`.replace(/\.?0+$/, "");
  return (neg ? "-" : "") + s;
}

export function decMul(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  return unscaled(x.n * y.n, x.e + y.e);
}

export function decAdd(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const e = Math.max(x.e, y.e);
  return unscaled(x.n * 10n ** BigInt(e - x.e) + y.n * 10n ** BigInt(e - y.e), e);
}

// ---------------------------------------------------------------------------------------------
// Paths and record surgery (never mutating the input).

/** A deep copy through JSON (own "__proto__" keys survive as plain keys). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A shallow copy that keeps own "__proto__" keys as keys (spread defines, it does not assign). */
function shallow(node: unknown): Rec {
  if (Array.isArray(node)) return [...node];
  return node !== null && typeof node === "object" ? { ...(node as Rec) } : {};
}

const define = (node: Rec, key: string, value: unknown) =>
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });

/**
 * `record` with `path` (dotted; "" = the whole record) set to `value`, creating groups as needed.
 * Copies only the objects along the path (the rest is shared, and never mutated).
 */
export function setPath(record: unknown, path: string, value: unknown): unknown {
  if (path === "") return value;
  const keys = path.split(".");
  const root = record !== null && typeof record === "object" && !Array.isArray(record) ? shallow(record) : {};
  let node: Rec = root;
  for (const key of keys.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    define(node, key, next !== null && typeof next === "object" && !Array.isArray(next) ? shallow(next) : {});
    node = node[key];
  }
  define(node, keys[keys.length - 1]!, value);
  return root;
}

/** `record` without `path` (a field or a whole group); copies only the objects along the path. */
export function deletePath(record: Rec, path: string): Rec {
  const keys = path.split(".");
  const root = shallow(record);
  let node: Rec = root;
  for (const key of keys.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== "object") return root;
    define(node, key, shallow(next));
    node = node[key];
  }
  delete node[keys[keys.length - 1]!];
  return root;
}

/** Freezes a value and everything in it (to prove the screener never writes into its input). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Rec)[key as string]);
  }
  return value;
}

export function getPath(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Rec)[key];
  }
  return node;
}

/** Every path of a record: groups, lab objects and leaves ("stroke", "labs.alt", "labs.alt.uln", ...). */
export function allPaths(record: Rec, at = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const path = at ? `${at}.${key}` : key;
    out.push(path);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) out.push(...allPaths(value, path));
  }
  return out;
}

/** Every field the contract's table names (labs as whole objects). */
export const CONTRACT_FIELDS = [
  "id", "screenedAt",
  "demographics.birthDate", "demographics.age", "demographics.sex",
  "stroke.onset", "stroke.onsetIsLastKnownWell", "stroke.anteriorCirculationOcclusion", "stroke.occlusionImaging",
  "stroke.preStrokeMrs", "stroke.aspects", "stroke.nihss", "stroke.thrombolysis", "stroke.endovascularTreatment",
  "labs.alt", "labs.ast", "labs.creatinine", "labs.bun", "labs.platelets", "labs.aptt", "labs.inr",
  "medications.lastHeparinDose", "medications.warfarin", "medications.immunosuppressants",
  "allergies.contrast", "allergies.studyDrug", "allergies.allergicConstitution",
  "infections.hbsag", "infections.severeInfection", "infections.otherInfectiousDisease",
  "history.significantCardiacDysfunction", "history.otherBleedingTendency", "history.coagulationDisorder",
  "history.brainTumor", "history.epilepsy", "history.severeHeadTrauma", "history.otherMalignancy",
  "history.immunodeficiency", "history.otherSeriousSystemicDisease", "history.neurodegenerativeDiseaseLimitingFollowUp",
  "history.nasalAbnormality", "history.csfRhinorrhea", "history.uncontrolledMentalIllness",
  "trials.lastOtherTrialParticipation",
  "reproductive.pregnant", "reproductive.breastfeeding", "reproductive.childbearingPotential", "reproductive.usesContraception",
  "consent.canSignInformedConsent", "consent.ableToComply", "investigator.deemedUnsuitable",
] as const;

export const GROUPS = ["demographics", "stroke", "labs", "medications", "allergies", "infections", "history", "trials", "reproductive", "consent", "investigator"];

/** Boolean fields and the value that keeps a patient eligible. */
export const BOOLEAN_FIELDS: ReadonlyArray<readonly [string, boolean]> = [
  ["stroke.onsetIsLastKnownWell", false],
  ["stroke.anteriorCirculationOcclusion", true],
  ["stroke.thrombolysis", false],
  ["stroke.endovascularTreatment", false],
  ["medications.warfarin", false],
  ["medications.immunosuppressants", false],
  ["allergies.studyDrug", false],
  ["allergies.allergicConstitution", false],
  ["infections.severeInfection", false],
  ["infections.otherInfectiousDisease", false],
  ["history.significantCardiacDysfunction", false],
  ["history.otherBleedingTendency", false],
  ["history.coagulationDisorder", false],
  ["history.brainTumor", false],
  ["history.epilepsy", false],
  ["history.severeHeadTrauma", false],
  ["history.otherMalignancy", false],
  ["history.immunodeficiency", false],
  ["history.otherSeriousSystemicDisease", false],
  ["history.neurodegenerativeDiseaseLimitingFollowUp", false],
  ["history.nasalAbnormality", false],
  ["history.csfRhinorrhea", false],
  ["history.uncontrolledMentalIllness", false],
  ["consent.canSignInformedConsent", true],
  ["consent.ableToComply", true],
  ["investigator.deemedUnsuitable", false],
];

// ---------------------------------------------------------------------------------------------
// Building blocks.

/** Offsets in minutes, odd ones included (Nepal +05:45, Marquesas -09:30, Kiribati +14:00, ...). */
export const OFFSETS = [0, 60, 120, -300, -240, 480, 330, 345, -210, 840, -720, 525, 570, -570, -60, 780];

export const offsetArb = fc.constantFrom(...OFFSETS);
export const precisionArb = fc.constantFrom<Precision>("min", "s", "ms");

/** Moves `center` by nothing, by one tick of some unit, or by up to two days. */
function near(center: number, spread = 2 * DAY): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constant(center),
    fc.constantFrom(-1, 1, -1000, 1000, -MINUTE, MINUTE, -HOUR, HOUR, -DAY, DAY).map((d) => center + d),
    fc.integer({ min: -spread, max: spread }).map((d) => center + d),
  );
}

export interface Screening {
  ms: number;
  offsetMin: number;
  day: YMD; // the screening date
  text: string; // as written in the record (and given as --as-of)
}

const monthDayArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })) },
  { weight: 2, arbitrary: fc.constantFrom<[number, number]>([2, 28], [2, 29], [3, 1], [3, 31], [5, 31], [8, 31], [12, 31], [1, 1], [11, 30], [4, 30]) },
);

export const screeningArb: fc.Arbitrary<Screening> = fc
  .record({
    y: fc.oneof(fc.integer({ min: 2000, max: 2035 }), fc.constantFrom(2024, 2026, 2028, 2100)),
    md: monthDayArb,
    h: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 23)),
    mi: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })),
    s: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })),
    msec: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) }),
    offsetMin: offsetArb,
    precision: precisionArb,
    zone: fc.constantFrom<ZoneStyle>("offset", "offset", "Z", "none"),
  })
  .map(({ y, md, h, mi, s, msec, offsetMin, precision, zone }) => {
    const day = { y, m: md[0], d: Math.min(md[1], monthLength(y, md[0])) };
    const ms = Date.UTC(day.y, day.m - 1, day.d, h, mi, s, msec) - offsetMin * MINUTE;
    return { ms, offsetMin, day, text: fmtInstant(ms, offsetMin, precision, zone) };
  });

/** The fallback screening time given with a record (as --as-of): always with its offset. */
export function asOfText(s: Screening): string {
  return fmtInstant(s.ms, s.offsetMin, "ms", "offset");
}

const ABSENT = Symbol("absent");
type Maybe<T> = T | typeof ABSENT;

/** Picks with integer weights from [weight, value] pairs. */
function weighted<T>(...choices: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

const absent = <T>(): fc.Arbitrary<Maybe<T>> => fc.constant(ABSENT);

/** Builds an object from [key, value] pairs, leaving out absent values. */
function build(entries: [string, unknown][]): Rec {
  const out: Rec = {};
  for (const [k, v] of entries) if (v !== ABSENT) out[k] = v;
  return out;
}

/** A time field: an instant `elapsed` ms before screening in some offset, or a date alone `days` before the screening date. */
type TimeSpec = { kind: "instant"; elapsed: number; offsetMin: number; precision: Precision } | { kind: "date"; days: number };

function timeText(spec: TimeSpec, s: Screening): string {
  if (spec.kind === "date") return fmtYMD(addDays(s.day, -spec.days));
  return fmtInstant(s.ms - spec.elapsed, spec.offsetMin, spec.precision);
}

const instantSpec = (elapsed: fc.Arbitrary<number>): fc.Arbitrary<TimeSpec> =>
  fc.record({ kind: fc.constant("instant" as const), elapsed, offsetMin: offsetArb, precision: precisionArb });
const dateSpec = (days: fc.Arbitrary<number>): fc.Arbitrary<TimeSpec> => fc.record({ kind: fc.constant("date" as const), days });

const onsetSpecArb: fc.Arbitrary<TimeSpec> = weighted(
  [3, instantSpec(near(24 * HOUR, 20 * HOUR).map((e) => Math.max(0, e)))],
  [3, instantSpec(near(14 * DAY))],
  [3, instantSpec(fc.integer({ min: 0, max: 30 * DAY }))],
  [1, instantSpec(fc.integer({ min: -DAY, max: -1 }))], // after screening: invalid
  [3, dateSpec(fc.oneof(fc.constantFrom(0, 1, 2, 13, 14, 15), fc.integer({ min: 0, max: 20 })))],
  [1, dateSpec(fc.constant(-1))], // after the screening date: invalid
);

const heparinSpecArb: fc.Arbitrary<TimeSpec> = weighted(
  [4, instantSpec(near(48 * HOUR).map((e) => Math.max(0, e)))],
  [2, instantSpec(fc.integer({ min: 0, max: 10 * DAY }))],
  [1, instantSpec(fc.integer({ min: -DAY, max: -1 }))], // after screening: invalid
  [2, dateSpec(fc.integer({ min: 0, max: 5 }))],
  [1, dateSpec(fc.constant(-1))],
);

// --- labs

const DELTAS = ["0", "0", "0.001", "-0.001", "0.01", "-0.01", "0.1", "-0.1", "1", "-1", "0.005", "-0.5"];
const deltaArb = fc.constantFrom(...DELTAS);

/** A decimal string near one of `limits`, or `random`; never negative. */
function nearLimit(limits: string[], random: fc.Arbitrary<string>): fc.Arbitrary<number> {
  return weighted<string>(
    [4, fc.tuple(fc.constantFrom(...limits), deltaArb).map(([l, d]) => decAdd(l, d))],
    [1, random],
  ).map((s) => Math.max(0, Number(s)));
}

const intText = (min: number, max: number) => fc.integer({ min, max }).map(String);
const decText = (min: number, max: number, places: number) =>
  fc.integer({ min: min * 10 ** places, max: max * 10 ** places }).map((n) => unscaled(BigInt(n), places));

interface UlnLabSpec {
  units: { unit: string; ulns: string[]; siteLimits: string[]; random: fc.Arbitrary<string> }[];
  factor: string;
}

const ULN_LABS: Record<"alt" | "ast" | "creatinine" | "bun", UlnLabSpec> = {
  alt: { factor: "2.5", units: [{ unit: "U/L", ulns: ["40", "35", "50", "45.5", "1.44", "33"], siteLimits: ["100", "125"], random: intText(0, 400) }] },
  ast: { factor: "2.5", units: [{ unit: "U/L", ulns: ["40", "35", "30", "42.5"], siteLimits: ["87.5", "100"], random: intText(0, 400) }] },
  creatinine: {
    factor: "1.25",
    units: [
      { unit: "umol/L", ulns: ["104", "97", "73", "111", "81", "120.5"], siteLimits: ["91.25", "121.25", "101.25", "138.75"], random: intText(10, 400) },
      {
        unit: "mg/dL",
        ulns: ["1.44", "1.2", "1.1", "0.9", "1.3"],
        // 1.25 × site ULN / 88.4, written to 2–5 places either side of the exact value
        siteLimits: ["1.03", "1.032", "1.0322", "1.03224", "1.0323", "1.37", "1.3716", "1.37161", "1.3717", "1.145", "1.1453", "1.14536", "1.1454", "1.5695", "1.56957", "1.5696", "1.57"],
        random: decText(0.1, 5, 2),
      },
    ],
  },
  bun: {
    factor: "1.25",
    units: [
      { unit: "mmol/L", ulns: ["7.1", "8.0", "7.5", "9.5", "8.8", "6.4"], siteLimits: ["9.375", "10", "11.875", "11"], random: decText(0.5, 30, 1) },
      { unit: "mg/dL", ulns: ["20", "23", "18.5", "21"], siteLimits: ["26.25", "28", "33.25", "30.8"], random: decText(1, 80, 1) },
    ],
  },
};

function ulnLabArb(name: keyof typeof ULN_LABS): fc.Arbitrary<Rec> {
  const spec = ULN_LABS[name];
  return fc.constantFrom(...spec.units).chain((u) =>
    weighted<Rec>(
      // with its own uln: a value near factor × uln
      [
        3,
        fc.constantFrom(...u.ulns).chain((uln) =>
          nearLimit([decMul(uln, spec.factor)], u.random).map((value) => ({ value, unit: u.unit, uln: Number(uln) })),
        ),
      ],
      // without: a value near a site limit
      [3, nearLimit(u.siteLimits, u.random).map((value) => ({ value, unit: u.unit }))],
    ),
  );
}

const plateletsArb: fc.Arbitrary<Rec> = fc
  .record({
    value: nearLimit(["100", "99.9", "150"], intText(0, 600)),
    unit: fc.constantFrom("10^9/L", "10^3/uL"),
    uln: weighted<Maybe<number>>([5, absent()], [1, fc.constant(400)]), // ignored, with a warning
  })
  .map((r) => build(Object.entries(r)));
const apttArb: fc.Arbitrary<Rec> = nearLimit(["35", "34.9"], decText(10, 120, 1)).map((value) => ({ value: Math.max(10, value), unit: "s" }));
const inrArb: fc.Arbitrary<Rec> = nearLimit(["1.7", "1.69", "1.7000001"], decText(0.5, 5, 2)).map((value) => ({ value: Math.max(0.5, value) }));

/** Invalid lab objects: each must make the record invalid. */
export const INVALID_LABS: ReadonlyArray<readonly [string, unknown]> = [
  ["labs.alt", { value: "35", unit: "U/L" }],
  ["labs.alt", { value: -1, unit: "U/L" }],
  ["labs.alt", { value: 35 }],
  ["labs.alt", { value: 35, unit: "U/l" }],
  ["labs.alt", { value: 35, unit: "U/L", uln: 0 }],
  ["labs.alt", { value: 35, unit: "U/L", uln: 50000 }],
  ["labs.alt", { value: 20001, unit: "U/L" }],
  ["labs.creatinine", { value: 1.1, unit: "umol/L" }],
  ["labs.creatinine", { value: 80, unit: "mg/dL" }],
  ["labs.creatinine", { value: 1.2, unit: "mg/dL", uln: 104 }],
  ["labs.bun", { value: 300, unit: "mg/dL" }],
  ["labs.bun", { value: 0.4, unit: "mmol/L" }],
  ["labs.platelets", { value: 3001, unit: "10^9/L" }],
  ["labs.platelets", { value: 210, unit: "/uL" }],
  ["labs.platelets", { value: 210, unit: "10^9/L", uln: -5 }],
  ["labs.aptt", { value: 9, unit: "s" }],
  ["labs.aptt", { value: 30 }],
  ["labs.inr", { value: 1.1, unit: "ratio" }],
  ["labs.inr", { value: 1.1, unit: null }],
  ["labs.inr", { value: 0.4 }],
  ["labs.inr", { value: 21 }],
  ["labs.inr", 1.1],
  ["labs.alt", null],
  ["labs.alt", [35, "U/L"]],
];

/** Invalid values elsewhere: each must make the record invalid. */
export const INVALID_VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ["id", 42],
  ["id", null],
  ["screenedAt", "2026-11-24"],
  ["screenedAt", "2026-11-24T09:00:00+05:75"],
  ["screenedAt", "2026-11-24T09:00:00+19:00"],
  ["screenedAt", "2026-11-24T24:00:00Z"],
  ["screenedAt", "24/11/2026 09:00"],
  ["screenedAt", null],
  ["screenedAt", 1764000000000],
  ["demographics.sex", "M"],
  ["demographics.sex", null],
  ["demographics.age", -1],
  ["demographics.age", 131],
  ["demographics.age", 45.5],
  ["demographics.age", "45"],
  ["demographics.birthDate", "1965-02-30"],
  ["demographics.birthDate", "1965-06-15T00:00:00Z"],
  ["demographics.birthDate", "15/06/1965"],
  ["stroke.nihss", 43],
  ["stroke.nihss", 6.5],
  ["stroke.nihss", "9"],
  ["stroke.nihss", -1],
  ["stroke.aspects", 11],
  ["stroke.preStrokeMrs", 6],
  ["stroke.occlusionImaging", "cta"],
  ["stroke.onset", "2026-13-01T00:00:00Z"],
  ["stroke.onset", "yesterday"],
  ["stroke.onset", null],
  ["stroke.thrombolysis", "false"],
  ["stroke.thrombolysis", 0],
  ["medications.lastHeparinDose", "last week"],
  ["medications.warfarin", null],
  ["allergies.contrast", "mild"],
  ["infections.hbsag", "neg"],
  ["history.epilepsy", null],
  ["trials.lastOtherTrialParticipation", "2026-01-01T00:00:00Z"],
  ["trials.lastOtherTrialParticipation", "2026-02-30"],
  ["reproductive.pregnant", "no"],
  ["consent.ableToComply", "yes"],
  ["stroke", null],
  ["stroke", []],
  ["labs", "none"],
  ["history", true],
  ["investigator", 0],
];

const enumArb = <T extends string>(weights: [number, T][], pAbsent: number): fc.Arbitrary<Maybe<T>> =>
  weighted<Maybe<T>>(...weights.map(([w, v]) => [w, fc.constant(v)] as [number, fc.Arbitrary<Maybe<T>>]), [pAbsent, absent()]);

/** Extra fields the contract does not name: ignored, with a warning. */
const EXTRAS: ReadonlyArray<readonly [string, unknown]> = [
  ["history.epilepsey", true],
  ["notes", "seen in ED"],
  ["labs.hb", { value: 130, unit: "g/L" }],
  ["stroke.side", "left"],
  ["demographics.name", "Zhang San"],
];

// ---------------------------------------------------------------------------------------------
// The general record generator: valid records mostly, boundary-heavy, with missing fields and a
// few invalid ones. Each comes with the --as-of to use when it has no screenedAt of its own.

export interface Generated {
  record: Rec;
  asOf: string;
  screening: Screening;
}

/**
 * Per record: how often a field is absent, how often a yes/no finding is the excluding one, how
 * often a value is drawn from its boundary-heavy generator rather than a safely passing one, and
 * how often the record gets one invalid value. Mixing these gives every verdict in good numbers.
 */
const profileArb = fc.record({
  pAbsent: fc.constantFrom(0, 0, 0, 1, 3, 10, 40),
  pTrue: fc.constantFrom(0, 0, 0, 1, 3, 10, 30),
  pBoundary: fc.constantFrom(0, 3, 10, 30, 100),
  invalidRate: fc.constantFrom(0, 0, 0, 10),
});
type Profile = { pAbsent: number; pTrue: number; pBoundary: number; invalidRate: number };

const roll = fc.integer({ min: 0, max: 99 });

/** A field's safe value and its boundary-heavy one; the record's profile picks (or leaves it absent). */
interface Choice<T> {
  safe: fc.Arbitrary<T>;
  edge: fc.Arbitrary<T>;
}
const choice = <T>(safe: fc.Arbitrary<T>, edge: fc.Arbitrary<T>): Choice<T> => ({ safe, edge });
function chosen<T>(c: Choice<T>, p: Profile): fc.Arbitrary<Maybe<T>> {
  const present = 100 - p.pAbsent;
  const parts: { weight: number; arbitrary: fc.Arbitrary<Maybe<T>> }[] = [];
  if (p.pAbsent > 0) parts.push({ weight: p.pAbsent * 100, arbitrary: absent<T>() });
  if (p.pBoundary < 100) parts.push({ weight: present * (100 - p.pBoundary), arbitrary: c.safe });
  if (p.pBoundary > 0) parts.push({ weight: present * p.pBoundary, arbitrary: c.edge });
  return parts.length === 1 ? parts[0]!.arbitrary : fc.oneof(...parts);
}

/** A lab value well inside its limits. */
const safeLab = (unit: string, lo: number, hi: number, places = 0) => decText(lo, hi, places).map((v) => ({ value: Number(v), unit }));
const safeLabs: Record<string, fc.Arbitrary<Rec>> = {
  alt: safeLab("U/L", 5, 80),
  ast: safeLab("U/L", 5, 70),
  creatinine: fc.oneof(safeLab("umol/L", 40, 90), safeLab("mg/dL", 0.5, 1, 2)),
  bun: fc.oneof(safeLab("mmol/L", 2, 9, 1), safeLab("mg/dL", 5, 26, 1)),
  platelets: fc.oneof(safeLab("10^9/L", 150, 450), safeLab("10^3/uL", 150, 450)),
  aptt: safeLab("s", 22, 34, 1),
  inr: decText(0.8, 1.3, 2).map((v) => ({ value: Number(v) })),
};

/** The fields whose value the profile picks: [safe, boundary-heavy]. */
const CHOICES = {
  age: choice(
    fc.record({ mode: fc.constantFrom("birth", "age", "both"), years: fc.integer({ min: 18, max: 70 }) }),
    fc.record({
      mode: fc.constantFrom("birth", "birth", "age", "both", "both", "mismatch"),
      years: weighted<number>([4, fc.constantFrom(17, 18, 19, 59, 60, 61, 69, 70, 71)], [2, fc.integer({ min: 0, max: 100 })], [1, fc.constantFrom(0, 1, 129, 130, 131)]),
    }),
  ),
  onset: choice<TimeSpec>(
    fc.oneof(instantSpec(fc.integer({ min: 25 * HOUR, max: 13 * DAY })), dateSpec(fc.integer({ min: 2, max: 13 }))),
    onsetSpecArb,
  ),
  occlusionImaging: choice(fc.constantFrom("CTA", "MRA"), fc.constantFrom("CTA", "MRA", "DSA", "CT", "MRI", "none")),
  mrs: choice(fc.constantFrom(0, 1), fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: 0, max: 5 }))),
  aspects: choice(fc.integer({ min: 6, max: 10 }), fc.oneof(fc.constantFrom(5, 6), fc.integer({ min: 0, max: 10 }))),
  nihss: choice(fc.integer({ min: 6, max: 42 }), fc.oneof(fc.constantFrom(5, 6), fc.integer({ min: 0, max: 42 }))),
  alt: choice(safeLabs.alt!, ulnLabArb("alt")),
  ast: choice(safeLabs.ast!, ulnLabArb("ast")),
  creatinine: choice(safeLabs.creatinine!, ulnLabArb("creatinine")),
  bun: choice(safeLabs.bun!, ulnLabArb("bun")),
  platelets: choice(safeLabs.platelets!, plateletsArb),
  aptt: choice(safeLabs.aptt!, apttArb),
  inr: choice(safeLabs.inr!, inrArb),
  heparin: choice<TimeSpec | null>(
    fc.oneof(fc.constant(null), instantSpec(fc.integer({ min: 3 * DAY, max: 30 * DAY })), dateSpec(fc.integer({ min: 4, max: 30 }))),
    heparinSpecArb,
  ),
  contrast: choice(fc.constantFrom("none", "mild-rash"), fc.constantFrom("none", "mild-rash", "severe")),
  hbsag: choice(fc.constant("negative"), fc.constantFrom("negative", "positive", "indeterminate")),
  trial: choice<number | null | "after">(
    fc.oneof(fc.constant(null), fc.integer({ min: -2000, max: -1 })),
    weighted<number | null | "after">([1, fc.constant(null)], [6, fc.integer({ min: -3, max: 3 })], [2, fc.integer({ min: -400, max: 80 })], [1, fc.constant("after" as const)]),
  ),
};

const OTHERS = {
  screening: screeningArb,
  screenedAtInRecord: fc.constantFrom(true, true, true, true, true, true, true, true, true, false),
  id: weighted<Maybe<string>>([6, fc.string({ maxLength: 12 }).map((s) => `P-${s}`)], [1, absent()]),
  birthShift: weighted<number>([3, fc.constantFrom(-1, 0, 1)], [2, fc.integer({ min: -3, max: 3 })], [2, fc.integer({ min: -366, max: 366 })]),
  leapBirth: fc.constantFrom(false, false, false, false, false, false, false, false, true),
  sex: enumArb<string>([[5, "male"], [5, "female"]], 1),
  booleans: fc.array(roll, { minLength: BOOLEAN_FIELDS.length, maxLength: BOOLEAN_FIELDS.length }),
  reproductive: fc.array(roll, { minLength: 4, maxLength: 4 }),
  extra: weighted<Maybe<readonly [string, unknown]>>([8, absent()], [1, fc.constantFrom(...EXTRAS)]),
  corruption: fc.constantFrom(...INVALID_VALUES, ...INVALID_LABS),
  corrupt: roll,
};

const perProfile = new Map<string, fc.Arbitrary<Generated>>();

export const recordArb: fc.Arbitrary<Generated> = profileArb.chain((p) => {
  const key = JSON.stringify(p);
  let arb = perProfile.get(key);
  if (!arb) {
    const picked = Object.fromEntries(Object.entries(CHOICES).map(([k, c]) => [k, chosen(c as Choice<unknown>, p)])) as {
      [K in keyof typeof CHOICES]: fc.Arbitrary<Maybe<(typeof CHOICES)[K] extends Choice<infer T> ? T : never>>;
    };
    arb = fc.record({ ...OTHERS, ...picked }).map((g) => buildRecord(g, p));
    perProfile.set(key, arb);
  }
  return arb;
});

type Fields = { [K in keyof typeof OTHERS]: (typeof OTHERS)[K] extends fc.Arbitrary<infer T> ? T : never } & {
  [K in keyof typeof CHOICES]: Maybe<(typeof CHOICES)[K] extends Choice<infer T> ? T : never>;
};

function buildRecord(g: Fields, p: Profile): Generated {
  const s = g.screening;
  const r: Rec = {};
  if (g.id !== ABSENT) r.id = g.id;
  if (g.screenedAtInRecord) r.screenedAt = s.text;

  // demographics
  const age = g.age;
  const demographics: Rec = {};
  if (age !== ABSENT) {
    let birth: YMD;
    if (g.leapBirth) {
      let y = s.day.y - age.years;
      while (!(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) y--;
      birth = { y, m: 2, d: 29 };
    } else {
      const y = s.day.y - age.years;
      birth = addDays({ y, m: s.day.m, d: Math.min(s.day.d, monthLength(y, s.day.m)) }, age.mode === "age" ? 0 : g.birthShift);
    }
    const completed = completedYears(birth, s.day);
    if (age.mode !== "age") demographics.birthDate = fmtYMD(birth);
    if (age.mode === "age") demographics.age = age.years;
    if (age.mode === "both") demographics.age = completed;
    if (age.mode === "mismatch") demographics.age = completed + 1;
  }
  if (g.sex !== ABSENT) demographics.sex = g.sex;
  r.demographics = demographics;

  const bools = new Map<string, boolean | typeof ABSENT>();
  BOOLEAN_FIELDS.forEach(([path, good], i) => {
    const x = g.booleans[i]!;
    bools.set(path, x < p.pAbsent ? ABSENT : x < p.pAbsent + p.pTrue ? !good : good);
  });
  const b = (path: string) => bools.get(path)!;

  const onset = g.onset;
  r.stroke = build([
    ["onset", onset === ABSENT ? ABSENT : timeText(onset, s)],
    ["onsetIsLastKnownWell", b("stroke.onsetIsLastKnownWell")],
    ["anteriorCirculationOcclusion", b("stroke.anteriorCirculationOcclusion")],
    ["occlusionImaging", g.occlusionImaging],
    ["preStrokeMrs", g.mrs],
    ["aspects", g.aspects],
    ["nihss", g.nihss],
    ["thrombolysis", b("stroke.thrombolysis")],
    ["endovascularTreatment", b("stroke.endovascularTreatment")],
  ]);
  r.labs = build([
    ["alt", g.alt],
    ["ast", g.ast],
    ["creatinine", g.creatinine],
    ["bun", g.bun],
    ["platelets", g.platelets],
    ["aptt", g.aptt],
    ["inr", g.inr],
  ]);
  const heparin = g.heparin;
  r.medications = build([
    ["lastHeparinDose", heparin === ABSENT || heparin === null ? heparin : timeText(heparin, s)],
    ["warfarin", b("medications.warfarin")],
    ["immunosuppressants", b("medications.immunosuppressants")],
  ]);
  r.allergies = build([
    ["contrast", g.contrast],
    ["studyDrug", b("allergies.studyDrug")],
    ["allergicConstitution", b("allergies.allergicConstitution")],
  ]);
  r.infections = build([
    ["hbsag", g.hbsag],
    ["severeInfection", b("infections.severeInfection")],
    ["otherInfectiousDisease", b("infections.otherInfectiousDisease")],
  ]);
  r.history = {};
  for (const [path] of BOOLEAN_FIELDS) {
    if (path.startsWith("history.") && b(path) !== ABSENT) r.history[path.slice(8)] = b(path);
  }
  const limit = monthsBefore(s.day, 3);
  const trial = g.trial;
  r.trials = build([
    ["lastOtherTrialParticipation", trial === ABSENT || trial === null ? trial : trial === "after" ? fmtYMD(addDays(s.day, 10)) : fmtYMD(addDays(limit, trial))],
  ]);
  // reproductive: [pregnant, breastfeeding, childbearingPotential, usesContraception]
  const man = g.sex === "male";
  const [rp, rb, rc, ru] = g.reproductive as [number, number, number, number];
  const flag = (x: number, pYes: number, pAbsent: number): Maybe<boolean> => (x < pAbsent ? ABSENT : x < pAbsent + pYes ? true : false);
  const pa = Math.min(p.pAbsent, 30);
  r.reproductive = build([
    ["pregnant", flag(rp, man ? Math.min(p.pTrue, 1) : p.pTrue, pa)],
    ["breastfeeding", flag(rb, man ? Math.min(p.pTrue, 1) : p.pTrue, pa)],
    ["childbearingPotential", flag(rc, 40, pa)],
    ["usesContraception", flag(ru, 100 - p.pTrue - pa, pa)],
  ]);
  r.consent = build([
    ["canSignInformedConsent", b("consent.canSignInformedConsent")],
    ["ableToComply", b("consent.ableToComply")],
  ]);
  r.investigator = build([["deemedUnsuitable", b("investigator.deemedUnsuitable")]]);

  let out: Rec = r;
  if (g.extra !== ABSENT) out = setPath(out, g.extra[0], g.extra[1]) as Rec;
  if (g.corrupt < p.invalidRate) out = setPath(out, g.corruption[0], g.corruption[1]) as Rec;
  return { record: out, asOf: asOfText(s), screening: s };
}

// ---------------------------------------------------------------------------------------------
// Eligible records: every criterion passes (or is not applicable), in many different ways.

export interface EligibleCase {
  record: Rec;
  screening: Screening;
}

/** Values that pass INC-08 for this lab whatever the sex and age band (no uln), or under its own uln. */
function passingUlnLab(name: keyof typeof ULN_LABS, sex: "male" | "female", old: boolean): fc.Arbitrary<Rec> {
  const spec = ULN_LABS[name];
  // The site limit that applies to this patient, in each unit (exact where the unit allows).
  const site: Record<string, Record<string, string>> = {
    alt: { "U/L": sex === "male" ? "125" : "100" },
    ast: { "U/L": sex === "male" ? "100" : "87.5" },
    creatinine: {
      "umol/L": sex === "male" ? (old ? "138.75" : "121.25") : old ? "101.25" : "91.25",
      "mg/dL": sex === "male" ? (old ? "1.5695" : "1.3716") : old ? "1.1453" : "1.0322",
    },
    bun: {
      "mmol/L": sex === "male" ? (old ? "11.875" : "10") : old ? "11" : "9.375",
      "mg/dL": sex === "male" ? (old ? "33.25" : "28") : old ? "30.8" : "26.25",
    },
  };
  return fc.constantFrom(...spec.units).chain((u) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...u.ulns), fc.integer({ min: 0, max: 1000 })).map(([uln, per]) => {
        const limit = decMul(uln, spec.factor);
        const value = per === 1000 ? Number(limit) : Math.max(name === "creatinine" && u.unit === "umol/L" ? 10 : 0, Number(decMul(limit, unscaled(BigInt(per), 3))));
        return { value: plausibleFloor(name, u.unit, value), unit: u.unit, uln: Number(uln) };
      }),
      fc.integer({ min: 0, max: 1000 }).map((per) => {
        const limit = site[name]![u.unit]!;
        const value = per === 1000 ? Number(limit) : Number(decMul(limit, unscaled(BigInt(per), 3)));
        return { value: plausibleFloor(name, u.unit, value), unit: u.unit };
      }),
    ),
  );
}

/** Lifts a value to its unit's plausible minimum (the generators only need plausible passing values). */
function plausibleFloor(name: string, unit: string, value: number): number {
  const min = name === "creatinine" ? (unit === "umol/L" ? 10 : 0.1) : name === "bun" ? (unit === "mmol/L" ? 0.5 : 1) : 0;
  return Math.max(min, value);
}

export const eligibleArb: fc.Arbitrary<EligibleCase> = fc
  .record({
    screening: screeningArb,
    id: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    sex: fc.constantFrom<"male" | "female">("male", "female"),
    age: fc.oneof(fc.constantFrom(18, 59, 60, 70), fc.integer({ min: 18, max: 70 })),
    birthShift: fc.integer({ min: 0, max: 364 }),
    ageMode: fc.constantFrom("birth", "age", "both"),
    onset: fc.oneof(
      instantSpec(fc.oneof(fc.constantFrom(24 * HOUR, 14 * DAY), fc.integer({ min: 24 * HOUR, max: 14 * DAY }))),
      dateSpec(fc.integer({ min: 2, max: 13 })),
    ),
    lkw: fc.option(fc.boolean(), { nil: undefined }),
    imaging: fc.constantFrom("CTA", "MRA"),
    mrs: fc.constantFrom(0, 1),
    aspects: fc.integer({ min: 6, max: 10 }),
    nihss: fc.oneof(fc.constant(6), fc.integer({ min: 6, max: 42 })),
    platelets: fc.record({ value: fc.oneof(fc.constant(100), fc.integer({ min: 100, max: 3000 })), unit: fc.constantFrom("10^9/L", "10^3/uL") }),
    // [heparin, aptt]: none / long ago (aPTT anything) / within 48 h with aPTT < 35
    bleeding: fc.oneof(
      fc.tuple(fc.constant(null), fc.option(apttArb, { nil: undefined })),
      fc.tuple(instantSpec(fc.integer({ min: 48 * HOUR + 1, max: 30 * DAY })), fc.option(apttArb, { nil: undefined })),
      fc.tuple(dateSpec(fc.integer({ min: 3, max: 30 })), fc.option(apttArb, { nil: undefined })),
      fc.tuple(
        fc.oneof(instantSpec(fc.integer({ min: 0, max: 48 * HOUR })), dateSpec(fc.integer({ min: 0, max: 1 }))),
        fc.oneof(fc.constant(34.9), fc.integer({ min: 100, max: 349 }).map((n) => n / 10)).map((value) => ({ value, unit: "s" })),
      ),
    ),
    // [warfarin, INR]: not taking (INR anything or absent) / taking with INR ≤ 1.7
    anticoagulation: fc.oneof(
      fc.tuple(fc.constant(false), fc.option(inrArb, { nil: undefined })),
      fc.tuple(fc.constant(true), fc.oneof(fc.constant(1.7), fc.integer({ min: 50, max: 170 }).map((n) => n / 100)).map((value) => ({ value }))),
    ),
    contrast: fc.constantFrom("none", "mild-rash"),
    trialDaysBeforeLimit: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    // reproductive for a woman: [pregnant, breastfeeding, childbearingPotential, usesContraception]
    womanRepro: fc.constantFrom<[boolean, boolean, boolean | undefined, boolean | undefined]>(
      [false, false, false, true],
      [false, false, false, false],
      [false, false, false, undefined],
      [false, false, true, true],
      [false, false, undefined, true],
    ),
    manRepro: fc.tuple(
      fc.option(fc.constant(false), { nil: undefined }),
      fc.option(fc.constant(false), { nil: undefined }),
      fc.option(fc.boolean(), { nil: undefined }),
      fc.option(fc.boolean(), { nil: undefined }),
    ),
    extraUln: fc.boolean(), // a uln on platelets: ignored, with a warning
  })
  .chain((g) => {
    const s = g.screening;
    // birth so that the completed age on the screening date is g.age
    const birth = addDays({ y: s.day.y - g.age - 1, m: s.day.m, d: Math.min(s.day.d, monthLength(s.day.y - g.age - 1, s.day.m)) }, 1 + g.birthShift);
    const age = completedYears(birth, s.day);
    const old = age >= 60;
    return fc
      .record({
        alt: passingUlnLab("alt", g.sex, old),
        ast: passingUlnLab("ast", g.sex, old),
        creatinine: passingUlnLab("creatinine", g.sex, old),
        bun: passingUlnLab("bun", g.sex, old),
      })
      .map((labs) => {
        const demographics: Rec = { sex: g.sex };
        if (g.ageMode !== "age") demographics.birthDate = fmtYMD(birth);
        if (g.ageMode !== "birth") demographics.age = age;
        const [heparin, aptt] = g.bleeding as [TimeSpec | null, Rec | undefined];
        const [warfarin, inr] = g.anticoagulation as [boolean, Rec | undefined];
        const repro = g.sex === "female" ? g.womanRepro : g.manRepro;
        const record: Rec = {
          ...(g.id !== undefined ? { id: g.id } : {}),
          screenedAt: s.text,
          demographics,
          stroke: build([
            ["onset", timeText(g.onset, s)],
            ["onsetIsLastKnownWell", g.lkw ?? ABSENT],
            ["anteriorCirculationOcclusion", true],
            ["occlusionImaging", g.imaging],
            ["preStrokeMrs", g.mrs],
            ["aspects", g.aspects],
            ["nihss", g.nihss],
            ["thrombolysis", false],
            ["endovascularTreatment", false],
          ]),
          labs: build([
            ...Object.entries(labs),
            ["platelets", g.extraUln ? { ...g.platelets, uln: 400 } : g.platelets],
            ["aptt", aptt ?? ABSENT],
            ["inr", inr ?? ABSENT],
          ]),
          medications: { lastHeparinDose: heparin === null ? null : timeText(heparin, s), warfarin, immunosuppressants: false },
          allergies: { contrast: g.contrast, studyDrug: false, allergicConstitution: false },
          infections: { hbsag: "negative", severeInfection: false, otherInfectiousDisease: false },
          history: Object.fromEntries(BOOLEAN_FIELDS.filter(([p]) => p.startsWith("history.")).map(([p, good]) => [p.slice(8), good])),
          trials: {
            lastOtherTrialParticipation: g.trialDaysBeforeLimit === null ? null : fmtYMD(addDays(monthsBefore(s.day, 3), -g.trialDaysBeforeLimit)),
          },
          reproductive: build([
            ["pregnant", repro[0] ?? ABSENT],
            ["breastfeeding", repro[1] ?? ABSENT],
            ["childbearingPotential", repro[2] ?? ABSENT],
            ["usesContraception", repro[3] ?? ABSENT],
          ]),
          consent: { canSignInformedConsent: true, ableToComply: true },
          investigator: { deemedUnsuitable: false },
        };
        return { record, screening: s };
      });
  });

// ---------------------------------------------------------------------------------------------
// Hostile values for "any JSON value at any path".

/** JSON values with the awkward ones over-represented. */
export const hostileJsonArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null, true, false, 0, -0, 1, -1, 0.5, 6, 5.999999999999999, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 5e-324,
      "", " ", "null", "true", "6", "NaN", "Infinity", "-0", "1e309",
      "2026-11-24", "2026-11-24T09:00:00+08:00", "2026-11-24T09:00:00", "2026-02-29", "0000-01-01", "9999-12-31T23:59:59.999Z",
      "male", "female", "CTA", "positive", "severe", "indeterminate", "U/L", "mg/dL", "__proto__",
      [], {}, [null], { value: null }, { value: 35 }, { value: 35, unit: "U/L", uln: 0 }, { __proto__: null },
      "\u0000", "\ud800", "\u2028\u2029", "e\u0301", "🧠".repeat(50), "x".repeat(10_000),
    ),
  },
  { weight: 1, arbitrary: fc.double() }, // NaN and ±Infinity included: what a JS caller could pass
);

/** Paths to put a hostile value at: every known path, groups, lab parts, prototypes, and new ones. */
export const hostilePathArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CONTRACT_FIELDS) },
  { weight: 2, arbitrary: fc.constantFrom(...GROUPS) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom("alt", "ast", "creatinine", "bun", "platelets", "aptt", "inr"), fc.constantFrom("value", "unit", "uln", "extra")).map(([l, p]) => `labs.${l}.${p}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("", "__proto__", "constructor", "prototype", "stroke.__proto__", "labs.__proto__.polluted", "labs.alt.__proto__", "constructor.prototype.polluted", "history.toString", "hasOwnProperty") },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("", ...GROUPS.map((g) => `${g}.`)), fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes("."))).map(([a, b]) => a + b) },
);

// ---------------------------------------------------------------------------------------------
// The result schema (§3), checked by hand: returns the problems found (none = valid).

const OUTCOMES = new Set(["pass", "fail", "unknown", "not_applicable"]);
const isString = (v: unknown): v is string => typeof v === "string";
const isProblem = (p: unknown) => p !== null && typeof p === "object" && isString((p as Rec).path) && isString((p as Rec).message) && (p as Rec).message.length > 0;

export function resultProblems(result: unknown): string[] {
  const problems: string[] = [];
  const bad = (what: string) => problems.push(what);
  if (result === null || typeof result !== "object" || Array.isArray(result)) return ["not an object"];
  const r = result as Rec;
  try {
    JSON.stringify(r); // the fields' types are checked below, so this is what a reporter will print
  } catch (err) {
    bad(`not serialisable: ${(err as Error).message}`);
  }
  if ("id" in r && !isString(r.id)) bad("id is not a string");
  if (!Array.isArray(r.warnings) || !r.warnings.every(isProblem)) bad("warnings is not a list of {path, message}");
  if (!r.rules || r.rules.trial !== "NCT07232563" || !isString(r.rules.version) || !/^[0-9a-f]{64}$/.test(r.rules.sha256 ?? "")) bad("rules is not {trial, version, sha256}");
  if (r.verdict === "error") {
    if (!Array.isArray(r.errors) || r.errors.length === 0 || !r.errors.every(isProblem)) bad("errors is not a non-empty list of {path, message}");
    for (const key of ["failed", "unknown", "criteria"]) if (key in r) bad(`an error result has ${key}`);
    return problems;
  }
  if (!["eligible", "ineligible", "incomplete"].includes(r.verdict)) return [...problems, `verdict ${JSON.stringify(r.verdict)}`];
  if ("errors" in r) bad("a screened result has errors");
  if (!isString(r.screenedAt) || Number.isNaN(Date.parse(r.screenedAt)) || new Date(r.screenedAt).toISOString() !== r.screenedAt) bad("screenedAt is not an ISO instant");
  const criteria = r.criteria;
  if (!Array.isArray(criteria) || criteria.length !== CRITERIA_IDS.length) return [...problems, "criteria does not hold all 27"];
  criteria.forEach((c: Rec, i: number) => {
    const id = CRITERIA_IDS[i]!;
    if (c.id !== id) bad(`criteria[${i}] is ${c.id}, expected ${id}`);
    if (c.category !== (id.startsWith("INC") ? "inclusion" : "exclusion")) bad(`${id}: category ${c.category}`);
    if (!isString(c.text) || !c.text) bad(`${id}: no text`);
    if (!OUTCOMES.has(c.outcome)) bad(`${id}: outcome ${c.outcome}`);
    if (!isString(c.reason) || !c.reason) bad(`${id}: no reason`);
    if ("needs" in c && (!Array.isArray(c.needs) || !c.needs.every(isString))) bad(`${id}: needs is not a list of paths`);
  });
  const ids = (outcome: string) => criteria.filter((c: Rec) => c.outcome === outcome).map((c: Rec) => c.id);
  if (JSON.stringify(r.failed) !== JSON.stringify(ids("fail"))) bad("failed does not list the failing criteria in order");
  if (JSON.stringify(r.unknown) !== JSON.stringify(ids("unknown"))) bad("unknown does not list the unknown criteria in order");
  const expected = ids("fail").length ? "ineligible" : ids("unknown").length ? "incomplete" : "eligible";
  if (r.verdict !== expected) bad(`verdict ${r.verdict}, outcomes say ${expected}`);
  return problems;
}
