/**
 * End-to-end batches (§3 "Batches", §4): many files, JSON arrays, NDJSON from files and standard
 * input, error results in place, exit-code aggregation, json/ndjson/csv/text output, --summary,
 * atomic --output, and a closed pipe. Runs the built `node bin/screen.js`.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { bigNdjson, BIN, cliEnv, fixture, fixtureRecord, ndjson, parseCsv, parseNdjson, ROOT, screen, shell, STACK_TRACE, tempDir, UNPRIVILEGED } from "./helpers/cli.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const eligible = () => fixtureRecord("eligible.json");
const ineligible = () => fixtureRecord("ineligible.json");
const incomplete = () => fixtureRecord("incomplete.json");
const invalid = () => fixtureRecord("invalid.json");
const withId = <T extends Record<string, unknown>>(r: T, id: string): T => ({ ...r, id });

/** The fields that place a result in its input, plus verdict. */
const brief = (r: { id?: string; file?: string; line?: number; index?: number; verdict: string }) => ({
  ...(r.id !== undefined ? { id: r.id } : {}),
  ...(r.file !== undefined ? { file: r.file } : {}),
  ...(r.line !== undefined ? { line: r.line } : {}),
  ...(r.index !== undefined ? { index: r.index } : {}),
  verdict: r.verdict,
});

const BATCH_NDJSON_EXPECTED = [
  { id: "SCR-0101", line: 1, verdict: "eligible" },
  { id: "SCR-0102", line: 2, verdict: "ineligible" },
  { id: "SCR-0103", line: 3, verdict: "incomplete" },
  { line: 4, verdict: "error" },
  { id: "SCR-0105", line: 5, verdict: "eligible" },
];

describe.concurrent("input kinds", () => {
  it("several files: one result each, in argument order, every one carrying `file`", async ({ expect }) => {
    const files = [fixture("ineligible.json"), fixture("eligible.json"), fixture("incomplete.json")];
    const run = await screen([...files, "--format", "ndjson"]);
    expect(run.code).toBe(1);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual([
      { id: "SCR-0002", file: files[0], verdict: "ineligible" },
      { id: "SCR-0001", file: files[1], verdict: "eligible" },
      { id: "SCR-0003", file: files[2], verdict: "incomplete" },
    ]);
    for (const r of out) {
      expect(r).not.toHaveProperty("line");
      expect(r.criteria).toHaveLength(27);
    }
  });

  it("several files mixing an array and NDJSON: `file` on every result, plus `index` / `line`", async ({ expect }) => {
    const run = await screen([fixture("batch-array.json"), fixture("batch.ndjson"), "--format", "ndjson"]);
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout).map(brief);
    expect(out).toEqual([
      { id: "SCR-0201", file: fixture("batch-array.json"), index: 0, verdict: "eligible" },
      { id: "SCR-0202", file: fixture("batch-array.json"), index: 1, verdict: "ineligible" },
      { id: "SCR-0203", file: fixture("batch-array.json"), index: 2, verdict: "incomplete" },
      ...BATCH_NDJSON_EXPECTED.map((r) => ({ ...("id" in r ? { id: r.id } : {}), file: fixture("batch.ndjson"), line: r.line, verdict: r.verdict })),
    ]);
  });

  it("a JSON array: results carry `index` (0-based), not `file`", async ({ expect }) => {
    const run = await screen([fixture("batch-array.json"), "--format", "ndjson"]);
    expect(run.code).toBe(1);
    expect(parseNdjson(run.stdout).map(brief)).toEqual([
      { id: "SCR-0201", index: 0, verdict: "eligible" },
      { id: "SCR-0202", index: 1, verdict: "ineligible" },
      { id: "SCR-0203", index: 2, verdict: "incomplete" },
    ]);
  });

  it("an NDJSON file: one result per line with its `line`, the malformed one an error in place", async ({ expect }) => {
    const run = await screen([fixture("batch.ndjson"), "--format", "ndjson"]);
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual(BATCH_NDJSON_EXPECTED);
    expect(out[3].errors).toHaveLength(1);
    expect(out[3].errors[0].path).toBe("");
    expect(out[3].errors[0].message).toMatch(/line 4/);
    expect(out[1].failed).toEqual(["INC-05", "INC-07", "INC-08", "EXC-02"]);
    expect(out[2].unknown).toEqual(["INC-04", "INC-08", "EXC-02"]);
  });

  it("NDJSON on standard input: piped with no file, and as `-`", async ({ expect }) => {
    const input = readFileSync(fixture("batch.ndjson"));
    const [piped, dash] = await Promise.all([screen(["--format", "ndjson"], { input }), screen(["-", "--format", "ndjson"], { input })]);
    for (const run of [piped, dash]) {
      expect(run.code).toBe(2);
      expect(parseNdjson(run.stdout).map(brief)).toEqual(BATCH_NDJSON_EXPECTED);
    }
  });

  it("standard input with one pretty-printed object → one object (json) and one result", async ({ expect }) => {
    const input = readFileSync(fixture("eligible.json"));
    const [json, nd] = await Promise.all([screen(["--format", "json"], { input }), screen(["-", "--format", "ndjson"], { input })]);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(Array.isArray(r)).toBe(false);
    expect(r.id).toBe("SCR-0001");
    expect(r).not.toHaveProperty("line");
    expect(parseNdjson(nd.stdout).map(brief)).toEqual([{ id: "SCR-0001", verdict: "eligible" }]);
  });

  it("standard input with one compact object on one line → an object, not an array", async ({ expect }) => {
    const run = await screen(["--format", "json"], { input: JSON.stringify(ineligible()) + "\n" });
    expect(run.code).toBe(1);
    const r = JSON.parse(run.stdout);
    expect(Array.isArray(r)).toBe(false);
    expect(r.verdict).toBe("ineligible");
  });

  it("standard input with a pretty-printed array → an array with `index`", async ({ expect }) => {
    const run = await screen(["-", "--format", "json"], { input: readFileSync(fixture("batch-array.json")) });
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(Array.isArray(out)).toBe(true);
    expect(out.map(brief)).toEqual([
      { id: "SCR-0201", index: 0, verdict: "eligible" },
      { id: "SCR-0202", index: 1, verdict: "ineligible" },
      { id: "SCR-0203", index: 2, verdict: "incomplete" },
    ]);
  });

  it("standard input with a one-line array → an array with `index`", async ({ expect }) => {
    const run = await screen(["--format", "ndjson"], { input: JSON.stringify([eligible(), incomplete()]) });
    expect(run.code).toBe(3);
    expect(parseNdjson(run.stdout).map(brief)).toEqual([
      { id: "SCR-0001", index: 0, verdict: "eligible" },
      { id: "SCR-0003", index: 1, verdict: "incomplete" },
    ]);
  });

  it("a UTF-8 BOM, CRLF line ends and blank lines: accepted, blanks skipped, physical line numbers kept", async ({ expect }) => {
    const text = "\uFEFF" + [JSON.stringify(withId(eligible(), "A")), "", "   ", JSON.stringify(withId(ineligible(), "B")), "", JSON.stringify(withId(eligible(), "C"))].join("\r\n") + "\r\n\r\n";
    const file = tmp.write("bom-crlf.ndjson", text);
    const [fromFile, fromStdin] = await Promise.all([screen([file, "--format", "ndjson"]), screen(["--format", "ndjson"], { input: text })]);
    const expected = [
      { id: "A", line: 1, verdict: "eligible" },
      { id: "B", line: 4, verdict: "ineligible" },
      { id: "C", line: 6, verdict: "eligible" },
    ];
    for (const run of [fromFile, fromStdin]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe("");
      expect(parseNdjson(run.stdout).map(brief)).toEqual(expected);
    }
  });

  it("a BOM and CRLF in a pretty-printed single-record file", async ({ expect }) => {
    const text = "\uFEFF" + readFileSync(fixture("ineligible.json"), "utf8").replace(/\r?\n/g, "\r\n");
    const file = tmp.write("bom-crlf.json", text);
    const run = await screen([file, "--format", "json"]);
    expect(run.code).toBe(1);
    const r = JSON.parse(run.stdout);
    expect(r.id).toBe("SCR-0002");
    expect(r.failed).toEqual(["INC-05", "INC-07", "INC-08", "EXC-02"]);
  });

  it(".jsonl is read as NDJSON too", async ({ expect }) => {
    const file = tmp.write("list.jsonl", ndjson([withId(eligible(), "J1"), withId(eligible(), "J2")]));
    const run = await screen([file, "--format", "ndjson"]);
    expect(run.code).toBe(0);
    expect(parseNdjson(run.stdout).map(brief)).toEqual([
      { id: "J1", line: 1, verdict: "eligible" },
      { id: "J2", line: 2, verdict: "eligible" },
    ]);
  });
});

describe.concurrent("bad records never lose good ones", () => {
  // Standard input has no file name to say "NDJSON": a damaged first line must not make the whole
  // stream one unparsable document, whatever follows it.
  it("malformed first lines on standard input: each its own error, every record after them screened", async ({ expect }) => {
    for (const broken of [1, 3]) {
      const lines = [
        ...Array.from({ length: broken }, (_, i) => `{"id": "B${i}", "stroke": {"nihss": 9,`),
        JSON.stringify(withId(eligible(), "G1")),
        JSON.stringify(withId(ineligible(), "G2")),
      ];
      const run = await screen(["--format", "ndjson"], { input: ndjson(lines) });
      expect(run.code).toBe(2);
      const out = parseNdjson(run.stdout);
      expect(out.map(brief)).toEqual([
        ...Array.from({ length: broken }, (_, i) => ({ line: i + 1, verdict: "error" })),
        { id: "G1", line: broken + 1, verdict: "eligible" },
        { id: "G2", line: broken + 2, verdict: "ineligible" },
      ]);
    }
  });

  it("a broken pretty-printed document is one error naming the input, not an error per line", async ({ expect }) => {
    const text = JSON.stringify(withId(eligible(), "P1"), null, 2).replace('"nihss": 9,', '"nihss": 9');
    const run = await screen(["--format", "ndjson"], { input: text });
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out).toHaveLength(1);
    expect(out[0].errors[0].message).toMatch(/^standard input is not valid JSON/);
  });

  it("a malformed line in the middle: an error result with its line, the others screened, order and count kept", async ({ expect }) => {
    const lines = [
      JSON.stringify(withId(eligible(), "M1")),
      JSON.stringify(withId(ineligible(), "M2")),
      JSON.stringify(withId(incomplete(), "M3")),
      '{"id": "M4", "stroke": {"nihss": 9,',
      JSON.stringify(withId(eligible(), "M5")),
      JSON.stringify(withId(eligible(), "M6")),
      JSON.stringify(withId(ineligible(), "M7")),
    ];
    const run = await screen(["-", "--format", "ndjson"], { input: ndjson(lines) });
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out).toHaveLength(7);
    expect(out.map(brief)).toEqual([
      { id: "M1", line: 1, verdict: "eligible" },
      { id: "M2", line: 2, verdict: "ineligible" },
      { id: "M3", line: 3, verdict: "incomplete" },
      { line: 4, verdict: "error" },
      { id: "M5", line: 5, verdict: "eligible" },
      { id: "M6", line: 6, verdict: "eligible" },
      { id: "M7", line: 7, verdict: "ineligible" },
    ]);
    expect(out[3].errors[0].message).toMatch(/JSON/);
  });

  it("`null`, a number, a string and an array as NDJSON lines → error results in place", async ({ expect }) => {
    const input = ndjson([withId(eligible(), "N1"), "null", "42", '"SCR-9"', "[1, 2]", "[]", withId(eligible(), "N7")]);
    const run = await screen(["--format", "ndjson"], { input });
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual([
      { id: "N1", line: 1, verdict: "eligible" },
      { line: 2, verdict: "error" },
      { line: 3, verdict: "error" },
      { line: 4, verdict: "error" },
      { line: 5, verdict: "error" },
      { line: 6, verdict: "error" },
      { id: "N7", line: 7, verdict: "eligible" },
    ]);
    for (const r of out.slice(1, 6)) {
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors[0].path).toBe("");
    }
  });

  it("a malformed first line of a stream does not swallow the rest", async ({ expect }) => {
    const input = ndjson(["{broken", withId(eligible(), "F2"), withId(eligible(), "F3")]);
    const run = await screen(["--format", "ndjson"], { input });
    expect(run.code).toBe(2);
    expect(parseNdjson(run.stdout).map(brief)).toEqual([
      { line: 1, verdict: "error" },
      { id: "F2", line: 2, verdict: "eligible" },
      { id: "F3", line: 3, verdict: "eligible" },
    ]);
  });

  it("an invalid record in an array: its error result keeps its index and id", async ({ expect }) => {
    const run = await screen(["--format", "ndjson"], { input: JSON.stringify([eligible(), invalid(), ineligible()], null, 2) });
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual([
      { id: "SCR-0001", index: 0, verdict: "eligible" },
      { id: "SCR-0006", index: 1, verdict: "error" },
      { id: "SCR-0002", index: 2, verdict: "ineligible" },
    ]);
    expect(out[1].errors.map((e: { path: string }) => e.path)).toContain("stroke.nihss");
  });

  it("a missing file and a directory: one error result each naming the file, the others screened, exit 2", async ({ expect }) => {
    const missing = tmp.path("does-not-exist.json");
    const dir = tmp.path("a-directory");
    mkdirSync(dir, { recursive: true });
    const run = await screen([fixture("eligible.json"), missing, dir, fixture("ineligible.json"), "--format", "ndjson"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual([
      { id: "SCR-0001", file: fixture("eligible.json"), verdict: "eligible" },
      { file: missing, verdict: "error" },
      { file: dir, verdict: "error" },
      { id: "SCR-0002", file: fixture("ineligible.json"), verdict: "ineligible" },
    ]);
    expect(out[1].errors).toEqual([{ path: "", message: expect.stringContaining(missing) }]);
    expect(out[2].errors).toEqual([{ path: "", message: expect.stringContaining(dir) }]);
  });

  it.skipIf(UNPRIVILEGED === null)("a file without read permission: an error result naming it, the others screened", async ({ expect }) => {
    const locked = tmp.write("locked.json", JSON.stringify(eligible()));
    chmodSync(locked, 0o000);
    const run = await screen([locked, fixture("eligible.json"), "--format", "ndjson"], { unprivileged: true });
    expect(run.code).toBe(2);
    const out = parseNdjson(run.stdout);
    expect(out.map(brief)).toEqual([
      { file: locked, verdict: "error" },
      { id: "SCR-0001", file: fixture("eligible.json"), verdict: "eligible" },
    ]);
    expect(out[0].errors).toEqual([{ path: "", message: expect.stringContaining(locked) }]);
  });

  it("a single missing file → exit 2 with an error result, not a crash", async ({ expect }) => {
    const missing = tmp.path("nope.json");
    const run = await screen([missing, "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const r = JSON.parse(run.stdout);
    const one = Array.isArray(r) ? r[0] : r;
    expect(one.verdict).toBe("error");
    expect(one.errors[0].message).toContain(missing);
  });
});

describe.concurrent("exit codes aggregated over the batch (§4)", () => {
  const cases: [string, Record<string, unknown>[], number][] = [
    ["all eligible → 0", [eligible(), fixtureRecord("woman-childbearing.json"), eligible()], 0],
    ["any ineligible → 1", [eligible(), incomplete(), ineligible(), eligible()], 1],
    ["only incomplete (and eligible) → 3", [eligible(), incomplete(), eligible()], 3],
    ["incomplete only → 3", [incomplete(), fixtureRecord("onset-date-only.json")], 3],
    ["any invalid → 2 (even with ineligible)", [ineligible(), invalid(), eligible()], 2],
    ["any invalid → 2 (even with incomplete)", [incomplete(), invalid()], 2],
  ];
  for (const [name, records, code] of cases) {
    it(name, async ({ expect }) => {
      const run = await screen(["--format", "ndjson"], { input: ndjson(records) });
      expect(run.code).toBe(code);
      expect(parseNdjson(run.stdout)).toHaveLength(records.length);
    });
  }

  it("a malformed line among eligible records → 2", async ({ expect }) => {
    const run = await screen(["--format", "csv"], { input: ndjson([eligible(), "{", eligible()]) });
    expect(run.code).toBe(2);
  });
});

describe.concurrent("empty input is bad usage", () => {
  const cases: [string, () => Promise<Awaited<ReturnType<typeof screen>>>][] = [
    ["an empty file", () => screen([tmp.write("empty.json", "")])],
    ["an empty .ndjson file", () => screen([tmp.write("empty.ndjson", ""), "--format", "ndjson"])],
    ["only blank lines in a file", () => screen([tmp.write("blank.ndjson", "\n  \r\n\t\n"), "--format", "ndjson"])],
    ["empty standard input", () => screen(["--format", "json"], { input: "" })],
    ["empty standard input as -", () => screen(["-"], { input: "" })],
    ["only blank lines on standard input", () => screen(["--format", "csv"], { input: "\n\n   \n" })],
    ["a BOM alone", () => screen(["-", "--format", "ndjson"], { input: "\uFEFF\n" })],
  ];
  for (const [name, run] of cases) {
    it(`${name} → exit 2 with a message, nothing on stdout`, async ({ expect }) => {
      const r = await run();
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^screen: .*no record/);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    });
  }
});

describe.concurrent("--format json", () => {
  it("a single-object file prints an object; an array, NDJSON or several files print an array", async ({ expect }) => {
    const [one, arr, nd, many] = await Promise.all([
      screen([fixture("eligible.json"), "--format", "json"]),
      screen([fixture("batch-array.json"), "--format", "json"]),
      screen([fixture("batch.ndjson"), "--format", "json"]),
      screen([fixture("eligible.json"), fixture("woman-childbearing.json"), "--format", "json"]),
    ]);
    expect(Array.isArray(JSON.parse(one.stdout))).toBe(false);
    expect(JSON.parse(arr.stdout).map(brief)).toEqual([
      { id: "SCR-0201", index: 0, verdict: "eligible" },
      { id: "SCR-0202", index: 1, verdict: "ineligible" },
      { id: "SCR-0203", index: 2, verdict: "incomplete" },
    ]);
    expect(JSON.parse(nd.stdout).map(brief)).toEqual(BATCH_NDJSON_EXPECTED);
    const m = JSON.parse(many.stdout);
    expect(Array.isArray(m)).toBe(true);
    expect(m.map(brief)).toEqual([
      { id: "SCR-0001", file: fixture("eligible.json"), verdict: "eligible" },
      { id: "SCR-0004", file: fixture("woman-childbearing.json"), verdict: "eligible" },
    ]);
    expect(many.code).toBe(0);
  });

  it("an array of one record is still an array", async ({ expect }) => {
    const run = await screen(["--format", "json"], { input: JSON.stringify([eligible()]) });
    const out = JSON.parse(run.stdout);
    expect(Array.isArray(out)).toBe(true);
    expect(out.map(brief)).toEqual([{ id: "SCR-0001", index: 0, verdict: "eligible" }]);
  });

  it("ndjson and json carry the same results; json is pretty-printed with two spaces", async ({ expect }) => {
    const [json, nd, one] = await Promise.all([
      screen([fixture("batch.ndjson"), "--format", "json"]),
      screen([fixture("batch.ndjson"), "--format", "ndjson"]),
      screen([fixture("incomplete.json"), "--format", "json"]),
    ]);
    const results = parseNdjson(nd.stdout);
    expect(JSON.parse(json.stdout)).toEqual(results);
    expect(json.stdout).toBe(JSON.stringify(results, null, 2) + "\n");
    expect(one.stdout).toBe(JSON.stringify(JSON.parse(one.stdout), null, 2) + "\n");
  });
});

describe.concurrent("--format csv: the screening log", () => {
  // The contract's thirteen columns (§3), then `index` for records read from a JSON array.
  const HEADER = "id,file,line,screenedAt,verdict,failed,unknown,errors,rulesVersion,rulesSha256,warnings,needs,screenedAtLocal,index";

  it("has the exact header, one row per record, RFC 4180 quoting", async ({ expect }) => {
    const tricky = withId(ineligible(), 'Smith, "Jo"');
    const input = ndjson([tricky, invalid(), "not json", withId(incomplete(), "plain")]);
    const [run, asJson] = await Promise.all([screen(["--format", "csv"], { input }), screen(["--format", "ndjson"], { input })]);
    expect(run.code).toBe(2);
    const results = parseNdjson(asJson.stdout);
    const firstLine = run.stdout.split(/\r?\n/)[0];
    expect(firstLine).toBe(HEADER);
    // the quoted id exactly as RFC 4180 writes it
    expect(run.stdout).toContain('"Smith, ""Jo""",,1,');
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toHaveLength(14);
    const header = rows[0]!;
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const [a, b, c, d] = rows.slice(1) as [string[], string[], string[], string[]];

    expect(col(a, "id")).toBe('Smith, "Jo"');
    expect(col(a, "line")).toBe("1");
    expect(col(a, "verdict")).toBe("ineligible");
    expect(col(a, "failed")).toBe("INC-05 INC-07 INC-08 EXC-02");
    expect(col(a, "unknown")).toBe("");
    expect(col(a, "errors")).toBe("");
    expect(col(a, "screenedAt")).toBe("2026-11-24T01:00:00.000Z");
    expect(col(a, "rulesVersion")).toMatch(/^\d+\.\d+\.\d+/);
    expect(col(a, "rulesSha256")).toMatch(/^[0-9a-f]{64}$/);

    // invalid record: its messages as `path: message`, joined by "; "
    expect(col(b, "id")).toBe("SCR-0006");
    expect(col(b, "verdict")).toBe("error");
    expect(col(b, "failed")).toBe("");
    expect(col(b, "screenedAt")).toBe("");
    const errors: { path: string; message: string }[] = results[1].errors;
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(col(b, "errors")).toBe(errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    expect(col(b, "errors")).toMatch(/(^|; )stroke\.nihss: expected/);
    expect(col(b, "errors")).toMatch(/; stroke\.nihss: |; stroke\.onset: /);

    // malformed line: path "" → ": message"
    expect(col(c, "line")).toBe("3");
    expect(col(c, "verdict")).toBe("error");
    expect(col(c, "errors")).toMatch(/^: .*JSON/);

    expect(col(d, "id")).toBe("plain");
    expect(col(d, "unknown")).toBe("INC-04 INC-08 EXC-02");
    // needs: every path the unknown criteria list, once each, space-separated
    const needed = [...new Set((results[3].criteria as { needs?: string[] }[]).flatMap((x) => x.needs ?? []))];
    expect(needed.length).toBeGreaterThan(0);
    expect(col(d, "needs")).toBe(needed.join(" "));
    expect(col(a, "needs")).toBe("");
    expect(col(a, "screenedAtLocal")).toBe("2026-11-24T09:00:00.000+08:00");
    expect(col(b, "screenedAtLocal")).toBe("");
  });

  it("carries each result's warnings (path: message; the message alone for the whole record) and an array's index", async ({ expect }) => {
    const record = { ...eligible(), history: { ...eligible().history, epilepsey: false } };
    delete (record as Record<string, unknown>).screenedAt;
    const input = JSON.stringify([eligible(), record]);
    // Both runs read one clock: the record has no screenedAt, and the warning says when "now" was.
    const now = Date.now();
    const [run, asJson] = await Promise.all([screen(["--format", "csv"], { input, now }), screen(["--format", "json"], { input, now })]);
    const rows = parseCsv(run.stdout);
    const header = rows[0]!;
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows.slice(1).map((r) => col(r, "index"))).toEqual(["0", "1"]);
    const warnings: { path: string; message: string }[] = JSON.parse(asJson.stdout)[1].warnings;
    expect(warnings.map((w) => w.path)).toEqual(expect.arrayContaining(["history.epilepsey", "screenedAt"]));
    expect(col(rows[2]!, "warnings")).toBe(warnings.map((w) => (w.path ? `${w.path}: ${w.message}` : w.message)).join("; "));
    expect(col(rows[2]!, "warnings")).toMatch(/history\.epilepsey: .*did you mean/);
    expect(col(rows[1]!, "warnings")).toBe("");
  });

  it("fills `file` for several files and leaves `line` empty for single-object files", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), fixture("batch.ndjson"), "--format", "csv"]);
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(1 + 1 + 5);
    expect(rows[1]!.slice(0, 3)).toEqual(["SCR-0001", fixture("eligible.json"), ""]);
    expect(rows[5]!.slice(0, 3)).toEqual(["", fixture("batch.ndjson"), "4"]);
    expect(rows.slice(1).map((r) => r[4])).toEqual(["eligible", "eligible", "ineligible", "incomplete", "error", "eligible"]);
  });

  it("quotes a field holding a line break", async ({ expect }) => {
    const run = await screen(["--format", "csv"], { input: JSON.stringify(withId(eligible(), "two\nlines")) });
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe("two\nlines");
  });
});

describe.concurrent("--summary", () => {
  // A known batch of 11: 3 eligible, 4 ineligible (INC-05 ×3, INC-07 ×2, INC-08 ×2, EXC-02 ×2, EXC-15 ×1), 2 incomplete, 2 invalid.
  const noNihss = withId(eligible(), "LOW-NIHSS");
  noNihss.stroke = { ...noNihss.stroke, nihss: 3 };
  const known = [
    eligible(),
    ineligible(),
    incomplete(),
    fixtureRecord("woman-childbearing.json"),
    fixtureRecord("woman-no-contraception.json"),
    invalid(),
    "{ not json",
    ineligible(),
    noNihss,
    fixtureRecord("onset-date-only.json"),
    eligible(),
  ];

  it("counts screened / eligible / ineligible / incomplete / invalid and failing criteria, on stderr", async ({ expect }) => {
    const run = await screen(["--format", "ndjson", "--summary"], { input: ndjson(known) });
    expect(run.code).toBe(2);
    expect(parseNdjson(run.stdout)).toHaveLength(known.length); // stdout stays pure NDJSON
    const s = run.stderr;
    expect(s).toMatch(/Screened 11: 3 eligible, 4 ineligible, 2 incomplete, 2 invalid/);
    const count = (id: string) => Number(new RegExp(`^\\s*(\\d+)\\s+${id}\\b`, "m").exec(s)?.[1]);
    expect(count("INC-05")).toBe(3);
    expect(count("INC-07")).toBe(2);
    expect(count("INC-08")).toBe(2);
    expect(count("EXC-02")).toBe(2);
    expect(count("EXC-15")).toBe(1);
    expect(s).not.toMatch(/^\s*\d+\s+INC-01\b/m);
    // most frequent first
    expect(s.indexOf("INC-05")).toBeLessThan(s.indexOf("INC-07"));
    expect(s.indexOf("INC-07")).toBeLessThan(s.indexOf("EXC-15"));
    // missing fields of the incomplete records
    expect(s).toMatch(/stroke\.aspects/);
    expect(s).toMatch(/stroke\.onset/);
  });

  it("goes to stderr with --output too, and nothing goes to stdout", async ({ expect }) => {
    const out = tmp.path("summary.csv");
    const run = await screen(["--format", "csv", "--summary", "-o", out], { input: ndjson(known) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/Screened 11: 3 eligible, 4 ineligible, 2 incomplete, 2 invalid/);
    expect(parseCsv(readFileSync(out, "utf8"))).toHaveLength(12);
  });

  it("--format text --summary prints each report and then the summary", async ({ expect }) => {
    const run = await screen([fixture("batch.ndjson"), "--summary"]);
    expect(run.code).toBe(2);
    for (const id of ["SCR-0101", "SCR-0102", "SCR-0103", "SCR-0105"]) expect(run.stdout).toContain(id);
    expect(run.stdout).toMatch(/line 4/);
    const summary = run.stdout.indexOf("Screened 5: 2 eligible, 1 ineligible, 1 incomplete, 1 invalid");
    expect(summary).toBeGreaterThan(run.stdout.indexOf("SCR-0105"));
  });
});

describe.concurrent("--output FILE", () => {
  it("writes the file, nothing to stdout, and the same bytes stdout would have had", async ({ expect }) => {
    const dir = tempDir();
    try {
      const out = dir.path("results.ndjson");
      const [toFile, toStdout] = await Promise.all([
        screen([fixture("batch.ndjson"), "--format", "ndjson", "--output", out]),
        screen([fixture("batch.ndjson"), "--format", "ndjson"]),
      ]);
      expect(toFile.code).toBe(2);
      expect(toFile.stdout).toBe("");
      expect(readFileSync(out, "utf8")).toBe(toStdout.stdout);
      expect(readdirSync(dir.dir)).toEqual(["results.ndjson"]); // no temp file left
    } finally {
      dir.cleanup();
    }
  });

  it("replaces an existing file; -o works for json and csv", async ({ expect }) => {
    const dir = tempDir();
    try {
      const out = dir.write("log.csv", "old content\n");
      const run = await screen([fixture("eligible.json"), "--format", "csv", "-o", out]);
      expect(run.code).toBe(0);
      expect(readFileSync(out, "utf8").split("\r\n")[1]).toMatch(/^SCR-0001,/);
      const outJson = dir.path("one.json");
      await screen([fixture("eligible.json"), "--format", "json", "-o", outJson]);
      expect(JSON.parse(readFileSync(outJson, "utf8")).id).toBe("SCR-0001");
      expect(readdirSync(dir.dir).sort()).toEqual(["log.csv", "one.json"]);
    } finally {
      dir.cleanup();
    }
  });

  it("empty input with --output leaves no file behind", async ({ expect }) => {
    const dir = tempDir();
    try {
      const run = await screen(["--format", "ndjson", "-o", dir.path("x.ndjson")], { input: "\n" });
      expect(run.code).toBe(2);
      expect(readdirSync(dir.dir)).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });

  it("an output path in a missing directory → exit 2 with a message", async ({ expect }) => {
    const run = await screen([fixture("eligible.json"), "-o", tmp.path("no/such/dir/out.txt")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`screen: cannot write ${tmp.path("no/such/dir/out.txt")}: no such directory ${tmp.path("no/such/dir")}\n`);
  });

  it("an output path that is a directory → exit 2 naming it, the directory untouched", async ({ expect }) => {
    const dir = tmp.path("out-dir");
    mkdirSync(dir);
    const before = readdirSync(dir);
    const run = await screen([fixture("eligible.json"), "-o", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`screen: cannot write ${dir}: it is a directory\n`);
    expect(readdirSync(dir)).toEqual(before);
  });
});

describe("big inputs: atomic --output, closed pipes", () => {
  const N = 20_000;
  let big: string;
  beforeAll(() => {
    big = tmp.write("big.ndjson", bigNdjson(N));
  });

  /** Starts a run writing to `out`, waits until its temp file holds data, then sends `signal`. */
  async function killMidway(signal: NodeJS.Signals, dir: string, out: string, viaStdin: boolean) {
    const args = viaStdin ? [BIN, "-", "--format", "ndjson", "-o", out] : [BIN, big, "--format", "ndjson", "-o", out];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stdin.on("error", () => {});
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on("close", (code, sig) => res({ code, signal: sig })));
    if (viaStdin) {
      // Half of the big input, and the pipe stays open: the run cannot finish before the signal.
      child.stdin.write(bigNdjson(N / 2));
    } else child.stdin.end();

    let sawTemp = false;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const temp = readdirSync(dir).find((f) => f !== "out.ndjson");
      let size = 0;
      try {
        size = temp ? statSync(`${dir}/${temp}`).size : 0;
      } catch {
        // gone between the listing and the stat: look again
      }
      if (size > 0) {
        sawTemp = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill(signal);
    const result = await exited;
    if (viaStdin) child.stdin.destroy();
    return { ...result, sawTemp, stderr, stdout };
  }

  for (const [signal, viaStdin, code] of [
    ["SIGINT", true, 130],
    ["SIGTERM", false, 143],
  ] as const) {
    it(`${signal} mid-way (${viaStdin ? "stdin" : "file"} input): no partial output, no temp file, an old file left intact`, async ({ expect }) => {
      const dir = tempDir();
      try {
        const out = dir.path("out.ndjson");
        writeFileSync(out, "previous complete output\n");
        const r = await killMidway(signal, dir.dir, out, viaStdin);
        expect(r.sawTemp, "the run was writing when killed").toBe(true);
        expect(r.code === code || r.signal === signal, `killed mid-way (code ${r.code}, signal ${r.signal})`).toBe(true);
        expect(r.code).not.toBe(0);
        expect(readdirSync(dir.dir)).toEqual(["out.ndjson"]);
        expect(readFileSync(out, "utf8")).toBe("previous complete output\n");
        expect(r.stderr).not.toMatch(STACK_TRACE);
        expect(r.stdout).toBe("");
      } finally {
        dir.cleanup();
      }
    });
  }

  it("SIGTERM mid-way with no earlier file: nothing at the output path at all", async ({ expect }) => {
    const dir = tempDir();
    try {
      const r = await killMidway("SIGTERM", dir.dir, dir.path("out.ndjson"), true);
      expect(r.sawTemp).toBe(true);
      expect(readdirSync(dir.dir)).toEqual([]);
      expect(existsSync(dir.path("out.ndjson"))).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  for (const format of ["ndjson", "csv", "json", "text"]) {
    it(`| head -1 (--format ${format}): exits quietly, no stack trace`, async ({ expect }) => {
      const run = await shell(`node bin/screen.js '${big}' --format ${format} | head -1`);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      const first = run.stdout.split("\n")[0]!;
      if (format === "ndjson") expect(JSON.parse(first).id).toBe("BIG-000001");
      if (format === "csv") expect(first).toMatch(/^id,file,line,/);
      expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    });
  }

  it("a closed pipe's exit code speaks for the results written: an ineligible first result is never exit 0", async ({ expect }) => {
    const first = JSON.stringify({ ...fixtureRecord("eligible.json"), id: "FIRST", stroke: { ...fixtureRecord("eligible.json").stroke, nihss: 2 } });
    const mixed = tmp.write("ineligible-first.ndjson", first + "\n" + bigNdjson(N));
    const run = await shell(`set -o pipefail; node bin/screen.js '${mixed}' --format ndjson | head -1; echo "exit=\${PIPESTATUS[0]}"`);
    expect(JSON.parse(run.stdout.split("\n")[0]!).verdict).toBe("ineligible");
    expect(run.stdout).toContain("exit=1");
    const eligibleOnly = await shell(`set -o pipefail; node bin/screen.js '${big}' --format ndjson | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`);
    expect(eligibleOnly.stdout).toContain("exit=0");
  });

  it("stdin piped from a big file through | head -1: quiet too", async ({ expect }) => {
    const run = await shell(`cat '${big}' | node bin/screen.js --format ndjson | head -1; cat '${big}' | node bin/screen.js - --format csv | head -1`);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const [nd, csv] = run.stdout.split(/\r?\n/);
    expect(JSON.parse(nd!).id).toBe("BIG-000001");
    expect(csv).toBe("id,file,line,screenedAt,verdict,failed,unknown,errors,rulesVersion,rulesSha256,warnings,needs,screenedAtLocal,index");
  });
});
