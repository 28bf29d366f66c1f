// Runs after tsc. Validates the trial's rules file (a broken one fails the build), records its
// sha256 as verified, and bundles the CLI into dist/bundle/ so a single run loads a few files
// instead of hundreds (cold start). The interactive mode stays a separate, lazily loaded chunk.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { DEFAULT_RULES_PATH, loadRules } from "../dist/index.js";
import { coreChunk } from "./core-chunk.mjs";

// The text itself is kept beside its sha256: a run compares text instead of hashing (src/rules/compile.ts).
const rules = loadRules();
const verified = [{ sha256: rules.meta.sha256, text: readFileSync(DEFAULT_RULES_PATH, "utf8") }];
writeFileSync(new URL("../dist/verified-rules.json", import.meta.url), JSON.stringify(verified) + "\n");

// esbuild names chunks by content hash and never deletes old ones: start from an empty directory,
// so dist/ (and the published package) holds only the chunks this build refers to.
rmSync(new URL("../dist/bundle/", import.meta.url), { recursive: true, force: true });

const common = {
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  keepNames: false,
  legalComments: "none",
  // pdfmake (for --format pdf) stays a package of its own, loaded from node_modules when a PDF is
  // asked for: bundled, its font engine would look for its data files beside the bundle.
  external: ["pdfmake"],
  logLevel: "warning",
  // --version prints this, however the package is started (src/cli/version.ts).
  define: { __SCREEN_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version) },
  // Bundled CommonJS code (commander) requires Node's built-ins: process.getBuiltinModule (Node
  // 20.16+) gives them without making a require() per chunk (≈ 0.4 ms for the first); anything
  // else, and older Node, goes through a real one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = (id) => process.getBuiltinModule?.(id) ?? __cr(import.meta.url)(id);" },
};

// The CLI: main.js and one chunk of start-up code (core-chunk.mjs), the rest loaded when needed.
await build({ ...common, entryPoints: { main: "src/cli/main.ts" }, plugins: [coreChunk(fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)), fileURLToPath(new URL("../src/", import.meta.url)))] });
// The worker of --jobs, loaded by file: built on its own, so that the code it shares with the CLI
// does not split the CLI's start-up chunk in two (a worker is a separate heap; nothing is shared at run time).
await build({ ...common, entryPoints: { "screen-worker": "src/batch/screen-worker.ts" }, });
