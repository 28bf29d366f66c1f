#!/usr/bin/env node
// The comparison side of `npm run bench`: json-rules-engine (a devDependency used only here) on
// the same NDJSON records, the 27 criteria as its rules. To keep the comparison honest it is given
// the derived facts precomputed (age, hours since onset and since the last heparin dose, labs as
// multiples of their ULN in a base unit, months since the last trial) and prints failed ids only:
// no reasons, no unknowns, no validation. Reads standard input, writes one line per record.
import { createInterface } from "node:readline";
import jre from "json-rules-engine";

const is = (fact, value) => ({ fact, operator: "equal", value });
const rule = (id, conditions) => ({ name: id, conditions, event: { type: id } });
const inc = (id, c) => rule(id, { not: c }); // an inclusion fails when its condition does not hold
const exc = (id, c) => rule(id, c);
const RULES = [
  inc("INC-01", { all: [{ fact: "age", operator: "greaterThanInclusive", value: 18 }, { fact: "age", operator: "lessThanInclusive", value: 70 }] }),
  inc("INC-02", { all: [is("anterior", true), { fact: "imaging", operator: "in", value: ["CTA", "MRA"] }] }),
  inc("INC-03", { all: [{ fact: "mrs", operator: "lessThanInclusive", value: 1 }] }),
  inc("INC-04", { all: [{ fact: "aspects", operator: "greaterThanInclusive", value: 6 }] }),
  inc("INC-05", { all: [{ fact: "nihss", operator: "greaterThanInclusive", value: 6 }] }),
  inc("INC-06", { all: [{ fact: "onsetHours", operator: "greaterThanInclusive", value: 24 }, { fact: "onsetHours", operator: "lessThanInclusive", value: 336 }] }),
  inc("INC-07", { all: [is("thrombolysis", false), is("evt", false)] }),
  inc("INC-08", { all: ["alt", "ast"].map((f) => ({ fact: `${f}xUln`, operator: "lessThanInclusive", value: 2.5 })).concat(["creatinine", "bun"].map((f) => ({ fact: `${f}xUln`, operator: "lessThanInclusive", value: 1.25 }))) }),
  inc("INC-09", { all: [is("cardiac", false)] }),
  inc("INC-10", { all: [is("canSign", true), is("ableToComply", true)] }),
  exc("EXC-01", { all: [is("contrast", "severe")] }),
  exc("EXC-02", { any: [{ fact: "platelets", operator: "lessThan", value: 100 }, { all: [{ fact: "heparinHours", operator: "lessThanInclusive", value: 48 }, { fact: "aptt", operator: "greaterThanInclusive", value: 35 }] }, { all: [is("warfarin", true), { fact: "inr", operator: "greaterThan", value: 1.7 }] }, is("bleeding", true)] }),
  exc("EXC-03", { any: [is("brainTumor", true), is("epilepsy", true), is("headTrauma", true)] }),
  exc("EXC-04", { all: [is("malignancy", true)] }),
  exc("EXC-05", { any: [is("immunodeficiency", true), is("coagulation", true), is("systemic", true)] }),
  exc("EXC-06", { all: [is("neurodegenerative", true)] }),
  exc("EXC-07", { any: [is("severeInfection", true), is("immunodeficiency", true), is("immunosuppressants", true)] }),
  exc("EXC-08", { any: [is("hbsag", "positive"), is("otherInfection", true)] }),
  exc("EXC-09", { all: [is("studyDrug", true)] }),
  exc("EXC-10", { all: [is("allergic", true)] }),
  exc("EXC-11", { all: [is("nasal", true)] }),
  exc("EXC-12", { all: [is("csf", true)] }),
  exc("EXC-13", { all: [{ fact: "trialMonths", operator: "lessThanInclusive", value: 3 }] }),
  exc("EXC-14", { all: [is("ableToComply", false)] }),
  exc("EXC-15", { all: [is("sex", "female"), { any: [is("pregnant", true), is("breastfeeding", true), { all: [is("childbearing", true), is("contraception", false)] }] }] }),
  exc("EXC-16", { all: [is("mental", true)] }),
  exc("EXC-17", { all: [is("unsuitable", true)] }),
];

const SITE_ULN = { alt: { male: 50, female: 40 }, ast: { male: 40, female: 35 } };
const hours = (from, to) => (Date.parse(to) - Date.parse(from)) / 3_600_000;
const xUln = (lab, fallback) => (lab ? lab.value / (lab.uln ?? fallback ?? 1) : undefined);

/** The derived facts json-rules-engine is handed: the work `screen` does in its engine, done outside it. */
function facts(r) {
  const d = r.demographics ?? {}, s = r.stroke ?? {}, l = r.labs ?? {}, m = r.medications ?? {}, h = r.history ?? {};
  const birth = d.birthDate ? Date.parse(d.birthDate) : undefined;
  const at = r.screenedAt;
  const sex = d.sex ?? "unknown";
  return {
    age: birth !== undefined ? Math.floor((Date.parse(at) - birth) / (365.2425 * 86_400_000)) : d.age ?? -1,
    anterior: s.anteriorCirculationOcclusion ?? null, imaging: s.occlusionImaging ?? null, mrs: s.preStrokeMrs ?? 99, aspects: s.aspects ?? -1, nihss: s.nihss ?? -1,
    onsetHours: s.onset ? hours(s.onset, at) : -1, thrombolysis: s.thrombolysis ?? null, evt: s.endovascularTreatment ?? null,
    altxUln: xUln(l.alt, SITE_ULN.alt[sex]) ?? 99, astxUln: xUln(l.ast, SITE_ULN.ast[sex]) ?? 99, creatininexUln: xUln(l.creatinine, 97) ?? 99, bunxUln: xUln(l.bun, 8) ?? 99,
    cardiac: h.significantCardiacDysfunction ?? null, canSign: r.consent?.canSignInformedConsent ?? null, ableToComply: r.consent?.ableToComply ?? null,
    contrast: r.allergies?.contrast ?? null, platelets: l.platelets?.value ?? 999, heparinHours: m.lastHeparinDose ? hours(m.lastHeparinDose, at) : 1e9, aptt: l.aptt?.value ?? 0,
    warfarin: m.warfarin ?? null, inr: l.inr?.value ?? 0, bleeding: h.otherBleedingTendency ?? null, brainTumor: h.brainTumor ?? null, epilepsy: h.epilepsy ?? null,
    headTrauma: h.severeHeadTrauma ?? null, malignancy: h.otherMalignancy ?? null, immunodeficiency: h.immunodeficiency ?? null, coagulation: h.coagulationDisorder ?? null,
    systemic: h.otherSeriousSystemicDisease ?? null, neurodegenerative: h.neurodegenerativeDiseaseLimitingFollowUp ?? null, severeInfection: r.infections?.severeInfection ?? null,
    immunosuppressants: m.immunosuppressants ?? null, hbsag: r.infections?.hbsag ?? null, otherInfection: r.infections?.otherInfectiousDisease ?? null,
    studyDrug: r.allergies?.studyDrug ?? null, allergic: r.allergies?.allergicConstitution ?? null, nasal: h.nasalAbnormality ?? null, csf: h.csfRhinorrhea ?? null,
    trialMonths: r.trials?.lastOtherTrialParticipation ? hours(r.trials.lastOtherTrialParticipation, at) / (24 * 30.44) : 1e9,
    sex, pregnant: r.reproductive?.pregnant ?? null, breastfeeding: r.reproductive?.breastfeeding ?? null, childbearing: r.reproductive?.childbearingPotential ?? null,
    contraception: r.reproductive?.usesContraception ?? null, mental: h.uncontrolledMentalIllness ?? null, unsuitable: r.investigator?.deemedUnsuitable ?? null,
  };
}

const engine = new jre.Engine(RULES, { allowUndefinedFacts: true });
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
let line = 0;
for await (const text of rl) {
  line++;
  if (!text.trim()) continue;
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    process.stdout.write(`${JSON.stringify({ line, verdict: "error" })}\n`);
    continue;
  }
  const { events } = await engine.run(facts(record ?? {}));
  process.stdout.write(`${JSON.stringify({ id: record?.id, line, failed: events.map((e) => e.type) })}\n`);
}
