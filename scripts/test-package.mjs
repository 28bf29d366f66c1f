// `npm run test:package` (after `npm run package`, which it runs first): the two ways `screen` is
// distributed, tested as a user gets them. Not part of `npm test`, because it builds a 100 MB
// binary and installs the packed package; .ci/run runs it after `npm test`.
//
// 1. The single executable dist/sea/screen, copied alone into an empty directory and run with an
//    empty environment (no PATH, so no node), prints exactly what `node bin/screen.js` prints for
//    every fixture and format, exit codes and error messages included; its bedside mode runs in a
//    terminal (tmux, when installed).
// 2. The npm package: `npm pack`, then `npm install -g` of the tarball into a temporary prefix,
//    gives a `screen` that works and a library that imports.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = join(ROOT, "fixtures");
const WIN = process.platform === "win32";
const BUILT = join(ROOT, "dist", "sea", WIN ? "screen.exe" : "screen");
const { version, name } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const AS_OF = "2026-11-24T09:00:00+08:00";
const fixtures = readdirSync(FIXTURES).sort(); // README.md included: an input error must match too

const TMP = mkdtempSync(join(tmpdir(), "screen-package-"));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs a program with nothing inherited but what is given: the same clean start for both. */
function run(command, args, { env = {}, cwd = FIXTURES } = {}) {
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The machine's zone (TZ unset) is the same for both runs; an explicit one makes it certain.
const node = (args) => run(process.execPath, [join(ROOT, "bin", "screen.js"), ...args], { env: { TZ: "Asia/Shanghai" } });

describe("the single executable", () => {
  const dir = join(TMP, "sea");
  const exe = join(dir, WIN ? "screen.exe" : "screen");
  const sea = (args, env = { TZ: "Asia/Shanghai" }) => run(exe, args, { env });

  before(() => {
    assert.ok(existsSync(BUILT), `${BUILT} is missing: run \`npm run package\``);
    mkdirSync(dir, { recursive: true });
    copyFileSync(BUILT, exe); // alone in its directory: nothing beside it to read
  });

  it("screens a fixture from an empty environment (no PATH, no node)", () => {
    const r = sea(["eligible.json"], {});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^SCR-0001 {2}ELIGIBLE/);
    assert.equal(r.stderr, "");
  });

  for (const fixture of fixtures) {
    it(`prints what bin/screen.js prints for ${fixture} (--format json)`, () => {
      const args = [fixture, "--format", "json", "--as-of", AS_OF];
      const expected = node(args);
      // Not two equal failures: the reference screened the records (README.md is no record).
      if (fixture === "README.md") assert.equal(expected.status, 2);
      else assert.match(expected.stdout, /"verdict"/);
      assert.deepEqual(sea(args), expected);
    });
  }

  for (const format of ["text", "ndjson", "csv", "fhir", "html"]) {
    it(`prints what bin/screen.js prints for all record fixtures at once (--format ${format})`, () => {
      const args = [...fixtures.filter((f) => f !== "README.md"), "--format", format, "--as-of", AS_OF, "--summary", ...(format === "text" ? ["--verbose", "--explain-sources"] : [])];
      const expected = node(args);
      assert.ok(expected.stdout.length > 1000, "the reference run printed results");
      assert.deepEqual(sea(args), expected);
    });
  }

  it("screens in worker threads (--jobs) like bin/screen.js", () => {
    for (const format of ["ndjson", "csv", "json"]) {
      const args = [...fixtures.filter((f) => f !== "README.md"), "--format", format, "--as-of", AS_OF, "--jobs", "2"];
      const expected = node(args);
      assert.match(expected.stdout, /SCR-0101/);
      assert.deepEqual(sea(args), expected);
    }
  });

  it("makes the documents like bin/screen.js: the checklist (HTML, and PDF with its embedded font) and the report", () => {
    const docs = (runner, tag) => {
      const out = (name) => join(TMP, `${tag}-${name}`);
      const html = runner(["batch.ndjson", "sheet.csv", "--format", "html", "--as-of", AS_OF]);
      const pdf = runner(["batch.ndjson", "sheet.csv", "--format", "pdf", "-o", out("c.pdf"), "--as-of", AS_OF]);
      const report = runner(["batch.ndjson", "sheet.csv", "--format", "csv", "-o", out("log.csv"), "--report", out("r.html")]);
      const bytes = readFileSync(out("c.pdf")).toString("latin1");
      return {
        html,
        pdf: { status: pdf.status, stderr: pdf.stderr, pages: bytes.match(/\/Type \/Page\b/g)?.length, font: /\/FontFile2/.test(bytes) && /\/BaseFont \/[A-Z]{6}\+DejaVuSans/.test(bytes) },
        // The report says when it was made: the rest must match.
        report: { status: report.status, text: readFileSync(out("r.html"), "utf8").replace(/<tr><th scope="row">Generated<\/th><td>[^<]*<\/td><\/tr>/, "") },
      };
    };
    const expected = docs(node, "node");
    assert.match(expected.html.stdout, /^<!DOCTYPE html>/);
    assert.ok(expected.pdf.pages >= 8 && expected.pdf.font, "the reference PDF has a page or more per patient and the font");
    assert.deepEqual(docs(sea, "sea"), expected);
  });

  it("lists the criteria, prints the template, the version, the help, a completion script and colour like bin/screen.js", () => {
    for (const args of [["criteria"], ["criteria", "--format", "json"], ["template", "--format", "csv"], ["--version"], ["--help"], ["completion", "bash"], ["eligible.json", "--color", "always"], ["coverage", "fhir-bundle.json", "sheet.csv"]]) {
      assert.deepEqual(sea(args), node(args), args.join(" "));
    }
    assert.equal(sea(["--version"]).stdout, `${version}\n`);
  });

  it("reads a rules file given with --rules from disk, and refuses a broken one with exit 2", () => {
    const broken = join(TMP, "broken-rules.json");
    writeFileSync(broken, readFileSync(join(ROOT, "rules", "NCT07232563.json"), "utf8").replace('"op": "ge"', '"op": "greater"'));
    const r = sea(["--rules", broken, "eligible.json"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid rules file .*broken-rules\.json/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.deepEqual(r, node(["--rules", broken, "eligible.json"]));
  });

  it("runs the bedside mode in a terminal", { skip: !hasTmux() && "tmux is not installed" }, async () => {
    const work = join(TMP, "tty");
    mkdirSync(work, { recursive: true });
    copyFileSync(join(FIXTURES, "incomplete.json"), join(work, "incomplete.json"));
    const socket = `screen-package-${process.pid}`;
    const tmux = (...args) => execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
    const line = `env -i TERM=xterm TZ=Asia/Shanghai '${exe}' --interactive incomplete.json --as-of ${AS_OF} --no-color; echo "[exit $?]"; sleep 60`;
    tmux("new-session", "-d", "-s", "sea", "-x", "150", "-y", "50", "-c", work, line);
    const screenShows = async (text) => {
      for (let i = 0; i < 100; i++) {
        const pane = tmux("capture-pane", "-p", "-t", "sea");
        if (pane.includes(text)) return pane;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`the terminal never showed ${JSON.stringify(text)}:\n${tmux("capture-pane", "-p", "-t", "sea")}`);
    };
    try {
      await screenShows("Resuming SCR-0003");
      await screenShows("ASPECTS");
      tmux("send-keys", "-t", "sea", "8", "Enter");
      await screenShows("decided 25/27");
      tmux("send-keys", "-t", "sea", "C-c");
      const pane = await screenShows("[exit 130]");
      assert.match(pane, /saved in .*screen-draft-/);
      const draft = readdirSync(work).find((f) => f.startsWith("screen-draft-"));
      assert.ok(draft, "the draft file was written");
      assert.equal(JSON.parse(readFileSync(join(work, draft), "utf8")).stroke.aspects, 8);
    } finally {
      spawnSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
    }
  });
});

function hasTmux() {
  return !WIN && spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
}

describe("the npm package", () => {
  const prefix = join(TMP, "prefix");
  const bin = WIN ? join(prefix, "screen.cmd") : join(prefix, "bin", "screen");
  const npm = (args, cwd = ROOT) => execFileSync(WIN ? "npm.cmd" : "npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  let tarball;
  before(() => {
    // dist/ is built already (npm run package ran the build): pack it as it is.
    const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", TMP]));
    tarball = join(TMP, packed.filename);
    npm(["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", tarball], TMP);
  });

  it("runs through npx, and says its version there too", () => {
    const npx = (args) => run(WIN ? "npx.cmd" : "npx", ["--yes", "--prefer-offline", "--package", tarball, "screen", ...args], { env: { ...process.env, TZ: "Asia/Shanghai" } });
    assert.equal(npx(["--version"]).stdout, `${version}\n`);
    const args = ["ineligible.json", "--format", "json"];
    const r = npx(args);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, node(args).stdout);
  });

  it("holds only what is needed: no binary, no sources, no tests", () => {
    const [packed] = JSON.parse(npm(["pack", "--dry-run", "--json", "--ignore-scripts"]));
    const paths = packed.files.map((f) => f.path);
    assert.ok(paths.includes("bin/screen.js") && paths.includes("rules/NCT07232563.json") && paths.includes("dist/verified-rules.json"));
    assert.deepEqual(
      paths.filter((p) => /^(src|test|scripts|fixtures|docs|dist\/sea)\//.test(p)),
      [],
    );
    assert.ok(packed.size < 2_000_000, `the tarball is ${packed.size} bytes`);
    // Compiled output only for sources that exist (no leftovers of moved files).
    const stale = paths.filter((p) => /^dist\/(?!bundle\/).*\.js$/.test(p) && !existsSync(join(ROOT, p.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"))));
    assert.deepEqual(stale, []);
  });

  it("installs a working `screen` that prints what bin/screen.js prints", () => {
    // The installed command runs under node: PATH must find it (env -i would not), nothing else.
    const env = { PATH: `${join(process.execPath, "..")}${WIN ? ";" : ":"}/usr/bin:/bin`, TZ: "Asia/Shanghai" };
    const installed = (args) => run(bin, args, { env });
    for (const args of [["eligible.json"], ["batch.ndjson", "--format", "json", "--as-of", AS_OF], ["sheet.csv", "fhir-bundle.json", "--format", "csv"], ["criteria"], ["batch.ndjson", "--jobs", "2", "--format", "ndjson"]]) {
      assert.deepEqual(installed(args), node(args), args.join(" "));
    }
    assert.equal(installed(["--version"]).stdout, `${version}\n`);
  });

  it("writes the PDF checklist with the font of its installed dependency", () => {
    const env = { PATH: `${join(process.execPath, "..")}${WIN ? ";" : ":"}/usr/bin:/bin`, TZ: "Asia/Shanghai" };
    const out = join(TMP, "installed.pdf");
    const r = run(bin, ["eligible.json", "--format", "pdf", "-o", out], { env });
    assert.equal(r.status, 0, r.stderr);
    const bytes = readFileSync(out).toString("latin1");
    assert.ok(bytes.startsWith("%PDF-") && /\/BaseFont \/[A-Z]{6}\+DejaVuSans/.test(bytes));
  });

  it("is importable as a library", () => {
    const lib = join(prefix, WIN ? "" : "lib", "node_modules");
    const script = join(lib, "..", "probe.mjs");
    writeFileSync(
      script,
      `import { loadRules, screen } from "${name}";\nimport { readFileSync } from "node:fs";\n` +
        `const r = screen(JSON.parse(readFileSync(${JSON.stringify(join(FIXTURES, "ineligible.json"))}, "utf8")), loadRules());\n` +
        `console.log(r.verdict, r.failed.join(","));\n`,
    );
    assert.equal(execFileSync(process.execPath, [script], { encoding: "utf8" }), "ineligible INC-05,INC-07,INC-08,EXC-02\n");
  });
});
