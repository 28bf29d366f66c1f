/**
 * `npm run conformance [DIR]` (issue 11 item 7) over small Bundles modelled on the shared samples
 * (Synthea stroke and deceased patients, MII NDJSON in ICD-10-GM): the checks the issue asks of a
 * real-data run. Runs the built library (npm test builds first).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const run = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, "scripts", "conformance.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
const section = (out: string, title: string) => out.slice(out.indexOf(`## ${title}`)).split(/\n## /)[0]!;
const row = (text: string, label: string) => Number(new RegExp(`\\| ${label.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")} \\| (\\d+) \\|`).exec(text)?.[1]);

describe("conformance run", () => {
  const out = run(join("test", "fixtures", "fhir", "conformance"));

  it("reads every Bundle: JSON files and NDJSON lines", () => {
    expect(out).toMatch(/^# Conformance run over test\/fixtures\/fhir\/conformance\n\n4 Bundles;/);
  });

  it("in the stroke episode: creatinine, BUN, warfarin and thrombolysis are read; the stale platelet count is not", () => {
    const episode = section(out, "In the stroke episode");
    expect(row(episode, "records with `labs.creatinine` read from the Bundle")).toBe(1);
    expect(row(episode, "records with `labs.bun` read from the Bundle")).toBe(1);
    expect(row(episode, "records with `medications.warfarin` read from the Bundle")).toBe(1);
    expect(row(episode, "records with `stroke.thrombolysis` read from the Bundle")).toBe(1);
    expect(row(episode, "records with `labs.platelets` read from the Bundle")).toBe(0);
    expect(row(episode, "labs used although older than 14 d at screening")).toBe(0);
    expect(row(episode, "INC-06 failed on an onset more than 14 d old")).toBe(0);
  });

  it("at the end of the record: the deceased patient is refused, none is screened", () => {
    const end = section(out, "At the end of the record");
    expect(row(end, "deceased (at or before screening) refused as an error")).toBe(1);
    expect(row(end, "deceased (at or before screening) screened anyway")).toBe(0);
  });

  it("prints the coverage table with the codes the mapping does not use", () => {
    expect(out).toMatch(/LOINC 2339-0 {2}Glucose {2}\[Observation\]/);
  });

  it("a directory that does not exist is skipped with a message", () => {
    expect(run(join("test", "fixtures", "no-such-dir"))).toMatch(/does not exist; skipped/);
  });
});
