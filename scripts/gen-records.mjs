#!/usr/bin/env node
// Deterministic synthetic patient records for NCT07232563, as NDJSON (one record a line).
//
//   node scripts/gen-records.mjs [N] [--seed S] [--out FILE]
//
// N defaults to 1000, the seed to 1; without --out the records go to standard output. The same
// N and seed always give the same bytes. The mix, roughly: 55 % eligible, 25 % ineligible (one to
// three failed criteria), 19 % incomplete (one to three fields missing), 1 % invalid (a type or
// range error, a contradiction, or a line that is not JSON). Records vary in sex, age, onset
// offset, UTC offset, lab units and whether `uln` is given. Every record has a screenedAt, so the
// results do not depend on the day the generator or the screener runs.
import { createWriteStream } from "node:fs";

function usage(message) {
  if (message) process.stderr.write(`gen-records: ${message}\n`);
  process.stderr.write("usage: node scripts/gen-records.mjs [N] [--seed S] [--out FILE]\n");
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { n: 1000, seed: 1, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--seed") opts.seed = Number(argv[++i]);
    else if (a === "--out" || a === "-o") opts.out = argv[++i];
    else if (a === "--help" || a === "-h") usage();
    else if (/^\d+$/.test(a)) opts.n = Number(a);
    else usage(`unexpected argument ${a}`);
  }
  if (!Number.isSafeInteger(opts.n) || opts.n < 0) usage("N must be a non-negative integer");
  if (!Number.isFinite(opts.seed)) usage("--seed must be a number");
  if (opts.out === undefined && argv.includes("--out")) usage("--out needs a file");
  return opts;
}

/** mulberry32: a small, fast, seedable PRNG (same sequence on every platform). */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    round: (x, digits) => Number(x.toFixed(digits)),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSETS = ["+08:00", "+08:00", "+08:00", "Z", "+05:30", "-05:00", "+01:00"];
const pad = (n, w = 2) => String(n).padStart(w, "0");

/** An instant written in a given UTC offset, e.g. 2026-11-24T09:00:00+08:00. */
function stamp(ms, offset) {
  const minutes = offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const d = new Date(ms + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00${offset}`;
}

function dateOf(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** An eligible record: the starting point every other kind is derived from. */
function eligible(r, n) {
  const offset = r.pick(OFFSETS);
  // screening moments spread over 2026, at whole minutes
  const screenedMs = Date.UTC(2026, 0, 1) + r.int(0, 360) * DAY + r.int(0, 23 * 60) * 60_000;
  const age = r.int(19, 69);
  const birthMs = screenedMs - age * 365.25 * DAY - r.int(30, 330) * DAY;
  const sex = r.chance(0.45) ? "female" : "male";
  const onsetMs = screenedMs - r.int(25 * 60, 13 * 24 * 60) * 60_000; // 25 h .. 13 d before
  const withUln = r.chance(0.6);
  const lab = (value, unit, uln) => (withUln && uln !== undefined ? { value, unit, uln } : { value, unit });
  const creatMgdl = r.chance(0.2);
  const ureaMgdl = r.chance(0.2);
  const rec = {
    id: `GEN-${pad(n, 7)}`,
    screenedAt: stamp(screenedMs, offset),
    demographics: r.chance(0.15) ? { age, sex } : { birthDate: dateOf(birthMs), sex },
    stroke: {
      onset: stamp(onsetMs, offset),
      onsetIsLastKnownWell: r.chance(0.3),
      anteriorCirculationOcclusion: true,
      occlusionImaging: r.pick(["CTA", "CTA", "MRA"]),
      preStrokeMrs: r.int(0, 1),
      aspects: r.int(6, 10),
      nihss: r.int(6, 25),
      thrombolysis: false,
      endovascularTreatment: false,
    },
    labs: {
      alt: lab(r.int(8, 38), "U/L", 40),
      ast: lab(r.int(8, 33), "U/L", 40),
      creatinine: creatMgdl ? lab(r.round(0.5 + r.next() * 0.3, 2), "mg/dL", 1.2) : lab(r.int(45, 70), "umol/L", 104),
      bun: ureaMgdl ? lab(r.int(8, 18), "mg/dL", 20) : lab(r.round(2.5 + r.next() * 4.5, 1), "mmol/L", 7.1),
      platelets: { value: r.int(120, 400), unit: r.pick(["10^9/L", "10^3/uL"]) },
      aptt: { value: r.round(24 + r.next() * 10, 1), unit: "s" },
      inr: { value: r.round(0.9 + r.next() * 0.3, 2) },
    },
    medications: { lastHeparinDose: null, warfarin: false, immunosuppressants: false },
    allergies: { contrast: r.pick(["none", "none", "mild-rash"]), studyDrug: false, allergicConstitution: false },
    infections: { hbsag: "negative", severeInfection: false, otherInfectiousDisease: false },
    history: {
      significantCardiacDysfunction: false,
      otherBleedingTendency: false,
      coagulationDisorder: false,
      brainTumor: false,
      epilepsy: false,
      severeHeadTrauma: false,
      otherMalignancy: false,
      immunodeficiency: false,
      otherSeriousSystemicDisease: false,
      neurodegenerativeDiseaseLimitingFollowUp: false,
      nasalAbnormality: false,
      csfRhinorrhea: false,
      uncontrolledMentalIllness: false,
    },
    trials: { lastOtherTrialParticipation: r.chance(0.9) ? null : dateOf(screenedMs - r.int(120, 900) * DAY) },
    reproductive:
      sex === "female"
        ? { pregnant: false, breastfeeding: false, childbearingPotential: age < 50 && r.chance(0.6), usesContraception: true }
        : { pregnant: false, breastfeeding: false, childbearingPotential: false, usesContraception: r.chance(0.8) },
    consent: { canSignInformedConsent: true, ableToComply: true },
    investigator: { deemedUnsuitable: false },
  };
  if (r.chance(0.1)) {
    // heparin given, long enough ago not to matter
    rec.medications.lastHeparinDose = stamp(screenedMs - r.int(3, 10) * DAY, offset);
  }
  return { rec, screenedMs, offset };
}

/** Ways to fail a criterion; each edits an eligible record in place. */
const FAILURES = [
  (x, r) => (x.rec.stroke.nihss = r.int(0, 5)), // INC-05
  (x) => (x.rec.stroke.thrombolysis = true), // INC-07
  (x) => (x.rec.stroke.endovascularTreatment = true), // INC-07
  (x, r) => (x.rec.stroke.aspects = r.int(0, 5)), // INC-04
  (x, r) => (x.rec.stroke.preStrokeMrs = r.int(2, 5)), // INC-03
  (x) => (x.rec.stroke.anteriorCirculationOcclusion = false), // INC-02
  (x, r) => (x.rec.stroke.onset = stamp(x.screenedMs - r.int(15, 60) * DAY, x.offset)), // INC-06: too late
  (x, r) => (x.rec.stroke.onset = stamp(x.screenedMs - r.int(1, 23 * 60) * 60_000, x.offset)), // INC-06: too early
  (x, r) => (x.rec.labs.alt = { value: r.int(101, 400), unit: "U/L", uln: 40 }), // INC-08
  (x, r) => (x.rec.labs.platelets = { value: r.int(20, 99), unit: "10^9/L" }), // EXC-02
  (x) => (x.rec.history.significantCardiacDysfunction = true), // INC-09
  (x) => (x.rec.allergies.contrast = "severe"), // EXC-01
  (x) => (x.rec.history.epilepsy = true), // EXC-03
  (x) => (x.rec.history.otherMalignancy = true), // EXC-04
  (x) => (x.rec.infections.hbsag = "positive"), // EXC-08
  (x) => (x.rec.consent.ableToComply = false), // INC-10, EXC-14
  (x) => (x.rec.investigator.deemedUnsuitable = true), // EXC-17
  (x, r) => (x.rec.demographics = { age: r.int(71, 90), sex: x.rec.demographics.sex }), // INC-01
];

/** Fields whose absence leaves a criterion unknown (and fails none). */
const MISSING = [
  (x) => delete x.rec.stroke.aspects,
  (x) => delete x.rec.labs.bun,
  (x) => delete x.rec.stroke.nihss,
  (x) => delete x.rec.stroke.occlusionImaging,
  (x) => delete x.rec.consent.ableToComply,
  (x) => delete x.rec.infections.hbsag,
  (x) => {
    delete x.rec.medications.lastHeparinDose;
    delete x.rec.labs.aptt;
  },
  (x) => (x.rec.stroke.onset = x.rec.stroke.onset.slice(0, 10)), // date only: often undecidable
  (x) => delete x.rec.trials.lastOtherTrialParticipation,
];

/** Invalid records: a record with a type/range error or contradiction, or a line that is not JSON. */
const INVALID = [
  (x) => (x.rec.stroke.nihss = 50),
  (x) => (x.rec.labs.creatinine = { value: 1.1, unit: "umol/L" }),
  (x) => (x.rec.stroke.onset = stamp(x.screenedMs + 6 * HOUR, x.offset)),
  (x) => (x.rec.labs.inr = { value: 1.0, unit: "ratio" }),
  (x) => (x.rec.demographics.sex = "unknown"),
  (x) => (x.rec.stroke.thrombolysis = "no"),
];

function* records(n, seed) {
  const r = rng(seed);
  for (let i = 1; i <= n; i++) {
    const x = eligible(r, i);
    const roll = r.next();
    if (roll < 0.01) {
      if (r.chance(0.2)) {
        yield JSON.stringify(x.rec).slice(0, r.int(10, 200)); // truncated: not JSON
        continue;
      }
      r.pick(INVALID)(x, r);
    } else if (roll < 0.26) {
      for (let k = r.int(1, 3); k > 0; k--) r.pick(FAILURES)(x, r);
    } else if (roll < 0.45) {
      for (let k = r.int(1, 3); k > 0; k--) r.pick(MISSING)(x, r);
    }
    yield JSON.stringify(x.rec);
  }
}

async function main() {
  const { n, seed, out } = parseArgs(process.argv.slice(2));
  const stream = out ? createWriteStream(out) : process.stdout;
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(0);
    process.stderr.write(`gen-records: ${err.message}\n`);
    process.exit(1);
  });
  let chunk = "";
  for (const line of records(n, seed)) {
    chunk += line + "\n";
    if (chunk.length >= 1 << 16) {
      if (!stream.write(chunk)) await new Promise((res) => stream.once("drain", res));
      chunk = "";
    }
  }
  if (chunk) stream.write(chunk);
  if (out) await new Promise((res, rej) => stream.end((err) => (err ? rej(err) : res())));
}

await main();
