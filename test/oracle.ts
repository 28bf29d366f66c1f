/**
 * An independent, deliberately simple oracle for the screener, written from the public contract
 * (../shared/patient-format.md §1–§3) and nothing else. It shares no code with src/: no imports at
 * all, its own calendar arithmetic (days from the civil calendar, no `Date`), its own exact
 * decimals (BigInt fractions) and plain if/else for every criterion.
 *
 *   oracle(record, screenedAt?) → { verdict, failed, unknown, outcomes } | "error"
 *
 * `screenedAt` is the screening moment used when the record has none (the contract's `--as-of`).
 * Timestamps written without a UTC offset are read as UTC (offset +00:00): compare it with the
 * engine run with `timeZone: "UTC"`.
 *
 * Where the contract leaves a detail open, the oracle's reading is marked "READING:" below; each
 * is listed under "Contract ambiguities" in docs/reliability.md.
 */

export type OracleOutcome = "pass" | "fail" | "unknown" | "not_applicable";
export type OracleVerdict = "eligible" | "ineligible" | "incomplete";

export interface OracleScreened {
  verdict: OracleVerdict;
  failed: string[];
  unknown: string[];
  outcomes: Record<string, OracleOutcome>;
}

export type OracleResult = OracleScreened | "error";

/** The 27 criterion IDs in protocol order (§2). */
export const CRITERIA_IDS = [
  "INC-01", "INC-02", "INC-03", "INC-04", "INC-05", "INC-06", "INC-07", "INC-08", "INC-09", "INC-10",
  "EXC-01", "EXC-02", "EXC-03", "EXC-04", "EXC-05", "EXC-06", "EXC-07", "EXC-08", "EXC-09", "EXC-10",
  "EXC-11", "EXC-12", "EXC-13", "EXC-14", "EXC-15", "EXC-16", "EXC-17",
] as const;

// ---------------------------------------------------------------------------------------------
// Kleene logic: true, false, or null for unknown.

type K = boolean | null;

function and(...parts: K[]): K {
  if (parts.includes(false)) return false;
  if (parts.includes(null)) return null;
  return true;
}

function or(...parts: K[]): K {
  if (parts.includes(true)) return true;
  if (parts.includes(null)) return null;
  return false;
}

function not(a: K): K {
  return a === null ? null : !a;
}

// ---------------------------------------------------------------------------------------------
// Exact fractions. JSON numbers are taken "as written", i.e. as the shortest decimal that reads
// back as the same double (what String(x) prints).

interface Q {
  n: bigint;
  d: bigint; // > 0
}

function q(n: bigint, d: bigint): Q {
  return { n, d };
}

function decimal(x: number): Q {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new Error(`oracle: cannot read ${x}`); // only called on finite numbers ≥ 0
  const digits = (m[1] ?? "") + (m[2] ?? "");
  const exponent = Number(m[3] ?? "0") - (m[2] ?? "").length;
  return exponent >= 0 ? q(BigInt(digits) * 10n ** BigInt(exponent), 1n) : q(BigInt(digits), 10n ** BigInt(-exponent));
}

function times(a: Q, b: Q): Q {
  return q(a.n * b.n, a.d * b.d);
}

function lessOrEqual(a: Q, b: Q): boolean {
  return a.n * b.d <= b.n * a.d;
}

function less(a: Q, b: Q): boolean {
  return a.n * b.d < b.n * a.d;
}

const TWO_AND_A_HALF = q(25n, 10n);
const ONE_AND_A_QUARTER = q(125n, 100n);
const CREATININE_MGDL_TO_UMOL = q(884n, 10n); // 1 mg/dL = 88.4 umol/L
const BUN_MGDL_TO_UREA_MMOL = q(10n, 28n); // 1 mmol/L urea = 2.8 mg/dL BUN

// ---------------------------------------------------------------------------------------------
// Calendar: proleptic Gregorian, no Date object.

interface Day {
  y: number;
  m: number;
  d: number;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthLength(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  if (m === 4 || m === 6 || m === 9 || m === 11) return 30;
  return 31;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function dayNumber(day: Day): number {
  const y = day.m <= 2 ? day.y - 1 : day.y;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (day.m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day.d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function compareDays(a: Day, b: Day): number {
  return a.y !== b.y ? a.y - b.y : a.m !== b.m ? a.m - b.m : a.d - b.d;
}

function parseDay(text: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (day.m < 1 || day.m > 12 || day.d < 1 || day.d > monthLength(day.y, day.m)) return null;
  return day;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY_MS = 24 * HOUR;

interface Moment {
  ms: number; // epoch milliseconds
  offsetMin: number; // the offset it was written in
  localDay: Day; // its calendar date in that offset (= the date as written)
}

/**
 * READING: "ISO 8601 timestamp" = extended format YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional
 * Z or ±HH:MM offset (hours 00–23, minutes 00–59, seconds 00–59, no leap second, no 24:00), and
 * an offset of at most 18 hours.
 */
function parseMoment(text: string): Moment | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return null;
  const day = parseDay(`${m[1]}-${m[2]}-${m[3]}`);
  if (!day) return null;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? "0");
  const millis = Number((m[7] ?? "").padEnd(3, "0"));
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (om > 59) return null;
    offsetMin = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
    if (Math.abs(offsetMin) > 18 * 60) return null;
  }
  const local = dayNumber(day) * DAY_MS + hour * HOUR + minute * MINUTE + second * 1000 + millis;
  return { ms: local - offsetMin * MINUTE, offsetMin, localDay: day };
}

/** A time span [from, to] (ms, inclusive): one instant, or a whole day given as a date alone. */
interface Span {
  from: number;
  to: number;
}

// ---------------------------------------------------------------------------------------------
// Reading the record. Any type or range error aborts with "error".

class Invalid extends Error {}

function invalid(why: string): never {
  throw new Invalid(why);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

const GROUPS = ["demographics", "stroke", "labs", "medications", "allergies", "infections", "history", "trials", "reproductive", "consent", "investigator"];

export function oracle(record: unknown, screenedAt?: string): OracleResult {
  try {
    return screenWithOracle(record, screenedAt);
  } catch (err) {
    if (err instanceof Invalid) return "error";
    throw err;
  }
}

/** Like oracle(), but says why a record is invalid (for test messages). */
export function oracleWhy(record: unknown, screenedAt?: string): string {
  try {
    screenWithOracle(record, screenedAt);
    return "valid";
  } catch (err) {
    if (err instanceof Invalid) return err.message;
    throw err;
  }
}

function screenWithOracle(record: unknown, fallbackScreenedAt?: string): OracleScreened {
  if (!isPlainObject(record)) invalid("not an object");
  const groups: Record<string, Record<string, unknown>> = {};
  for (const name of GROUPS) {
    const g = own(record, name);
    if (g === undefined) groups[name] = {};
    else if (isPlainObject(g)) groups[name] = g;
    else invalid(`${name} is not an object`);
  }
  const field = (path: string): unknown => {
    const [group, key] = path.split(".") as [string, string];
    return own(groups[group]!, key);
  };

  const bool = (path: string): K => {
    const v = field(path);
    if (v === undefined) return null;
    if (typeof v === "boolean") return v;
    return invalid(`${path} is not a boolean`);
  };
  const oneOf = (path: string, values: string[]): string | undefined => {
    const v = field(path);
    if (v === undefined) return undefined;
    if (typeof v === "string" && values.includes(v)) return v;
    return invalid(`${path} is not one of ${values.join(", ")}`);
  };
  const integer = (path: string, min: number, max: number): number | undefined => {
    const v = field(path);
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    return invalid(`${path} is not an integer ${min}–${max}`);
  };

  // --- id
  const id = own(record, "id");
  if (id !== undefined && typeof id !== "string") invalid("id is not a string");

  // --- screening moment: the record's own, else the fallback (--as-of)
  const ownScreenedAt = own(record, "screenedAt");
  let screening: Moment;
  if (ownScreenedAt !== undefined) {
    const parsed = typeof ownScreenedAt === "string" ? parseMoment(ownScreenedAt) : null;
    if (!parsed) invalid("screenedAt is not a timestamp with a time of day");
    screening = parsed;
  } else if (fallbackScreenedAt !== undefined) {
    const parsed = parseMoment(fallbackScreenedAt);
    if (!parsed) throw new Error(`oracle: bad fallback screenedAt ${fallbackScreenedAt}`);
    screening = parsed;
  } else {
    invalid("no screenedAt and no fallback");
  }
  const S = screening.ms;
  const screeningDay = screening.localDay; // the calendar date of screenedAt in its own offset

  // --- a timestamp-or-date field (stroke.onset, medications.lastHeparinDose)
  const timeOrDate = (path: string, nullable: boolean): Span | "none" | undefined => {
    const v = field(path);
    if (v === undefined) return undefined;
    if (v === null) {
      if (nullable) return "none";
      invalid(`${path} is null`);
    }
    if (typeof v !== "string") invalid(`${path} is not a string`);
    const day = parseDay(v);
    if (day) {
      // A date alone: the whole day in screenedAt's offset; on the screening date it ends at screenedAt.
      const order = compareDays(day, screeningDay);
      if (order > 0) invalid(`${path} date is after the screening date`);
      const from = dayNumber(day) * DAY_MS - screening.offsetMin * MINUTE;
      const to = order === 0 ? S : from + DAY_MS - 1;
      return { from, to };
    }
    const moment = parseMoment(v);
    if (!moment) invalid(`${path} is not a timestamp or a date`);
    if (moment.ms > S) invalid(`${path} is after screenedAt`);
    return { from: moment.ms, to: moment.ms };
  };

  // --- demographics
  const birthRaw = field("demographics.birthDate");
  let birth: Day | undefined;
  if (birthRaw !== undefined) {
    const day = typeof birthRaw === "string" ? parseDay(birthRaw) : null;
    if (!day) invalid("demographics.birthDate is not a date");
    if (compareDays(day, screeningDay) > 0) invalid("birth after the screening date");
    birth = day;
  }
  const givenAge = integer("demographics.age", 0, 130);
  let age: number | undefined = givenAge;
  if (birth) {
    const beforeBirthday = screeningDay.m < birth.m || (screeningDay.m === birth.m && screeningDay.d < birth.d);
    const completed = screeningDay.y - birth.y - (beforeBirthday ? 1 : 0);
    // READING: an age derived from birthDate must itself fit the age field's range 0–130.
    if (completed > 130) invalid("birthDate gives an age above 130");
    if (givenAge !== undefined && givenAge !== completed) invalid("age disagrees with birthDate");
    age = completed;
  }
  const sex = oneOf("demographics.sex", ["female", "male"]);

  // --- stroke
  const onset = timeOrDate("stroke.onset", false);
  bool("stroke.onsetIsLastKnownWell"); // type-checked; changes only the wording of a reason
  const occlusion = bool("stroke.anteriorCirculationOcclusion");
  const imaging = oneOf("stroke.occlusionImaging", ["CTA", "MRA", "DSA", "CT", "MRI", "none"]);
  const mrs = integer("stroke.preStrokeMrs", 0, 5);
  const aspects = integer("stroke.aspects", 0, 10);
  const nihss = integer("stroke.nihss", 0, 42);
  const thrombolysis = bool("stroke.thrombolysis");
  const endovascular = bool("stroke.endovascularTreatment");

  // READING: "onset before birth" compares the onset instant with the start of the birth date,
  // that date being read (like every date alone) in screenedAt's offset.
  if (onset !== undefined && onset !== "none" && birth && onset.to < dayNumber(birth) * DAY_MS - screening.offsetMin * MINUTE) {
    invalid("onset before birth");
  }

  // --- labs
  interface Lab {
    value: Q;
    unit: string | undefined;
    uln: Q | undefined;
  }
  const lab = (name: string, units: Record<string, [number, number]> | null, readsUln: boolean): Lab | undefined => {
    const v = field(`labs.${name}`);
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) invalid(`labs.${name} is not an object`);
    const value = own(v, "value");
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) invalid(`labs.${name}.value is not a number ≥ 0`);
    let unit: string | undefined;
    let plausible: [number, number];
    if (units === null) {
      // INR: no unit, and a unit there is invalid.
      if (own(v, "unit") !== undefined) invalid("labs.inr has a unit");
      plausible = [0.5, 20];
    } else {
      const u = own(v, "unit");
      if (typeof u !== "string" || !Object.prototype.hasOwnProperty.call(units, u)) invalid(`labs.${name}.unit is not one of ${Object.keys(units).join(", ")}`);
      unit = u;
      plausible = units[u]!;
    }
    if (value < plausible[0] || value > plausible[1]) invalid(`labs.${name}.value is not plausible`);
    const ulnRaw = own(v, "uln");
    let uln: Q | undefined;
    if (ulnRaw !== undefined && readsUln) {
      // READING: a uln is read (and must be a number > 0, plausible in the value's unit) only for
      // alt, ast, creatinine and bun; elsewhere it is ignored, whatever it holds (the contract asks
      // for a warning, not a type check, unlike a man's reproductive fields).
      if (typeof ulnRaw !== "number" || !Number.isFinite(ulnRaw) || ulnRaw <= 0) invalid(`labs.${name}.uln is not a number > 0`);
      if (ulnRaw < plausible[0] || ulnRaw > plausible[1]) invalid(`labs.${name}.uln is not plausible`);
      uln = decimal(ulnRaw);
    }
    return { value: decimal(value), unit, uln };
  };
  const alt = lab("alt", { "U/L": [0, 20000] }, true);
  const ast = lab("ast", { "U/L": [0, 20000] }, true);
  const creatinine = lab("creatinine", { "umol/L": [10, 3000], "mg/dL": [0.1, 35] }, true);
  const bun = lab("bun", { "mmol/L": [0.5, 100], "mg/dL": [1, 280] }, true);
  const platelets = lab("platelets", { "10^9/L": [0, 3000], "10^3/uL": [0, 3000] }, false);
  const aptt = lab("aptt", { s: [10, 250] }, false);
  const inr = lab("inr", null, false);

  // --- medications, allergies, infections, history, trials, reproductive, consent, investigator
  const heparin = timeOrDate("medications.lastHeparinDose", true);
  const warfarin = bool("medications.warfarin");
  const immunosuppressants = bool("medications.immunosuppressants");
  const contrast = oneOf("allergies.contrast", ["none", "mild-rash", "severe"]);
  const studyDrug = bool("allergies.studyDrug");
  const allergicConstitution = bool("allergies.allergicConstitution");
  const hbsag = oneOf("infections.hbsag", ["positive", "negative", "indeterminate"]);
  const severeInfection = bool("infections.severeInfection");
  const otherInfectiousDisease = bool("infections.otherInfectiousDisease");
  const h = (key: string) => bool(`history.${key}`);
  const cardiac = h("significantCardiacDysfunction");
  const otherBleeding = h("otherBleedingTendency");
  const coagulation = h("coagulationDisorder");
  const brainTumor = h("brainTumor");
  const epilepsy = h("epilepsy");
  const headTrauma = h("severeHeadTrauma");
  const malignancy = h("otherMalignancy");
  const immunodeficiency = h("immunodeficiency");
  const otherSystemic = h("otherSeriousSystemicDisease");
  const neurodegenerative = h("neurodegenerativeDiseaseLimitingFollowUp");
  const nasal = h("nasalAbnormality");
  const csf = h("csfRhinorrhea");
  const mental = h("uncontrolledMentalIllness");

  const trialRaw = field("trials.lastOtherTrialParticipation");
  let lastTrial: Day | "never" | undefined;
  if (trialRaw === null) lastTrial = "never";
  else if (trialRaw !== undefined) {
    const day = typeof trialRaw === "string" ? parseDay(trialRaw) : null;
    if (!day) invalid("trials.lastOtherTrialParticipation is not a date");
    lastTrial = day;
  }

  const pregnant = bool("reproductive.pregnant");
  const breastfeeding = bool("reproductive.breastfeeding");
  const childbearing = bool("reproductive.childbearingPotential");
  const contraception = bool("reproductive.usesContraception");
  if (sex === "male" && (pregnant === true || breastfeeding === true)) invalid("a man pregnant or breastfeeding");

  const canSign = bool("consent.canSignInformedConsent");
  const ableToComply = bool("consent.ableToComply");
  const unsuitable = bool("investigator.deemedUnsuitable");

  // ---------------------------------------------------------------------------------------------
  // The criteria. Inclusion: pass when the condition holds. Exclusion: fail when it holds.

  const inclusion = (holds: K): OracleOutcome => (holds === null ? "unknown" : holds ? "pass" : "fail");
  const exclusion = (holds: K): OracleOutcome => (holds === null ? "unknown" : holds ? "fail" : "pass");
  const known = <T>(v: T | undefined, test: (v: T) => boolean): K => (v === undefined ? null : test(v));
  const is = (v: K, want: boolean): K => (v === null ? null : v === want);

  const out: Record<string, OracleOutcome> = {};

  // INC-01 Age 18–70
  out["INC-01"] = inclusion(known(age, (a) => a >= 18 && a <= 70));

  // INC-02 occlusion confirmed by CTA or MRA
  if (occlusion === false) out["INC-02"] = "fail";
  else if (occlusion === true && (imaging === "CTA" || imaging === "MRA")) out["INC-02"] = "pass";
  else out["INC-02"] = "unknown";

  // INC-03..05
  out["INC-03"] = inclusion(known(mrs, (v) => v <= 1));
  out["INC-04"] = inclusion(known(aspects, (v) => v >= 6));
  out["INC-05"] = inclusion(known(nihss, (v) => v >= 6));

  // INC-06: 24 h ≤ screenedAt − onset ≤ 14 days, for every instant the onset may stand for
  if (onset === undefined || onset === "none") out["INC-06"] = "unknown";
  else {
    const shortest = S - onset.to;
    const longest = S - onset.from;
    if (shortest >= 24 * HOUR && longest <= 14 * DAY_MS) out["INC-06"] = "pass";
    else if (longest < 24 * HOUR || shortest > 14 * DAY_MS) out["INC-06"] = "fail";
    else out["INC-06"] = "unknown";
  }

  // INC-07 neither thrombolysis nor endovascular treatment
  out["INC-07"] = inclusion(and(is(thrombolysis, false), is(endovascular, false)));

  // INC-08 ALT, AST ≤ 2.5 × ULN; creatinine, BUN ≤ 1.25 × ULN
  const bandOf = (a: number): "young" | "old" => (a < 60 ? "young" : "old");
  const sexes: ("male" | "female")[] = sex === undefined ? ["male", "female"] : [sex as "male" | "female"];
  const bands: ("young" | "old")[] = age === undefined ? ["young", "old"] : [bandOf(age)];
  const withinUln = (l: Lab | undefined, factor: Q, site: Q[], toSiteUnit: Q): K => {
    if (l === undefined) return null;
    if (l.uln !== undefined) return lessOrEqual(l.value, times(factor, l.uln)); // same unit, as written
    const value = times(l.value, toSiteUnit);
    const passesAll = site.every((uln) => lessOrEqual(value, times(factor, uln)));
    const failsAll = site.every((uln) => !lessOrEqual(value, times(factor, uln)));
    return passesAll ? true : failsAll ? false : null;
  };
  const ONE = q(1n, 1n);
  const altSite = sexes.map((s) => (s === "male" ? q(50n, 1n) : q(40n, 1n)));
  const astSite = sexes.map((s) => (s === "male" ? q(40n, 1n) : q(35n, 1n)));
  const creatinineSite: Q[] = [];
  const ureaSite: Q[] = [];
  for (const s of sexes) {
    for (const b of bands) {
      if (s === "male" && b === "young") {
        creatinineSite.push(q(97n, 1n));
        ureaSite.push(q(80n, 10n));
      }
      if (s === "female" && b === "young") {
        creatinineSite.push(q(73n, 1n));
        ureaSite.push(q(75n, 10n));
      }
      if (s === "male" && b === "old") {
        creatinineSite.push(q(111n, 1n));
        ureaSite.push(q(95n, 10n));
      }
      if (s === "female" && b === "old") {
        creatinineSite.push(q(81n, 1n));
        ureaSite.push(q(88n, 10n));
      }
    }
  }
  out["INC-08"] = inclusion(
    and(
      withinUln(alt, TWO_AND_A_HALF, altSite, ONE),
      withinUln(ast, TWO_AND_A_HALF, astSite, ONE),
      withinUln(creatinine, ONE_AND_A_QUARTER, creatinineSite, creatinine?.unit === "mg/dL" ? CREATININE_MGDL_TO_UMOL : ONE),
      withinUln(bun, ONE_AND_A_QUARTER, ureaSite, bun?.unit === "mg/dL" ? BUN_MGDL_TO_UREA_MMOL : ONE),
    ),
  );

  // INC-09, INC-10
  out["INC-09"] = inclusion(is(cardiac, false));
  out["INC-10"] = inclusion(and(is(canSign, true), is(ableToComply, true)));

  // EXC-01 severe contrast allergy
  out["EXC-01"] = exclusion(contrast === undefined ? null : contrast === "severe");

  // EXC-02 bleeding tendency
  const lowPlatelets: K = platelets === undefined ? null : less(platelets.value, q(100n, 1n));
  let heparinWithin48h: K;
  if (heparin === undefined) heparinWithin48h = null;
  else if (heparin === "none") heparinWithin48h = false;
  else if (S - heparin.from <= 48 * HOUR) heparinWithin48h = true; // every instant of it is within 48 h
  else if (S - heparin.to > 48 * HOUR) heparinWithin48h = false; // none is
  else heparinWithin48h = null;
  const highAptt: K = aptt === undefined ? null : !less(aptt.value, q(35n, 1n));
  const highInr: K = inr === undefined ? null : !lessOrEqual(inr.value, q(17n, 10n));
  out["EXC-02"] = exclusion(or(lowPlatelets, and(heparinWithin48h, highAptt), and(warfarin, highInr), otherBleeding));

  // EXC-03..12
  out["EXC-03"] = exclusion(or(brainTumor, epilepsy, headTrauma));
  out["EXC-04"] = exclusion(malignancy);
  out["EXC-05"] = exclusion(or(immunodeficiency, coagulation, otherSystemic));
  out["EXC-06"] = exclusion(neurodegenerative);
  out["EXC-07"] = exclusion(or(severeInfection, immunodeficiency, immunosuppressants));
  out["EXC-08"] = exclusion(or(hbsag === undefined || hbsag === "indeterminate" ? null : hbsag === "positive", otherInfectiousDisease));
  out["EXC-09"] = exclusion(studyDrug);
  out["EXC-10"] = exclusion(allergicConstitution);
  out["EXC-11"] = exclusion(nasal);
  out["EXC-12"] = exclusion(csf);

  // EXC-13 another trial on or after the date 3 calendar months before the screening date
  if (lastTrial === undefined) out["EXC-13"] = "unknown";
  else if (lastTrial === "never") out["EXC-13"] = "pass";
  else {
    let y = screeningDay.y;
    let m = screeningDay.m - 3;
    if (m < 1) {
      m += 12;
      y -= 1;
    }
    const limit = { y, m, d: Math.min(screeningDay.d, monthLength(y, m)) };
    out["EXC-13"] = compareDays(lastTrial, limit) >= 0 ? "fail" : "pass";
  }

  // EXC-14, EXC-16, EXC-17
  out["EXC-14"] = exclusion(is(ableToComply, false));

  // EXC-15 female and (pregnant or breastfeeding or (childbearing potential and no contraception))
  if (sex === "male") out["EXC-15"] = "not_applicable";
  else {
    const female: K = sex === undefined ? null : true;
    out["EXC-15"] = exclusion(and(female, or(pregnant, breastfeeding, and(childbearing, not(contraception)))));
  }

  out["EXC-16"] = exclusion(mental);
  out["EXC-17"] = exclusion(unsuitable);

  const failed = CRITERIA_IDS.filter((c) => out[c] === "fail");
  const unknown = CRITERIA_IDS.filter((c) => out[c] === "unknown");
  const verdict: OracleVerdict = failed.length ? "ineligible" : unknown.length ? "incomplete" : "eligible";
  return { verdict, failed, unknown, outcomes: out };
}
