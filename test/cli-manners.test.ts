/**
 * CLI manners and field safety: no lost input files, honest help, typos named as typos, options
 * that do not apply refused, colour on request, and what a terminal user is told.
 */
import { linkSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ANSI, fixture, fixtureRecord, screen, screenProcess, STACK_TRACE, tempDir } from "./helpers/cli.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("-o onto an input is refused, the input untouched", () => {
  const sheet = readFileSync(fixture("sheet.csv"));
  const record = readFileSync(fixture("eligible.json"));

  it.each([
    ["the same spelling", (p: string) => p],
    ["another spelling (./dir/../name)", (p: string) => p.replace(/\/([^/]+)$/, "/./x/../$1")],
  ])("%s", async (_name, spell) => {
    const input = tmp.write("sheet.csv", sheet);
    writeFileSync(tmp.path("x"), ""); // so that x/.. is not a path through a missing directory
    const run = await screen([input, "--format", "csv", "-o", spell(input)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is the input file .*nothing was written/);
    expect(readFileSync(input)).toEqual(sheet);
    expect(run.stdout).toBe("");
  });

  it("through a symlink and a hard link, and among several inputs", async () => {
    const input = tmp.write("e.json", record);
    symlinkSync(input, tmp.path("link.json"));
    linkSync(input, tmp.path("hard.json"));
    for (const out of [tmp.path("link.json"), tmp.path("hard.json")]) {
      const run = await screen([fixture("ineligible.json"), input, "--format", "json", "-o", out]);
      expect(run.code).toBe(2);
      expect(readFileSync(input)).toEqual(record);
    }
  });

  it("a relative -o resolved in the working directory", async () => {
    tmp.write("rel.json", record);
    const run = await screen(["rel.json", "-o", "rel.json"], { cwd: tmp.dir });
    expect(run.code).toBe(2);
    expect(readFileSync(tmp.path("rel.json"))).toEqual(record);
  });

  it("another output file is still written", async () => {
    const out = tmp.path("log.csv");
    const run = await screen([fixture("sheet.csv"), "--format", "csv", "-o", out]);
    expect(run.stderr).toBe("");
    expect(readFileSync(out, "utf8")).toMatch(/^id,file,line,/);
  });
});

describe("typos are named as typos, missing files plainly", () => {
  it.each([
    ["criterias", "criteria"],
    ["tempalte", "template"],
    ["aks", "ask"],
  ])("screen %s → unknown command, did you mean '%s', exit 2", async (typo, meant) => {
    const run = await screen([typo, "--format", "csv"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`unknown command '${typo}' (did you mean '${meant}'?)`);
    expect(run.stderr).not.toMatch(/INVALID RECORD/);
  });

  it("screen help <command> prints that command's help", async () => {
    const run = await screen(["help", "criteria"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: screen criteria/);
  });

  it("a missing single file in text format: one plain line on stderr", async () => {
    const run = await screen(["nosuch.json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("screen: cannot read nosuch.json: no such file\n");
  });

  it("in JSON formats a missing file keeps the contract's error result", async () => {
    const run = await screen(["nosuch.json", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)[0].errors[0]).toEqual({ path: "", message: "cannot read nosuch.json: no such file" });
  });

  it("a file with a bad UTF-8 byte: the error names the file, and a one-object file prints one object", async () => {
    const bad = tmp.write("bad.json", Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    const run = await screen([bad, "--format", "json"]);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(Array.isArray(result)).toBe(false);
    expect(result.errors[0].message).toContain(bad);
    expect(result.errors[0].message).toMatch(/not valid UTF-8/);
  });
});

describe("help lists what applies; what does not apply is refused", () => {
  it.each([
    ["template", ["--format", "--rules"]],
    ["ask", ["--save", "--time-zone", "--as-of", "--rules", "--color"]],
    ["criteria", ["--format", "--rules"]],
  ])("screen %s --help lists its options", async (command, options) => {
    const run = await screen([command, "--help"]);
    expect(run.code).toBe(0);
    for (const option of options) expect(run.stdout).toContain(option);
  });

  it.each([
    [["fixtures/eligible.json", "--format", "csv", "--explain-sources"], /--explain-sources applies to --format text only/],
    [["fixtures/eligible.json", "--format", "json", "--explain-sources"], /carries "sources" already/],
    [["fixtures/eligible.json", "--save", "x.json"], /--save applies to the bedside mode only/],
    [["fixtures/eligible.json", "--format", "json", "--verbose"], /--verbose applies to --format text only/],
    [["criteria", "--format", "csv"], /argument 'csv' is invalid/],
    [["criteria", "--summary"], /unknown option '--summary'/],
  ])("%j is refused, exit 2, nothing on stdout", async (args, message) => {
    const run = await screen(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("every refusal ends with the same usage hint", async () => {
    for (const args of [["--bogus"], ["--save", "x", "fixtures/eligible.json"], ["criterias"]]) {
      expect((await screen(args)).stderr).toMatch(/\(run 'screen --help' for usage\)\n$|run 'screen --help' for usage\)\n$/);
    }
  });

  it("options given before a subcommand still count (screen --format json criteria)", async () => {
    const run = await screen(["--format", "json", "criteria"]);
    expect(JSON.parse(run.stdout)).toHaveLength(27);
  });
});

describe("colour on request", () => {
  const ineligible = fixture("ineligible.json");
  it("--color always colours piped output; never and --no-color do not; auto follows the terminal", async () => {
    expect((await screen([ineligible, "--color", "always"])).stdout).toMatch(ANSI);
    expect((await screen([ineligible, "--color", "never"], { tty: true })).stdout).not.toMatch(ANSI);
    expect((await screen([ineligible, "--no-color"], { tty: true })).stdout).not.toMatch(ANSI);
    expect((await screen([ineligible], { tty: true, env: { NO_COLOR: undefined } })).stdout).toMatch(ANSI);
    expect((await screen([ineligible], { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    expect((await screen([ineligible], { env: { NO_COLOR: undefined } })).stdout).not.toMatch(ANSI);
  });

  it("FORCE_COLOR is honoured in auto mode", async () => {
    expect((await screen([ineligible], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } })).stdout).toMatch(ANSI);
    expect((await screen([ineligible], { tty: true, env: { NO_COLOR: undefined, FORCE_COLOR: "0" } })).stdout).not.toMatch(ANSI);
  });

  it("an unknown --color value is refused", async () => {
    const run = await screen([ineligible, "--color", "sometimes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are auto, always, never/);
  });
});

describe("what a terminal user is told", () => {
  it("after -o FILE on a terminal, one line says what was written; not when piped", async () => {
    const out = tmp.path("batch.csv");
    const run = await screen([fixture("batch.ndjson"), "--format", "csv", "-o", out], { tty: true });
    expect(run.stderr).toBe(`wrote 5 results to ${out}\n`);
    const piped = await screen([fixture("batch.ndjson"), "--format", "csv", "-o", out]);
    expect(piped.stderr).toBe("");
    const quiet = await screen([fixture("batch.ndjson"), "--format", "csv", "-o", out, "-q"], { tty: true });
    expect(quiet.stderr).toBe("");
  });

  it("the built command gives the same JSON as the in-process one", async () => {
    const args = [fixture("batch.ndjson"), "--format", "ndjson", "--as-of", "2026-11-24T09:00:00+08:00"];
    const [inProcess, real] = await Promise.all([screen(args), screenProcess(args)]);
    expect(real.stdout).toBe(inProcess.stdout);
    expect(real.code).toBe(inProcess.code);
    expect(fixtureRecord("eligible.json").id).toBe("SCR-0001");
  });
});
