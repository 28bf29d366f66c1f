/**
 * An esbuild plugin that keeps the CLI's start-up code in one chunk.
 *
 * esbuild splits code by which entry points reach it, and treats every `import()` target as an
 * entry point: a module that main.ts imports and that, say, the sheet reader also imports lands in
 * a chunk shared by those two, another module in a chunk shared by main and the FHIR adapter, and
 * so on — a one-record run loaded 16 files, each resolved, read and linked in turn (≈ 0.3 ms each).
 * Every such target is only ever loaded after main.ts has run, so making each one also import
 * main.ts costs nothing at run time and gives every module main.ts reaches the same set of
 * importers: esbuild then puts them all in one chunk. (Rollup does this by itself; esbuild does not.)
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

export function coreChunk(mainPath) {
  const targets = new Set();
  return {
    name: "core-chunk",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== "dynamic-import" || args.pluginData?.coreChunk) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { coreChunk: true } });
        if (!resolved.errors.length && !resolved.external) targets.add(resolved.path);
        return resolved;
      });
      build.onLoad({ filter: /\.(ts|js|mjs)$/ }, ({ path }) => {
        if (!targets.has(path)) return undefined;
        const contents = `${readFileSync(path, "utf8")}\nimport ${JSON.stringify(mainPath)};\n`;
        return { contents, loader: path.endsWith(".ts") ? "ts" : "js", resolveDir: dirname(path) };
      });
    },
  };
}
