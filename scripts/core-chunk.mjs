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
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Every .ts file under `dir`. */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/**
 * `mainPath`: the CLI's entry; `srcDir`: where the code that may `import()` lives. The targets are
 * found before anything is loaded (a module reached by a static import first must get its extra
 * import all the same, or the chunks would depend on the order esbuild happens to load files in).
 */
export function coreChunk(mainPath, srcDir) {
  const targets = new Set();
  return {
    name: "core-chunk",
    setup(build) {
      build.onStart(async () => {
        targets.clear();
        for (const file of sourceFiles(srcDir)) {
          for (const m of readFileSync(file, "utf8").matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) {
            const resolved = await build.resolve(m[1], { kind: "dynamic-import", importer: file, resolveDir: dirname(file) });
            if (!resolved.errors.length && !resolved.external) targets.add(resolved.path);
          }
        }
      });
      build.onLoad({ filter: /\.(ts|js|mjs)$/ }, ({ path }) => {
        if (!targets.has(path)) return undefined;
        const contents = `${readFileSync(path, "utf8")}\nimport ${JSON.stringify(mainPath)};\n`;
        return { contents, loader: path.endsWith(".ts") ? "ts" : "js", resolveDir: dirname(path) };
      });
    },
  };
}
