/**
 * Hostile input through the CLI (a real `node bin/screen.js` process, as users run it), one test
 * per kind of input. For each: a clear message naming the file / line / path, exit 2 when a record
 * or file is unusable, no stack trace, and in a batch only the bad record is affected (the good
 * records around it are screened as usual).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules, screen } from "../src/index.js";
import { resultProblems, type Rec } from "./helpers/arbitraries.js";
import { screen as runCli, UNPRIVILEGED } from "./helpers/cli.js";

const RULES = fileURLToPath(new URL("../rules/NCT07232563.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "screen-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The contract's example record (§1): a 61-year-old man, eligible. */
const GOOD: Rec = {
  id: "GOOD",
  screenedAt: "2026-11-24T09:00:00+08:00",
  demographics: { birthDate: "1965-06-15", sex: "male" },
  stroke: {
    onset: "2026-11-20T14:30:00+08:00", onsetIsLastKnownWell: false, anteriorCirculationOcclusion: true, occlusionImaging: "CTA",
    preStrokeMrs: 0, aspects: 8, nihss: 9, thrombolysis: false, endovascularTreatment: false,
  },
  labs: {
    alt: { value: 35, unit: "U/L", uln: 40 }, ast: { value: 30, unit: "U/L", uln: 40 }, creatinine: { value: 80, unit: "umol/L", uln: 104 },
    bun: { value: 5.5, unit: "mmol/L", uln: 7.1 }, platelets: { value: 210, unit: "10^9/L" }, aptt: { value: 30, unit: "s" }, inr: { value: 1.0 },
  },
  medications: { lastHeparinDose: null, warfarin: false, immunosuppressants: false },
  allergies: { contrast: "none", studyDrug: false, allergicConstitution: false },
  infections: { hbsag: "negative", severeInfection: false, otherInfectiousDisease: false },
  history: {
    significantCardiacDysfunction: false, otherBleedingTendency: false, coagulationDisorder: false, brainTumor: false, epilepsy: false,
    severeHeadTrauma: false, otherMalignancy: false, immunodeficiency: false, otherSeriousSystemicDisease: false,
    neurodegenerativeDiseaseLimitingFollowUp: false, nasalAbnormality: false, csfRhinorrhea: false, uncontrolledMentalIllness: false,
  },
  trials: { lastOtherTrialParticipation: null },
  reproductive: { pregnant: false, breastfeeding: false, childbearingPotential: false, usesContraception: true },
  consent: { canSignInformedConsent: true, ableToComply: true },
  investigator: { deemedUnsuitable: false },
};
const GOOD_LINE = JSON.stringify(GOOD);
/** GOOD's JSON text with `"key":value` text replaced (to write numbers JSON.stringify cannot). */
const goodWith = (find: string, replace: string, id: string) => {
  if (!GOOD_LINE.includes(find)) throw new Error(`no ${find} in GOOD`);
  return GOOD_LINE.replace(find, replace).replace('"id":"GOOD"', `"id":${JSON.stringify(id)}`);
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  results: Rec[];
}

async function cli(args: string[], options: { input?: string | Buffer; cwd?: string; unprivileged?: boolean } = {}): Promise<Run> {
  const p = await runCli(args, options);
  const results = args.includes("ndjson") && p.stdout.trim() ? p.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Rec) : [];
  return { code: p.code, stdout: p.stdout, stderr: p.stderr, results };
}

/** Writes `name` in the scratch directory and returns its path. */
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** No stack trace, no internal error: what a user sees is a message. */
function expectNoCrash(run: Run): void {
  expect(run.stderr).not.toMatch(/\n\s+at \S+|internal error|Error: .*\n.*node:internal/);
  for (const r of run.results) expect(resultProblems(r), JSON.stringify(r).slice(0, 500)).toEqual([]);
}

/** A batch [GOOD, bad, GOOD] as NDJSON: the two good ones are eligible, on lines 1 and 3. */
async function batchAround(name: string, badLine: string | Buffer): Promise<Run> {
  const path = file(name, Buffer.concat([Buffer.from(GOOD_LINE + "\n"), Buffer.isBuffer(badLine) ? badLine : Buffer.from(badLine), Buffer.from("\n" + GOOD_LINE + "\n")]));
  const run = await cli([path, "--format", "ndjson"]);
  expectNoCrash(run);
  expect(run.results.map((r) => r.line)).toEqual([1, 2, 3]);
  expect(run.results[0]!.verdict).toBe("eligible");
  expect(run.results[2]!.verdict).toBe("eligible");
  return run;
}

const errorAt = (r: Rec, path: string) => (r.errors as { path: string; message: string }[]).find((e) => e.path === path);

// ---------------------------------------------------------------------------------------------

describe("prototype keys", () => {
  const hostile =
    '{"id":"PROTO","__proto__":{"polluted":"yes","stroke":{"nihss":3}},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},' +
    GOOD_LINE.slice(1)
      .replace('"id":"GOOD",', "")
      .replace('"stroke":{', '"stroke":{"__proto__":{"nihss":3,"thrombolysis":true},"constructor":{"prototype":{"polluted":"yes"}},')
      .replace('"labs":{"alt":{"value":35,"unit":"U/L","uln":40}', '"labs":{"__proto__":{"polluted":"yes"},"alt":{"__proto__":{"value":999},"value":35,"unit":"U/L","uln":40}');

  it("__proto__ / constructor / prototype keys are unknown fields: ignored with a warning naming each path, never read", async () => {
    const run = await batchAround("proto.ndjson", hostile);
    const r = run.results[1]!;
    expect(r.id).toBe("PROTO");
    expect(r.verdict).toBe("eligible"); // nihss 9, no thrombolysis, ALT 35: the prototype keys changed nothing
    const warned = (r.warnings as { path: string }[]).map((w) => w.path);
    for (const p of ["__proto__", "constructor", "prototype", "stroke.__proto__", "stroke.constructor", "labs.__proto__", "labs.alt.__proto__"]) expect(warned).toContain(p);
    expect(run.code).toBe(0);
  });

  it("a record whose fields are given only through __proto__ is incomplete (nothing is inherited)", async () => {
    const run = await batchAround("proto-only.ndjson", '{"id":"P2","screenedAt":"2026-11-24T09:00:00+08:00","stroke":{"__proto__":{"nihss":9}},"__proto__":{"consent":{"ableToComply":false}}}');
    const r = run.results[1]!;
    expect(r.verdict).toBe("incomplete");
    expect(r.unknown).toContain("INC-05");
    expect(r.failed).toEqual([]);
  });

  it("no prototype pollution in-process through the library", () => {
    const rules = loadRules();
    const before = screen(GOOD, rules, { timeZone: "UTC" });
    for (const text of [hostile, '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"labs":{"alt":{"__proto__":{"polluted":1},"value":1,"unit":"U/L"}}}']) {
      const result = screen(JSON.parse(text), rules, { timeZone: "UTC", asOf: "2026-11-24T09:00:00+08:00" });
      expect(resultProblems(result)).toEqual([]);
      expect(({} as Rec).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      expect((Object as unknown as Rec).polluted).toBeUndefined();
    }
    expect(screen(GOOD, rules, { timeZone: "UTC" })).toEqual(before); // no state left behind
  });
});

describe("deep nesting", () => {
  const arrays = (n: number) => "[".repeat(n) + "1" + "]".repeat(n);
  const objects = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

  it("10 000 levels in a field: an error at that path; in an unknown field: ignored with a warning", async () => {
    const path = file(
      "deep.ndjson",
      [
        GOOD_LINE,
        `{"id":"DEEP1","screenedAt":"2026-11-24T09:00:00+08:00","stroke":{"nihss":${arrays(10_000)}}}`,
        goodWith('"id":"GOOD"', `"id":"GOOD","notes":${objects(10_000)}`, "DEEP2"),
        arrays(10_000),
        GOOD_LINE,
      ].join("\n") + "\n",
    );
    const run = await cli([path, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.line, r.verdict])).toEqual([[1, "eligible"], [2, "error"], [3, "eligible"], [4, "error"], [5, "eligible"]]);
    expect(errorAt(run.results[1]!, "stroke.nihss")!.message).toMatch(/integer/);
    expect((run.results[2]!.warnings as { path: string }[]).map((w) => w.path)).toContain("notes");
    expect(errorAt(run.results[3]!, "")!.message).toMatch(/object/);
    expect(run.code).toBe(2);
  });

  it("a million levels: that line is an error or ignored, the others are screened, no crash", async () => {
    const run = await batchAround("deeper.ndjson", goodWith('"id":"GOOD"', `"id":"GOOD","notes":${objects(1_000_000)}`, "DEEP3"));
    expect(["eligible", "error"]).toContain(run.results[1]!.verdict);
  }, 60_000);
});

describe("a 50 MB single line", () => {
  it("is read, reported as an error at the offending path with a short message, and the records around it are screened", async () => {
    const big = JSON.stringify({ ...GOOD, id: "BIG", stroke: { ...GOOD.stroke, nihss: "9".repeat(50 * 1024 * 1024) } });
    const run = await batchAround("big.ndjson", big);
    const r = run.results[1]!;
    expect(r.verdict).toBe("error");
    expect(r.id).toBe("BIG");
    expect(errorAt(r, "stroke.nihss")!.message.length).toBeLessThan(300); // the value is not echoed
    expect(run.stdout.length).toBeLessThan(200_000);
    expect(run.code).toBe(2);
  }, 60_000);
});

describe("awkward numbers", () => {
  it("1e309 (Infinity), -0 and 1e-400 (0): only the records they break are errors", async () => {
    const lines = [
      GOOD_LINE,
      goodWith('"nihss":9', '"nihss":1e309', "NIHSS-INF"), // Infinity: not an integer 0–42
      goodWith('"nihss":9', '"nihss":-0', "NIHSS-MINUS-ZERO"), // 0: INC-05 fails
      goodWith('"alt":{"value":35', '"alt":{"value":1e-400', "ALT-TINY"), // would be read as 0: not as written
      goodWith('"uln":40}', '"uln":1e-400}', "ULN-ZERO"), // 0: a uln must be > 0
      goodWith('"platelets":{"value":210', '"platelets":{"value":-0', "PLT-MINUS-ZERO"), // 0: EXC-02 fails
      goodWith('"creatinine":{"value":80', '"creatinine":{"value":1e309', "CREAT-INF"),
      GOOD_LINE,
    ];
    const run = await cli([file("numbers.ndjson", lines.join("\n") + "\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    const by = Object.fromEntries(run.results.map((r) => [r.id, r]));
    expect(run.results).toHaveLength(lines.length);
    expect(errorAt(by["NIHSS-INF"], "stroke.nihss")).toBeDefined();
    expect(by["NIHSS-MINUS-ZERO"]!.failed).toEqual(["INC-05"]);
    expect(errorAt(by["ALT-TINY"], "labs.alt.value")!.message).toContain("would be read as 0");
    expect(errorAt(by["ULN-ZERO"], "labs.alt.uln")).toBeDefined();
    expect(by["PLT-MINUS-ZERO"]!.failed).toEqual(["EXC-02"]);
    expect(errorAt(by["CREAT-INF"], "labs.creatinine.value")).toBeDefined();
    expect(run.results.filter((r) => r.id === "GOOD").map((r) => r.verdict)).toEqual(["eligible", "eligible"]);
    expect(run.code).toBe(2);
  });

  // Comparisons are exact on numbers as written; JSON.parse would round these to 1.8 and 100,
  // exactly at limits they are in fact past (INC-08 and EXC-02 would pass).
  const precise = [
    goodWith('"creatinine":{"value":80,"unit":"umol/L","uln":104}', '"creatinine":{"value":1.80000000000000001,"unit":"mg/dL","uln":1.44}', "CREAT-DIGITS"),
    goodWith('"platelets":{"value":210', '"platelets":{"value":99.999999999999999', "PLT-DIGITS"),
    goodWith('"nihss":9', '"nihss":9.0000000000000000', "NIHSS-ZEROS"), // trailing zeros: exactly 9
  ];

  it("more digits than a double holds: an error naming the path, never a rounded verdict (NDJSON)", async () => {
    const run = await cli([file("digits.ndjson", [GOOD_LINE, ...precise, GOOD_LINE].join("\n") + "\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.id, r.verdict])).toEqual([["GOOD", "eligible"], ["CREAT-DIGITS", "error"], ["PLT-DIGITS", "error"], ["NIHSS-ZEROS", "eligible"], ["GOOD", "eligible"]]);
    expect(errorAt(run.results[1]!, "labs.creatinine.value")!.message).toMatch(/^1\.80000000000000001 has more digits than can be compared exactly/);
    expect(errorAt(run.results[2]!, "labs.platelets.value")).toBeDefined();
    expect(run.code).toBe(2);
  });

  it("the same in a JSON array, one line or pretty-printed: only that item is an error", async () => {
    const items = [JSON.parse(GOOD_LINE), "PRECISE", JSON.parse(GOOD_LINE)];
    const pretty = JSON.stringify(items, null, 2).replace('"PRECISE"', precise[0]!);
    const oneLine = `[${GOOD_LINE},${precise[0]},${GOOD_LINE}]`;
    for (const text of [pretty, oneLine]) {
      const run = await cli([file("digits.json", text), "--format", "ndjson"]);
      expectNoCrash(run);
      expect(run.results.map((r) => [r.index, r.verdict])).toEqual([[0, "eligible"], [1, "error"], [2, "eligible"]]);
      expect(errorAt(run.results[1]!, "labs.creatinine.value")).toBeDefined();
    }
  });
});

describe("duplicate keys", () => {
  const dup = goodWith('"nihss":9', '"nihss":9,"nihss":3', "DUP");

  it("do not crash and do not affect the other records", async () => {
    const run = await batchAround("dup.ndjson", dup);
    expect(["ineligible", "error"]).toContain(run.results[1]!.verdict);
  });

  // JSON.parse alone would keep the last of two keys silently, so {"nihss":3,"nihss":9} could pass.
  it("a duplicate key is an error naming the line and the path, exit 2", async () => {
    const run = await batchAround("dup2.ndjson", goodWith('"nihss":9', '"nihss":3,"nihss":9', "DUP2"));
    const r = run.results[1]!;
    expect(r.verdict).toBe("error");
    expect(r.line).toBe(2);
    expect(errorAt(r, "stroke.nihss")!.message).toMatch(/duplicate/i);
    expect(run.code).toBe(2);
  });

  // Keys are tracked 64 levels deep: no field the rules read is deeper, and a hostile line of a
  // million levels must not stall the batch behind it.
  it("are found in an unknown field up to 64 levels deep; deeper nesting is just an ignored unknown field", async () => {
    const nest = (levels: number) => '{"x":'.repeat(levels - 1) + '{"d":1,"d":2}' + "}".repeat(levels - 1);
    const run = await cli([file("deepdup.ndjson", [goodWith('"id":"GOOD"', `"id":"GOOD","extra":${nest(60)}`, "AT-60"), goodWith('"id":"GOOD"', `"id":"GOOD","extra":${nest(70)}`, "AT-70")].join("\n") + "\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.id, r.verdict])).toEqual([["AT-60", "error"], ["AT-70", "eligible"]]);
    expect(run.results[0]!.errors[0].path).toBe(`extra${".x".repeat(59)}.d`);
    expect(run.results[1]!.warnings).toContainEqual({ path: "extra", message: "unknown field, ignored" });
  });

  it("a 300 000-level line after 200 records: that line is a record of its own (an unknown field), the records after it are screened", async () => {
    const deep = '{"a":'.repeat(300_000) + "1" + "}".repeat(300_000);
    const lines = [...Array.from({ length: 200 }, () => GOOD_LINE), deep, GOOD_LINE];
    const run = await cli([file("deep-after.ndjson", lines.join("\n") + "\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results).toHaveLength(202);
    expect(run.results[200]!.verdict).toBe("incomplete");
    expect(run.results[200]!.warnings[0]).toMatchObject({ path: "a", message: expect.stringMatching(/^unknown field, ignored/) });
    expect(run.results[201]!.verdict).toBe("eligible");
  });
});

describe("encodings", () => {
  const invalidUtf8 = Buffer.concat([Buffer.from('{"id":"BAD-'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('",' + GOOD_LINE.slice(GOOD_LINE.indexOf('"screenedAt"')))]);

  it("invalid UTF-8 bytes: no crash, the other records are screened", async () => {
    const run = await batchAround("utf8.ndjson", invalidUtf8);
    expect(run.results).toHaveLength(3);
  });

  it("invalid UTF-8 in an enum value makes that record invalid, not silently repaired", async () => {
    const bytes = Buffer.from(goodWith('"sex":"male"', '"sex":"male_"', "BAD-SEX"));
    bytes[bytes.indexOf("male_") + 4] = 0xff;
    const run = await batchAround("utf8-enum.ndjson", bytes);
    expect(run.results[1]!.verdict).toBe("error");
    expect(JSON.stringify(run.results[1]!.errors)).toMatch(/line 2 of \S+ is not valid UTF-8/);
    expect(run.code).toBe(2);
  });

  // Decoding with replacement characters would screen a mangled record as if it were data.
  it("invalid UTF-8 is an error naming the line, exit 2", async () => {
    const run = await batchAround("utf8-2.ndjson", invalidUtf8);
    expect(run.results[1]!.verdict).toBe("error");
    expect(JSON.stringify(run.results[1]!.errors)).toMatch(/UTF-8/);
    expect(run.code).toBe(2);
  });

  // Windows tools often export UTF-16 with a byte-order mark: it is decoded, not refused.
  it("UTF-16 LE with a BOM is decoded and screened", async () => {
    const path = file("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(GOOD, null, 2), "utf16le")]));
    const run = await cli([path, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => r.verdict)).toEqual(["eligible"]);
    expect(run.code).toBe(0);
  });

  it("UTF-16 BE with a BOM among other files: screened like the others", async () => {
    const u16be = Buffer.from(JSON.stringify(GOOD), "utf16le").swap16();
    const other = file("utf16be.json", Buffer.concat([Buffer.from([0xfe, 0xff]), u16be]));
    const good = file("good.json", GOOD_LINE);
    const run = await cli([good, other, good, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.file, r.verdict])).toEqual([[good, "eligible"], [other, "eligible"], [good, "eligible"]]);
    expect(run.code).toBe(0);
  });

  it("UTF-16 with a BOM that is not valid JSON: one error result naming the file, exit 2", async () => {
    const path = file("utf16-bad.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"id": "X", "stroke": ', "utf16le")]));
    const run = await cli([path, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]!.verdict).toBe("error");
    expect(run.results[0]!.errors[0].message).toContain(path);
    expect(run.code).toBe(2);
  });

  it("a UTF-8 BOM and CRLF line ends are accepted", async () => {
    const path = file("bom-crlf.ndjson", "\uFEFF" + [GOOD_LINE, GOOD_LINE].join("\r\n") + "\r\n");
    const run = await cli([path, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => r.verdict)).toEqual(["eligible", "eligible"]);
    expect(run.code).toBe(0);
  });
});

describe("lines that are not records", () => {
  it("malformed JSON, null, an array, a string, a number: one error result each, in place, the rest screened", async () => {
    const lines = [GOOD_LINE, '{"id":"TRUNC","stroke":', "null", "[1,2]", '"text"', "42", GOOD_LINE];
    const run = await cli([file("junk.ndjson", lines.join("\n") + "\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.line, r.verdict])).toEqual([[1, "eligible"], [2, "error"], [3, "error"], [4, "error"], [5, "error"], [6, "error"], [7, "eligible"]]);
    expect(run.results[1]!.errors[0].message).toMatch(/line 2/);
    expect(run.code).toBe(2);
  });
});

describe("empty and unreadable input", () => {
  it("an empty file: exit 2 with a message, no results", async () => {
    const run = await cli([file("empty.json", ""), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/no record/);
    expect(run.code).toBe(2);
  });

  it("the empty-file message names the file", async () => {
    const path = file("empty2.json", "");
    expect((await cli([path, "--format", "ndjson"])).stderr).toContain(path);
  });

  it("a file of blank lines only: exit 2, no results", async () => {
    const run = await cli([file("blank.ndjson", "\n  \n\r\n"), "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(2);
  });

  it("empty standard input: exit 2 with a message, no results", async () => {
    const run = await cli(["-", "--format", "ndjson"], { input: "" });
    expectNoCrash(run);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/no record/);
    expect(run.code).toBe(2);
  });

  it("a directory as input: one error result naming it; the other files are screened; exit 2", async () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub, { recursive: true });
    const good = file("good2.json", GOOD_LINE);
    const run = await cli([good, sub, good, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.file, r.verdict])).toEqual([[good, "eligible"], [sub, "error"], [good, "eligible"]]);
    expect(run.results[1]!.errors).toEqual([{ path: "", message: expect.stringContaining(sub) }]);
    expect(run.results[1]!.errors[0].message).toMatch(/directory/);
    expect(run.code).toBe(2);
  });

  it("a missing file: one error result naming it; the other files are screened; exit 2", async () => {
    const missing = join(dir, "no-such-file.json");
    const good = file("good3.json", GOOD_LINE);
    const run = await cli([missing, good, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.file, r.verdict])).toEqual([[missing, "error"], [good, "eligible"]]);
    expect(run.results[0]!.errors[0].message).toMatch(/no such file/);
    expect(run.results[0]!.errors[0].message).toContain(missing);
    expect(run.code).toBe(2);
  });

  it.skipIf(UNPRIVILEGED === null)("an unreadable file (chmod 000): one error result naming it; the others are screened; exit 2", async () => {
    const locked = file("locked.json", GOOD_LINE);
    chmodSync(locked, 0o000);
    const good = file("good4.json", GOOD_LINE);
    const run = await cli([locked, good, "--format", "ndjson"], { unprivileged: true });
    chmodSync(locked, 0o644);
    expectNoCrash(run);
    expect(run.results.map((r) => [r.file, r.verdict])).toEqual([[locked, "error"], [good, "eligible"]]);
    expect(run.results[0]!.errors[0].message).toMatch(/permission denied/);
    expect(run.code).toBe(2);
  });
});

describe("hostile rules files (--rules)", () => {
  const rulesText = () => JSON.parse(JSON.stringify(loadRules().file)) as Rec;
  const good = () => file("rules-good.json", GOOD_LINE);

  /** The run refuses to screen: exit 2, no output, a message naming the rules file and the place in it. */
  async function refused(rulesPath: string, ...expected: RegExp[]): Promise<void> {
    const run = await cli([good(), "--rules", rulesPath, "--format", "ndjson"]);
    expectNoCrash(run);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(rulesPath);
    for (const e of expected) expect(run.stderr).toMatch(e);
  }

  it("the trial's own rules file passed explicitly works", async () => {
    const run = await cli([good(), "--rules", RULES, "--format", "ndjson"]);
    expect(run.results[0]!.verdict).toBe("eligible");
  });

  it("malformed JSON: names the file, the line and the column", async () => {
    const text = JSON.stringify(rulesText(), null, 2);
    await refused(file("rules-malformed.json", text.slice(0, 2000)), /not valid JSON at line \d+, column \d+/);
    await refused(file("rules-trailing-comma.json", text.replace(/\n}$/, ",\n}")), /not valid JSON at line \d+, column \d+/);
    await refused(file("rules-empty.json", ""), /not valid JSON/);
  });

  it("a duplicate criterion id: names the criterion and the id", async () => {
    const r = rulesText();
    r.criteria[5].id = "INC-05";
    await refused(file("rules-dup.json", JSON.stringify(r, null, 2)), /criteria\[5\] \(INC-05\)\.id: duplicate id/);
  });

  it("an unknown operator: names the criterion and op, and lists the operators", async () => {
    const r = rulesText();
    r.criteria[4].passWhen.op = "gte";
    await refused(file("rules-op.json", JSON.stringify(r, null, 2)), /criteria\[4\] \(INC-05\)\.passWhen\.op/, /"ge"/);
    const nested = rulesText();
    nested.criteria[11].failWhen.any[1].all[1].op = "≥";
    await refused(file("rules-op-nested.json", JSON.stringify(nested, null, 2)), /criteria\[11\] \(EXC-02\)\.failWhen\.any\[1\]\.all\[1\]\.op/);
  });

  it("a field path not in the record schema: names the criterion and the path", async () => {
    const r = rulesText();
    r.criteria[4].passWhen.field = "stroke.nihs";
    await refused(file("rules-field.json", JSON.stringify(r, null, 2)), /criteria\[4\] \(INC-05\)\.passWhen\.field: stroke\.nihs is not a declared field/);
    const lab = rulesText();
    lab.criteria[7].passWhen.all[0].lab = "alt2";
    await refused(file("rules-lab.json", JSON.stringify(lab, null, 2)), /criteria\[7\] \(INC-08\)\.passWhen\.all\[0\]\.lab/);
    const since = rulesText();
    since.criteria[5].passWhen.elapsed.since = "stroke.onsetTime";
    await refused(file("rules-since.json", JSON.stringify(since, null, 2)), /criteria\[5\] \(INC-06\)\.passWhen\.elapsed\.since/);
  });

  it("a rules file that is a directory, missing, or not an object", async () => {
    await refused(dir);
    await refused(join(dir, "no-rules.json"));
    await refused(file("rules-array.json", "[]"));
    await refused(file("rules-proto.json", JSON.stringify({ ...rulesText(), __proto__: { polluted: 1 } }).replace('"trial"', '"__proto__":{"polluted":1},"trial"')));
  });
});
