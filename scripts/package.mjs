// `npm run package`: builds dist/sea/screen (screen.exe on Windows), a single executable for the
// machine it runs on, with Node's Single Executable Applications (Node 20: a preparation blob made
// by `node --experimental-sea-config`, injected into a copy of this node binary by postject).
// Runs after `npm run build`, which has validated the rules and written dist/verified-rules.json.
//
// The executable runs one CommonJS script that can require only node's built-in modules, so the
// CLI is bundled again here as a single self-contained CJS file: no splitting, the lazily imported
// parts (interactive mode, FHIR, CSV, the full rules check, pdfmake) inlined. The package's data
// files, the PDF fonts and the --jobs worker's script (bundled likewise) are embedded as assets and
// reached through src/text/data-files.ts: every module's import.meta.url is set to a file inside
// `<executable's directory>/screen.sea/dist/bundle/`, a directory that does not exist, so a package
// file's path maps to its asset key and no file beside the binary is read.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inject } from "postject";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const at = (...parts) => join(ROOT, ...parts);
const OUT = at("dist", "sea");
const EXE = join(OUT, process.platform === "win32" ? "screen.exe" : "screen");
// The fuse Node's binary carries for SEA (documented with the feature; the same in every release).
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

function step(what) {
  process.stderr.write(`package: ${what}\n`);
}

if (!existsSync(at("dist", "verified-rules.json"))) {
  process.stderr.write("package: run `npm run build` first (dist/verified-rules.json is missing)\n");
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(at("package.json"), "utf8"));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

// bin/screen.js stays the one process entry (signals, streams, the clock): bundled here with the
// CLI's source in place of the ESM bundle it imports.
const fromSource = {
  name: "cli-from-source",
  setup(b) {
    b.onResolve({ filter: /\/dist\/bundle\/main\.js$/ }, () => ({ path: at("src", "cli", "main.ts") }));
  },
};

/** Bundles `entry` into one self-contained CommonJS file, every import.meta.url set as above. */
async function bundleCjs(entry, outfile, plugins = []) {
  await build({
    entryPoints: [entry],
    plugins,
    outfile,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    define: { "import.meta.url": "__screenSeaUrl", __SCREEN_VERSION__: JSON.stringify(version) },
    banner: {
      // ESM code is strict; this CJS file must be too, and the directive must come first.
      js: '"use strict"; var __screenSeaUrl = require("node:url").pathToFileURL(require("node:path").join(require("node:path").dirname(process.execPath), "screen.sea", "dist", "bundle", "screen.cjs")).href;',
    },
  });
}

step("bundling bin/screen.js and the CLI (pdfmake included) into one CommonJS file, and the --jobs worker into another");
await bundleCjs(at("bin", "screen.js"), join(OUT, "screen.cjs"), [fromSource]);
await bundleCjs(at("src", "batch", "screen-worker.ts"), join(OUT, "screen-worker.cjs"));

// Asset key → file. Package files are keyed by their path in the package, as data-files.ts
// computes it (the worker by the path dist/bundle would give it); the PDF fonts, which come from
// a dependency, as fonts/<name>.
const resolveDependency = createRequire(import.meta.url).resolve;
const assets = {
  "rules/NCT07232563.json": at("rules", "NCT07232563.json"),
  "dist/verified-rules.json": at("dist", "verified-rules.json"),
  ...Object.fromEntries(readdirSync(at("rules", "mappings")).filter((f) => f.endsWith(".json")).map((f) => [`rules/mappings/${f}`, at("rules", "mappings", f)])),
  "dist/bundle/screen-worker.js": join(OUT, "screen-worker.cjs"),
  // The PDF checklist's two faces (src/report/pdf-checklist.ts reads them as fonts/<name>).
  ...Object.fromEntries(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((name) => [`fonts/${name}`, resolveDependency(`dejavu-fonts-ttf/ttf/${name}`)])),
};
const config = JSON.parse(readFileSync(at("scripts", "sea-config.template.json"), "utf8"));
delete config.$comment;
config.main = at(config.main);
config.output = at(config.output);
config.assets = assets;
writeFileSync(join(OUT, "sea-config.json"), JSON.stringify(config, null, 2) + "\n");

step(`preparing the blob (${Object.keys(assets).length} embedded files)`);
execFileSync(process.execPath, ["--experimental-sea-config", join(OUT, "sea-config.json")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });

step(`copying ${process.execPath} (node ${process.version}) and injecting the blob`);
copyFileSync(process.execPath, EXE);
chmodSync(EXE, 0o755);
// Linux: node's symbol tables and debug information are of no use at a bedside and weigh over a
// tenth of the binary; drop them when binutils' strip is there (SCREEN_SEA_STRIP=0 keeps them).
if (process.platform === "linux" && process.env.SCREEN_SEA_STRIP !== "0" && spawnSync("strip", ["--version"], { stdio: "ignore" }).status === 0) {
  execFileSync("strip", [EXE]);
}
// A signed binary must lose its signature before injection and be signed again after it.
if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", EXE]);
await inject(EXE, "NODE_SEA_BLOB", readFileSync(config.output), {
  sentinelFuse: FUSE,
  ...(process.platform === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
});
if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", EXE]);
if (process.platform === "win32") step("sign dist\\sea\\screen.exe with signtool before distributing it (see README)");

const mb = (statSync(EXE).size / 1e6).toFixed(1);
step(`built ${EXE} (${mb} MB, screen ${version}, node ${process.version}, ${process.platform}-${process.arch})`);
