/**
 * End-to-end: the built `node bin/screen.js` on one record at a time — fixtures, the JSON result
 * of §3, the text report, exit codes of §4, options and usage errors. Batches: batch.test.ts.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, it } from "vitest";
import { ANSI, fixture, fixtureRecord, RULES, screen, sha256, STACK_TRACE, tempDir } from "./helpers/cli.js";

const RULES_BYTES = readFileSync(RULES);
const RULES_JSON = JSON.parse(RULES_BYTES.toString("utf8")) as {
  trial: string;
  version: string;
  criteria: { id: string; passWhen: Record<string, unknown>; failWhen: Record<string, unknown> }[];
};
const PROTOCOL_ORDER = [
  ...Array.from({ length: 10 }, (_, i) => `INC-${String(i + 1).padStart(2, "0")}`),
  ...Array.from({ length: 17 }, (_, i) => `EXC-${String(i + 1).padStart(2, "0")}`),
];

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.concurrent("fixtures: verdicts and exit codes", () => {
  const cases: [file: string, verdict: string, code: number, failed: string[], unknown: string[]][] = [
    ["eligible.json", "eligible", 0, [], []],
    ["ineligible.json", "ineligible", 1, ["INC-05", "INC-07", "INC-08", "EXC-02"], []],
    ["incomplete.json", "incomplete", 3, [], ["INC-04", "INC-08", "EXC-02"]],
    ["woman-childbearing.json", "eligible", 0, [], []],
    ["woman-no-contraception.json", "ineligible", 1, ["EXC-15"], []],
    ["onset-date-only.json", "incomplete", 3, [], ["INC-06"]],
  ];
  for (const [file, verdict, code, failed, unknown] of cases) {
    it(`${file} → ${verdict}, exit ${code}`, async ({ expect }) => {
      const run = await screen([fixture(file), "--format", "json"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(code);
      const r = JSON.parse(run.stdout);
      expect(r.verdict).toBe(verdict);
      expect(r.failed).toEqual(failed);
      expect(r.unknown).toEqual(unknown);
      expect(r.id).toBe(fixtureRecord(file).id);
    });
  }

  it("the text report gives the same exit codes", async ({ expect }) => {
    const codes = await Promise.all(cases.map(([file]) => screen([fixture(file)]).then((r) => r.code)));
    expect(codes).toEqual(cases.map((c) => c[2]));
  });

  it("invalid.json → an error result naming every offending path, exit 2, no verdict", async ({ expect }) => {
    const run = await screen([fixture("invalid.json"), "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const r = JSON.parse(run.stdout);
    expect(r.id).toBe("SCR-0006");
    expect(r.verdict).toBe("error");
    for (const key of ["failed", "unknown", "criteria"]) expect(r).not.toHaveProperty(key);
    const paths: string[] = r.errors.map((e: { path: string }) => e.path);
    for (const field of ["stroke.nihss", "labs.creatinine", "stroke.onset", "labs.inr"]) {
      expect(paths.some((p) => p === field || p.startsWith(`${field}.`)), `an error at ${field} in ${paths.join(", ")}`).toBe(true);
    }
    for (const e of r.errors) expect(typeof e.message === "string" && e.message.length > 0).toBe(true);
    const creatinine = r.errors.find((e: { path: string }) => e.path.startsWith("labs.creatinine"));
    expect(creatinine.message).toMatch(/mg\/dL/);
  });

  it("invalid.json as text: says it is invalid and lists the paths, exit 2", async ({ expect }) => {
    const run = await screen([fixture("invalid.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/invalid/i);
    expect(run.stdout).toContain("stroke.nihss");
    expect(run.stdout).not.toMatch(/\b(ELIGIBLE|INELIGIBLE|INCOMPLETE)\b/);
  });
});

describe.concurrent("--format json: one object exactly per §3", () => {
  it("has every key of the contract, in its order, with all 27 criteria in protocol order", async ({ expect }) => {
    const run = await screen([fixture("ineligible.json"), "--format", "json"]);
    expect(run.code).toBe(1);
    const r = JSON.parse(run.stdout);
    expect(Array.isArray(r)).toBe(false);
    // The contract allows added optional fields ("never rename or drop these"): §3's keys must all be
    // there, in §3's order; anything else is an addition and must not be one of the error shape's keys.
    const CONTRACT_KEYS = ["id", "verdict", "failed", "unknown", "criteria", "screenedAt", "rules", "warnings"];
    expect(Object.keys(r).filter((k) => CONTRACT_KEYS.includes(k))).toEqual(CONTRACT_KEYS);
    for (const extra of Object.keys(r).filter((k) => !CONTRACT_KEYS.includes(k))) expect(["errors", "line", "index", "file"]).not.toContain(extra);
    expect(r.criteria).toHaveLength(27);
    expect(r.criteria.map((c: { id: string }) => c.id)).toEqual(PROTOCOL_ORDER);
    for (const c of r.criteria) {
      expect(Object.keys(c).slice(0, 5)).toEqual(["id", "category", "text", "outcome", "reason"]);
      expect(["pass", "fail", "unknown", "not_applicable"]).toContain(c.outcome);
      expect(c.category).toBe(c.id.startsWith("INC") ? "inclusion" : "exclusion");
      expect(c.reason.length).toBeGreaterThan(0);
    }
    // failed / unknown agree with the criteria, in protocol order
    expect(r.failed).toEqual(r.criteria.filter((c: { outcome: string }) => c.outcome === "fail").map((c: { id: string }) => c.id));
    expect(r.unknown).toEqual(r.criteria.filter((c: { outcome: string }) => c.outcome === "unknown").map((c: { id: string }) => c.id));
    expect(r.criteria.find((c: { id: string }) => c.id === "INC-05").reason).toBe("NIHSS 4 is below 6");
    expect(r.criteria.find((c: { id: string }) => c.id === "EXC-15").outcome).toBe("not_applicable");
    expect(r.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(r.rules).toEqual({ trial: "NCT07232563", version: RULES_JSON.version, sha256: sha256(RULES_BYTES) });
    expect(r.warnings).toEqual([]);
  });

  it("pretty or not, stdout is exactly one JSON value and nothing else", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--format", "json"]);
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith("}\n")).toBe(true);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout).not.toMatch(ANSI);
  });
});

describe.concurrent("the text report", () => {
  it("starts with the verdict and names each failed criterion with its reason", async ({ expect }) => {
    const run = await screen([fixture("ineligible.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(ANSI);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/\bINELIGIBLE\b/);
    expect(lines[0]).toContain("SCR-0002");
    for (const id of ["INC-05", "INC-07", "INC-08", "EXC-02"]) expect(run.stdout).toContain(id);
    expect(run.stdout).toContain("NIHSS 4 is below 6");
    expect(run.stdout).toContain("ALT 120 U/L exceeds 2.5 × ULN 40 = 100 U/L");
    expect(run.stdout).toMatch(/thrombolysis/);
    expect(run.stdout).toMatch(/platelets 80/);
    // the reason comes after its criterion
    expect(run.stdout.indexOf("NIHSS 4 is below 6")).toBeGreaterThan(run.stdout.indexOf("INC-05"));
    // passes are tallied, not listed
    expect(run.stdout).not.toContain("INC-01");
    expect(run.stdout).toMatch(/Passed 22 of 27/);
  });

  it("an eligible report starts with ELIGIBLE; an incomplete one lists what is needed", async ({ expect }) => {
    const [eligible, incomplete] = await Promise.all([screen([fixture("eligible.json")]), screen([fixture("incomplete.json")])]);
    expect(eligible.stdout.split("\n")[0]).toMatch(/\bELIGIBLE\b/);
    expect(eligible.stdout.split("\n")[0]).not.toMatch(/INELIGIBLE|INCOMPLETE/);
    expect(incomplete.stdout.split("\n")[0]).toMatch(/\bINCOMPLETE\b/);
    for (const id of ["INC-04", "INC-08", "EXC-02"]) expect(incomplete.stdout).toContain(id);
    expect(incomplete.stdout).toContain("stroke.aspects");
  });

  it("--verbose lists the passes too", async ({ expect }) => {
    const run = await screen([fixture("ineligible.json"), "--verbose"]);
    expect(run.code).toBe(1);
    const passed = run.stdout.indexOf("Passed\n");
    expect(passed).toBeGreaterThan(0);
    for (const id of PROTOCOL_ORDER) expect(run.stdout, id).toContain(id);
    expect(run.stdout.slice(passed)).toContain("INC-01");
    expect(run.stdout).toMatch(/age 67/);
  });
});

describe.concurrent("commands and options", () => {
  it("`screen criteria` lists the 27 ids in protocol order", async ({ expect }) => {
    const run = await screen(["criteria"]);
    expect(run.code).toBe(0);
    const ids = run.stdout.split("\n").map((l) => /^(INC|EXC)-\d\d\b/.exec(l)?.[0]).filter(Boolean);
    expect(ids).toEqual(PROTOCOL_ORDER);
    expect(run.stdout).toContain("Pre-enrollment NIHSS score >= 6");
  });

  it("--version prints the package version, exit 0", async ({ expect }) => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const run = await screen(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it("--help shows usage with examples, exit 0", async ({ expect }) => {
    const run = await screen(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: screen/);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toContain("--format");
    expect(run.stdout).toContain("--as-of");
    expect(run.stdout).toMatch(/\$ screen \S+\.json/);
  });

  it("an unknown option → exit 2, a message, no stack trace", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/unknown option.*--frobnicate/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("an unknown --format value → exit 2", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--format", "xml"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("--as-of without a time of day → exit 2 (bad usage), nothing screened", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--as-of", "2026-11-24", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/--as-of/);
    expect(run.stderr).toMatch(/time of day/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("--time-zone with an unknown zone → exit 2 naming it, nothing screened", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--time-zone", "Mars/Olympus"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^screen: --time-zone: unknown time zone "Mars\/Olympus"; expected an IANA name/);
  });
});

describe.concurrent("--as-of", () => {
  const noScreenedAt = (() => {
    const r = fixtureRecord("eligible.json");
    delete r.screenedAt;
    return tmp.write("no-screenedAt.json", JSON.stringify(r));
  })();

  it("is used when the record has no screenedAt", async ({ expect }) => {
    const inWindow = await screen([noScreenedAt, "--format", "json", "--as-of", "2026-11-24T09:00:00+08:00"]);
    expect(inWindow.code).toBe(0);
    const a = JSON.parse(inWindow.stdout);
    expect(a.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(a.verdict).toBe("eligible");
    expect(a.warnings).toEqual([]);
    // 20 days after onset: the 14-day window has closed
    const late = await screen([noScreenedAt, "--format", "json", "--as-of", "2026-12-10T09:00:00+08:00"]);
    expect(late.code).toBe(1);
    const b = JSON.parse(late.stdout);
    expect(b.screenedAt).toBe("2026-12-10T01:00:00.000Z");
    expect(b.failed).toEqual(["INC-06"]);
  });

  it("is ignored when the record has its own screenedAt", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "--format", "json", "--as-of", "2026-12-10T09:00:00+08:00"]);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.screenedAt).toBe("2026-11-24T01:00:00.000Z");
    expect(r.verdict).toBe("eligible");
  });

  it("without --as-of nor screenedAt, screening uses now and warns", async ({ expect }) => {
    // Relative to the clock, so the verdict does not depend on the day the test runs.
    const rec = fixtureRecord("eligible.json");
    delete rec.screenedAt;
    rec.demographics = { age: 58, sex: "male" };
    rec.stroke.onset = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const run = await screen(["--format", "json"], { input: JSON.stringify(rec) });
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.verdict).toBe("eligible");
    expect(Math.abs(Date.parse(r.screenedAt) - Date.now())).toBeLessThan(60_000);
    expect(r.warnings).toEqual([expect.objectContaining({ path: "screenedAt" })]);
  });
});

describe.concurrent("--rules", () => {
  function modifiedRules(name: string, edit: (rules: typeof RULES_JSON) => void): string {
    const copy = JSON.parse(RULES_BYTES.toString("utf8")) as typeof RULES_JSON;
    edit(copy);
    return tmp.write(name, JSON.stringify(copy, null, 2) + "\n");
  }

  it("a copy with the NIHSS threshold 6 → 4 passes INC-05 for ineligible.json and reports the copy's sha256", async ({ expect }) => {
    const path = modifiedRules("nihss-4.json", (r) => {
      const inc05 = r.criteria.find((c) => c.id === "INC-05")!;
      expect(inc05.passWhen).toMatchObject({ field: "stroke.nihss", op: "ge", value: 6 });
      inc05.passWhen.value = 4;
    });
    const [before, after] = await Promise.all([
      screen([fixture("ineligible.json"), "--format", "json"]),
      screen([fixture("ineligible.json"), "--format", "json", "--rules", path]),
    ]);
    const b = JSON.parse(before.stdout);
    const a = JSON.parse(after.stdout);
    expect(b.criteria.find((c: { id: string }) => c.id === "INC-05").outcome).toBe("fail");
    expect(a.criteria.find((c: { id: string }) => c.id === "INC-05").outcome).toBe("pass");
    expect(a.failed).toEqual(["INC-07", "INC-08", "EXC-02"]);
    expect(a.rules.sha256).toBe(sha256(readFileSync(path)));
    expect(a.rules.sha256).not.toBe(b.rules.sha256);
    expect(after.code).toBe(1); // still ineligible on its other failures
  });

  it("the threshold edit alone can flip a verdict (NIHSS 5 patient)", async ({ expect }) => {
    const rec = fixtureRecord("eligible.json");
    rec.stroke.nihss = 5;
    const file = tmp.write("nihss-5.json", JSON.stringify(rec));
    const path = modifiedRules("nihss-5-rules.json", (r) => {
      r.criteria.find((c) => c.id === "INC-05")!.passWhen.value = 4;
    });
    const [strict, edited] = await Promise.all([screen([file]), screen([file, "--rules", path])]);
    expect(strict.code).toBe(1);
    expect(edited.code).toBe(0);
  });

  it("a broken rules file → exit 2, a message naming the rule, no stack trace", async ({ expect }) => {
    const path = modifiedRules("broken.json", (r) => {
      const exc04 = r.criteria.find((c) => c.id === "EXC-04")!;
      expect(exc04.failWhen).toMatchObject({ field: "history.otherMalignancy" });
      exc04.failWhen.field = "history.noSuchField";
    });
    const run = await screen([fixture("eligible.json"), "--rules", path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("EXC-04");
    expect(run.stderr).toContain("history.noSuchField");
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("a rules file that is not JSON, or missing → exit 2 with a message", async ({ expect }) => {
    const notJson = tmp.write("not-json.json", "{ this is not json");
    const [a, b] = await Promise.all([
      screen([fixture("eligible.json"), "--rules", notJson]),
      screen([fixture("eligible.json"), "--rules", tmp.path("absent.json")]),
    ]);
    for (const run of [a, b]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^screen: /);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    }
  });
});
