/** The text report leads with what matters, says what to collect once, and wraps like a terminal. */
import { describe, expect, it } from "vitest";
import { loadRules, screen as screenRecord } from "../src/index.js";
import type { ScreenedResult } from "../src/result.js";
import { Chalk } from "chalk";
import { paletteFor, PLAIN, renderResult } from "../src/report/text.js";
import { fixture, fixtureRecord, screen } from "./helpers/cli.js";

const rules = loadRules();
const input = (record: unknown) => ({ input: JSON.stringify(record) });

/** ineligible.json's failure plus two unknowns: ASPECTS 3 fails, ALT and NIHSS missing. */
function ineligibleWithGaps() {
  const r = fixtureRecord("eligible.json");
  delete r.labs.alt;
  delete r.stroke.nihss;
  r.stroke.aspects = 3;
  return r;
}

describe("an ineligible report", () => {
  it("lists the failures, then one line for the undecided rest, not a page of 'data needed'", async () => {
    const run = await screen(["-"], input(ineligibleWithGaps()));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Failed\n {2}✗ INC-04/);
    expect(run.stdout).toContain("2 criteria not decided; --verbose lists them");
    expect(run.stdout).not.toContain("Cannot be decided yet");
    expect(run.stdout.split("\n").length).toBeLessThan(15);
  });

  it("--verbose still lists the undecided criteria with what they need", async () => {
    const run = await screen(["-", "--verbose"], input(ineligibleWithGaps()));
    expect(run.stdout).toContain("Cannot be decided yet (data needed)");
    expect(run.stdout).toMatch(/\? INC-05 .*\n.*needs stroke\.nihss/);
  });
});

describe("an incomplete report", () => {
  it("ends with one 'to collect' list: each field once, with the criteria it decides", async () => {
    const r = fixtureRecord("incomplete.json");
    delete r.labs.alt;
    const run = await screen(["-"], input(r));
    expect(run.code).toBe(3);
    const tail = run.stdout.slice(run.stdout.indexOf("To collect"));
    expect(tail).toMatch(/^To collect\n/);
    expect(tail).toMatch(/stroke\.aspects \(ASPECTS\) +decides INC-04\n/);
    expect(tail).toMatch(/labs\.alt \(ALT\) +decides INC-08\n/);
    expect(tail).toMatch(/labs\.bun \(urea\/BUN\) +decides INC-08\n/);
    for (const path of ["stroke.aspects", "labs.alt", "labs.bun"]) expect(tail.split(path).length - 1).toBe(1);
  });
});

describe("wording", () => {
  it("--verbose shows a passed exclusion as absent, not as a tick beside the condition", async () => {
    const run = await screen([fixture("eligible.json"), "--verbose"]);
    expect(run.stdout).toContain("✓ EXC-03   none of: brain tumour, epilepsy or severe head trauma");
    expect(run.stdout).not.toMatch(/✓ EXC-03 +Patients with brain tumors/);
    expect(run.stdout).toMatch(/✓ INC-01 +Age 18-70 years/); // inclusions keep their registry text
  });

  it("a failure only because a window has not opened says when to screen again", () => {
    const base = screenRecord(fixtureRecord("eligible.json"), rules) as ScreenedResult;
    const criteria = base.criteria.map((c) => (c.id === "INC-06" ? { ...c, outcome: "fail" as const, reason: "onset 10 h before screening", recheckAt: "2026-11-25T07:00:00.000+08:00" } : c));
    const text = renderResult({ ...base, verdict: "ineligible", failed: ["INC-06"], criteria }, { color: false, verbose: false });
    expect(text.split("\n")[0]).toBe("SCR-0001  INELIGIBLE  ineligible now; re-screen from 2026-11-25 07:00 +08:00");
    const west = criteria.map((c) => (c.id === "INC-06" ? { ...c, recheckAt: "2026-11-24T20:30:00.000-03:30" } : c));
    expect(renderResult({ ...base, verdict: "ineligible", failed: ["INC-06"], criteria: west }, { color: false, verbose: false })).toContain("re-screen from 2026-11-24 20:30 -03:30");
    const also = criteria.map((c) => (c.id === "INC-05" ? { ...c, outcome: "fail" as const } : c));
    const mixed = renderResult({ ...base, verdict: "ineligible", failed: ["INC-05", "INC-06"], criteria: also }, { color: false, verbose: false });
    expect(mixed.split("\n")[0]).toBe("SCR-0001  INELIGIBLE  2 criteria failed");
  });
});

describe("wrapping", () => {
  const longest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));

  it("80 columns when not a terminal, on word boundaries: every word of the criterion text intact", async () => {
    const run = await screen([fixture("ineligible.json")]);
    expect(longest(run.stdout)).toBeLessThanOrEqual(80);
    const inc08 = rules.criteria.find((c) => c.id === "INC-08")!.text;
    const words = run.stdout.split(/\s+/);
    for (const word of inc08.split(" ")) expect(words).toContain(word);
  });

  it("the terminal's width when writing to one", async () => {
    const result = screenRecord(fixtureRecord("ineligible.json"), rules);
    const narrow = renderResult(result, { color: true, palette: await paletteFor(true), verbose: true, width: 60 });
    // eslint-disable-next-line no-control-regex
    expect(longest(narrow.replace(/\x1b\[[0-9;]*m/g, ""))).toBeLessThanOrEqual(60);
    const wide = renderResult(result, { color: false, verbose: true, width: 200 });
    // Colour changes no word and no line break, only the codes around them.
    expect(narrow).toContain("\x1b[");
    // eslint-disable-next-line no-control-regex
    expect(narrow.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderResult(result, { color: false, verbose: true, width: 60 }));
    expect(wide).toMatch(/INC-08 +No significant liver or kidney dysfunction: ALT and AST <= 2\.5 times the upper limit of normal, serum creatinine/);
  });
});

describe("a report without colour", () => {
  it("is exactly chalk's with colour off, for every fixture, so a plain run need not load chalk", () => {
    const off = new Chalk({ level: 0 });
    const names = ["eligible.json", "ineligible.json", "incomplete.json"];
    for (const name of names) {
      const result = screenRecord(fixtureRecord(name), rules);
      for (const verbose of [false, true]) {
        expect(renderResult(result, { color: false, verbose })).toBe(renderResult(result, { color: true, palette: off, verbose }));
      }
    }
    expect(PLAIN.red.bold("a", "b")).toBe(off.red.bold("a", "b"));
    expect(PLAIN.level).toBe(0);
  });

  it("refuses colour without a palette rather than printing plain text", () => {
    const result = screenRecord(fixtureRecord("eligible.json"), rules);
    expect(() => renderResult(result, { color: true, verbose: false })).toThrow(/palette/);
  });
});
