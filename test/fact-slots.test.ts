/**
 * Facts sit in fixed slots numbered once per rules (src/record/facts.ts, normalise.ts): the layout
 * must cover every declared field and lab path exactly once, in the rules' order, be the same for
 * every record, and a record's slots must hold exactly the facts the record gives.
 */
import { describe, expect, it } from "vitest";
import { factAt } from "../src/record/facts.js";
import { factLayout, normalise } from "../src/record/normalise.js";
import { readerFor } from "../src/screen.js";
import { loadRules } from "../src/index.js";
import { eligibleRecord, withPath, withoutPath } from "./helpers/records.js";

const rules = loadRules();
const read = (record: unknown) => normalise(record, rules, readerFor(rules), { timeZone: "UTC" });

describe("fact slots", () => {
  it("number every declared field, then every lab, once each, in the rules' order", () => {
    const layout = factLayout(rules);
    const expected = [...rules.fields.keys(), ...[...rules.labs.values()].map((lab) => lab.path)];
    expect(layout.paths).toEqual(expected);
    expect(new Set(layout.paths).size).toBe(layout.paths.length);
    expect([...layout.slotOf]).toEqual(expected.map((path, slot) => [path, slot]));
  });

  it("are numbered once per rules: every record shares one layout, and a second rules object gets its own, equal one", () => {
    const a = read(eligibleRecord()).facts;
    const b = read(withoutPath(eligibleRecord(), "stroke.nihss")).facts;
    expect(a.layout).toBe(factLayout(rules));
    expect(b.layout).toBe(a.layout);
    const other = loadRules();
    expect(factLayout(other)).not.toBe(a.layout);
    expect(factLayout(other).paths).toEqual(a.layout.paths);
  });

  it("hold one entry per slot, and a fact exactly at the paths the record gives", () => {
    const { facts } = read(withPath(withoutPath(eligibleRecord(), "stroke.aspects"), "medications.lastHeparinDose", null));
    expect(facts.slots).toHaveLength(facts.layout.paths.length);
    expect(factAt(facts, "stroke.aspects")).toBeUndefined();
    expect(factAt(facts, "medications.lastHeparinDose")).toEqual({ kind: "none" });
    expect(factAt(facts, "stroke.nihss")).toEqual({ kind: "integer", value: 9 });
    expect(factAt(facts, "stroke.thrombolysis")).toEqual({ kind: "boolean", value: false });
    expect(factAt(facts, "labs.alt")).toMatchObject({ kind: "lab", valueText: "35", unit: "U/L", ulnText: "40" });
    // Derived: the age from the birth date, in the age field's own slot.
    expect(factAt(facts, "demographics.age")).toMatchObject({ kind: "integer", value: 58 });
    expect(factAt(facts, "no.such.path")).toBeUndefined();
    // Each slot holds the fact of its own path and no other.
    facts.layout.paths.forEach((path, slot) => expect(factAt(facts, path)).toBe(facts.slots[slot]));
  });

  it("leave a birth date after screening unknown (its slot emptied), with the error", () => {
    const { facts, errors } = read(withPath(eligibleRecord(), "demographics.birthDate", "2027-01-01"));
    expect(errors.map((e) => e.path)).toContain("demographics.birthDate");
    expect(factAt(facts, "demographics.birthDate")).toBeUndefined();
  });

  it("are all empty for a record that is not an object", () => {
    const { facts } = read([1, 2]);
    expect(facts.slots).toHaveLength(facts.layout.paths.length);
    expect(facts.slots.every((f) => f === undefined)).toBe(true);
  });
});
