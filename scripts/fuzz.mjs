#!/usr/bin/env node
// Long fuzz run: the test suite's properties, for as many runs as you like.
//
//   npm run fuzz -- --runs 1000000                 all properties, 1 000 000 runs each
//   npm run fuzz -- --runs 200000 --seed 42        reproducible
//   npm run fuzz -- --only oracle,hostile          some properties
//
// Properties (see docs/reliability.md):
//   oracle    engine = independent oracle (test/oracle.ts) on generated, boundary-heavy records
//   hostile   the same with any JSON value put at any path of the record
//   anything  any JavaScript value at any path of an eligible record: a well-formed result, no exception
//   missing   deleting any one path of an eligible record never leaves it eligible unless the oracle agrees
//   structure the quick structural check (the record walk, src/record/walk.ts) says "valid" only where the zod
//             schema does, and exactly where it does for JSON records
//
// Screens with the built library (dist/index.js; `npm run fuzz` builds first). The generators and the
// oracle are the tests' own TypeScript (test/helpers/arbitraries.ts, test/oracle.ts), transpiled
// here into a temporary directory that is removed at the end.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { loadRules, screen } from "../dist/index.js";
import { readerFor } from "../dist/screen.js";

const ALL = ["oracle", "hostile", "anything", "missing", "structure"];

function parseArgs(argv) {
  const opts = { runs: 100_000, seed: Date.now() % 2 ** 31, only: ALL, chunk: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--runs") opts.runs = Number(value());
    else if (flag === "--seed") opts.seed = Number(value());
    else if (flag === "--only") opts.only = value().split(",");
    else if (flag === "--chunk") opts.chunk = Number(value());
    else if (flag === "--help" || flag === "-h") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n"));
      process.exit(0);
    } else {
      console.error(`fuzz: unknown option ${argv[i]} (try --help)`);
      process.exit(2);
    }
  }
  if (!Number.isSafeInteger(opts.runs) || opts.runs < 1) fail(`--runs must be a positive integer`);
  if (!Number.isSafeInteger(opts.seed)) fail(`--seed must be an integer`);
  for (const p of opts.only) if (!ALL.includes(p)) fail(`unknown property ${p} (one of ${ALL.join(", ")})`);
  return opts;
}

function fail(message) {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

/** Transpiles the tests' generators and oracle (no type check) into `dir`, keeping their layout. */
async function loadTestHelpers(dir) {
  const root = fileURLToPath(new URL("../test/", import.meta.url));
  const fastCheck = import.meta.resolve("fast-check");
  for (const rel of ["oracle.ts", "helpers/arbitraries.ts"]) {
    const source = readFileSync(join(root, rel), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: rel,
    });
    const out = join(dir, rel.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText.replaceAll(/from ["']fast-check["']/g, `from ${JSON.stringify(fastCheck)}`));
  }
  const oracle = await import(pathToFileURL(join(dir, "oracle.js")).href);
  const arbitraries = await import(pathToFileURL(join(dir, "helpers/arbitraries.js")).href);
  return { ...oracle, ...arbitraries };
}

const opts = parseArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), "screen-fuzz-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
process.on("SIGINT", () => process.exit(130));
const h = await loadTestHelpers(work);
const rules = loadRules();
const run = (record, asOf) => screen(record, rules, { timeZone: "UTC", ...(asOf !== undefined ? { asOf } : {}) });

/** "" when engine and oracle agree on the verdict, failed, unknown and every outcome. */
function disagreement(record, asOf) {
  const engine = run(record, asOf);
  const expected = h.oracle(record, asOf);
  if (expected === "error") return engine.verdict === "error" ? "" : `oracle: error (${h.oracleWhy(record, asOf)}), engine: ${engine.verdict}`;
  if (engine.verdict === "error") return `oracle: ${expected.verdict}, engine: error ${JSON.stringify(engine.errors)}`;
  const diffs = [];
  if (engine.verdict !== expected.verdict) diffs.push(`verdict ${engine.verdict} vs ${expected.verdict}`);
  for (const c of engine.criteria) if (c.outcome !== expected.outcomes[c.id]) diffs.push(`${c.id}: engine ${c.outcome} (${c.reason}), oracle ${expected.outcomes[c.id]}`);
  if (String(engine.failed) !== String(expected.failed)) diffs.push(`failed ${engine.failed} vs ${expected.failed}`);
  if (String(engine.unknown) !== String(expected.unknown)) diffs.push(`unknown ${engine.unknown} vs ${expected.unknown}`);
  return diffs.join("; ");
}

function must(ok, message) {
  if (!ok) throw new Error(message());
}

const anything = fc.anything({
  withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
  withObjectString: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true,
});

const reader = readerFor(rules);
const zodValid = (record) => reader.schema().safeParse(record).success;

const properties = {
  structure: () =>
    fc.property(h.recordArb, h.hostilePathArb, fc.oneof(h.hostileJsonArb, anything), fc.boolean(), ({ record }, path, value, mutate) => {
      const mutated = mutate ? h.setPath(record, path, value) : record;
      const quick = reader.valid(mutated);
      if (quick) must(zodValid(mutated), () => `quick check valid, zod not: ${path} = ${String(value)}`);
      let json;
      try {
        json = JSON.parse(JSON.stringify(mutated) ?? "null");
      } catch {
        return; // BigInt and the like: no JSON form
      }
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        must(reader.valid(json) === zodValid(json), () => `quick check and zod disagree on ${JSON.stringify(json).slice(0, 2000)}`);
      }
    }),
  oracle: () =>
    fc.property(h.recordArb, ({ record, asOf }) => {
      const d = disagreement(record, asOf);
      must(!d, () => `${d}\nrecord: ${JSON.stringify(record)}\nasOf: ${asOf}`);
    }),
  hostile: () =>
    fc.property(h.recordArb, h.hostilePathArb, h.hostileJsonArb, ({ record, asOf }, path, value) => {
      const mutated = h.setPath(record, path, h.clone(value === undefined ? null : value));
      const d = disagreement(mutated, asOf);
      must(!d, () => `${d}\nrecord: ${JSON.stringify(mutated)}\nasOf: ${asOf}`);
    }),
  anything: () =>
    fc.property(h.eligibleArb, h.hostilePathArb, fc.oneof(h.hostileJsonArb, anything), ({ record }, path, value) => {
      const result = run(h.setPath(record, path, value));
      const problems = h.resultProblems(result);
      must(problems.length === 0, () => `${problems.join("; ")}\npath ${path}`);
      must(({}).polluted === undefined, () => "Object.prototype polluted");
    }),
  missing: () =>
    fc.property(
      h.eligibleArb.chain((c) => fc.constantFrom(...h.allPaths(c.record)).map((path) => ({ ...c, path }))),
      ({ record, path }) => {
        const without = h.deletePath(record, path);
        const result = run(without);
        const expected = h.oracle(without);
        must(result.verdict !== "eligible" || (expected !== "error" && expected.verdict === "eligible"), () => `deleted ${path}: engine eligible, oracle ${expected === "error" ? "error" : expected.verdict}\n${JSON.stringify(record)}`);
        must((expected === "error") === (result.verdict === "error") && (expected === "error" || expected.verdict === result.verdict), () => `deleted ${path}: engine ${result.verdict}, oracle ${expected === "error" ? "error" : expected.verdict}\n${JSON.stringify(record)}`);
      },
    ),
};

console.log(`fuzz: ${opts.runs} runs each of ${opts.only.join(", ")}; seed ${opts.seed}`);
let failed = false;
for (const name of opts.only) {
  const started = Date.now();
  let done = 0;
  let chunkIndex = 0;
  while (done < opts.runs) {
    const numRuns = Math.min(opts.chunk, opts.runs - done);
    const seed = (opts.seed + chunkIndex * 7919) % 2 ** 31;
    const details = fc.check(properties[name](), { numRuns, seed });
    if (details.failed) {
      failed = true;
      console.error(`\n${name}: FAILED after ${done + details.numRuns} runs (chunk seed ${seed}, path ${details.counterexamplePath})`);
      console.error(`reproduce: npm run fuzz -- --only ${name} --runs ${numRuns} --seed ${seed} --chunk ${numRuns}`);
      console.error(String(details.errorInstance?.message ?? details.error).slice(0, 20_000));
      break;
    }
    done += numRuns;
    chunkIndex++;
    const rate = Math.round(done / ((Date.now() - started) / 1000));
    process.stdout.write(`\r${name}: ${done}/${opts.runs} runs passed (${rate}/s)   `);
  }
  if (!failed) process.stdout.write(`\r${name}: ${opts.runs} runs passed in ${((Date.now() - started) / 1000).toFixed(1)} s            \n`);
  if (failed) break;
}
process.exitCode = failed ? 1 : 0;
