/**
 * `--jobs N`: records screened in worker threads give exactly the output of one process — the
 * same bytes in the same order, error results and line numbers in place, the same summary and
 * exit code — for a stream with bad lines and invalid records in the middle. Runs the BUILT
 * command (the worker is a file of the bundle), so `npm test` builds first.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture, screenProcess, tempDir } from "./helpers/cli.js";

const AS_OF = "2026-11-24T09:00:00+08:00";

/** ~300 lines: the batch fixture's records again and again, with damage sprinkled in. */
function mixedStream(): string {
  const good = readFileSync(fixture("batch.ndjson"), "utf8").split("\n").filter((l) => l.trim());
  const bad = [
    "{not json",
    '{"id":"DUP","stroke":{"nihss":3,"nihss":9}}',
    '{"id":"BAD","screenedAt":"2026-11-24T09:00:00+08:00","stroke":{"nihss":"nine"}}',
    "[1,2]",
    "",
    "null",
    '{"id":"INEXACT","labs":{"inr":{"value":1.70000000000000001}}}',
  ];
  const lines: string[] = [];
  for (let i = 0; lines.length < 300; i++) {
    lines.push(good[i % good.length]!);
    if (i % 11 === 5) lines.push(bad[(i / 11) % bad.length | 0]!);
  }
  return lines.join("\n") + "\n";
}

describe("--jobs 2 equals one process", () => {
  const input = mixedStream();

  for (const format of ["ndjson", "csv", "json", "text"]) {
    it(`--format ${format} --summary: same stdout, stderr and exit code`, async () => {
      const args = ["-", "--format", format, "--summary", "--as-of", AS_OF, "--time-zone", "Asia/Shanghai"];
      const one = await screenProcess(args, { input, timeoutMs: 60_000 });
      const two = await screenProcess([...args, "--jobs", "2"], { input, timeoutMs: 60_000 });
      expect(two.stderr).toBe(one.stderr);
      expect(two.code).toBe(one.code);
      expect(two.stdout).toBe(one.stdout);
      // Not vacuous: the stream holds error results in the middle, with their line numbers.
      if (format === "ndjson") {
        const results = two.stdout.trim().split("\n").map((l) => JSON.parse(l));
        const errors = results.filter((r) => r.verdict === "error");
        expect(errors.length).toBeGreaterThan(10);
        expect(results.map((r) => r.line)).toEqual([...results.map((r) => r.line)].sort((a, b) => a - b));
        expect(errors[0].line).toBeLessThan(results[results.length - 1].line);
      }
    }, 120_000);
  }

  // NDJSON goes to the workers in blocks of whole lines (batch/blocks.ts). Small blocks put bad
  // lines, blank lines, CRLF, invalid UTF-8 and a line longer than a block on many boundaries.
  it("blocks of any size: the same bytes, line numbers and summary as one process", async () => {
    const nasty = Buffer.concat([
      Buffer.from(input.replace(/\n/g, (nl, at: number) => (at % 7 === 0 ? "\r\n" : nl)) + "\n\n"),
      Buffer.from('{"id":"LATIN1","demographics":{"sex":"'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('"}}\n' + '{"id":"LONG","notes":"' + "x".repeat(5000) + '"}\n{broken\n'),
      // A FHIR Bundle on a line of its own, past the first block: the worker adapts it as the reader would.
      Buffer.from(JSON.stringify(JSON.parse(readFileSync(fixture("fhir-bundle.json"), "utf8"))) + "\n"),
      Buffer.from(input.split("\n").slice(0, 40).join("\n")), // the last line has no newline
    ]);
    const args = ["-", "--format", "ndjson", "--summary", "--as-of", AS_OF, "--time-zone", "Asia/Shanghai"];
    const one = await screenProcess(args, { input: nasty, timeoutMs: 60_000 });
    expect(one.stdout).toContain('"line":'); // results carry their line numbers
    for (const size of ["700", "1600", "9000"]) {
      const two = await screenProcess([...args, "--jobs", "2"], { input: nasty, env: { SCREEN_BLOCK_BYTES: size }, timeoutMs: 60_000 });
      expect(two.stdout, `blocks of ${size} bytes`).toBe(one.stdout);
      expect(two.stderr, `blocks of ${size} bytes`).toBe(one.stderr);
      expect(two.code, `blocks of ${size} bytes`).toBe(one.code);
    }
    const results = one.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id?: string; line: number; verdict: string });
    // The long line (over every block size) is read whole, in its place.
    const long = results.findIndex((r) => r.id === "LONG");
    expect(results[long]!.line).toBe(results[long - 1]!.line + 1);
    expect(results.filter((r) => r.verdict === "error" && /UTF-8/.test(JSON.stringify(r))).length).toBe(1);
    expect(one.stdout).toContain('"sources":'); // the Bundle's patient, with where its values came from
  }, 120_000);

  it("--jobs auto and -o FILE (written atomically) give the same file as one process", async () => {
    const tmp = tempDir();
    try {
      const inputFile = tmp.write("in.ndjson", input);
      const a = await screenProcess([inputFile, "--format", "ndjson", "--as-of", AS_OF, "-o", tmp.path("one.ndjson")], { timeoutMs: 60_000 });
      const b = await screenProcess([inputFile, "--format", "ndjson", "--as-of", AS_OF, "-o", tmp.path("auto.ndjson"), "--jobs", "auto"], { timeoutMs: 60_000 });
      expect(b.code).toBe(a.code);
      expect(readFileSync(tmp.path("auto.ndjson"), "utf8")).toBe(readFileSync(tmp.path("one.ndjson"), "utf8"));
    } finally {
      tmp.cleanup();
    }
  }, 120_000);

  it("sheets and FHIR Bundles (records with sources, warnings and cell notes) too", async () => {
    for (const file of ["test/fixtures/csv/wrong-types.csv", "test/fixtures/csv/blank-cells.csv", "fixtures/fhir-bundle.json"]) {
      const args = [file, "--format", "ndjson", "--as-of", AS_OF];
      const one = await screenProcess(args, { timeoutMs: 60_000 });
      const two = await screenProcess([...args, "--jobs", "2"], { timeoutMs: 60_000 });
      expect(two.stdout, file).toBe(one.stdout);
      expect(two.stderr, file).toBe(one.stderr);
      expect(two.code, file).toBe(one.code);
    }
  }, 120_000);

  it("a bad --jobs is bad usage, before any input is read", async () => {
    const run = await screenProcess(["-", "--jobs", "0"], { input: "{}\n" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--jobs needs a whole number from 1 to 256, or auto");
    expect(run.stdout).toBe("");
  });
});
