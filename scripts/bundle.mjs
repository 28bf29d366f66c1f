// Bundles the CLI into dist/bundle/ so a single run loads a few files instead of hundreds
// (cold start). The interactive mode stays a separate chunk, loaded only when asked for.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/run.ts"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: false,
  legalComments: "none",
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
