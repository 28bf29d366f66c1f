/**
 * Reading the data files the package ships (the rules, the mapping tables, the build's list of
 * verified rules, the PDF fonts, the --jobs worker's script) wherever the program runs: from the
 * file system, or, in the single executable (`npm run package`, Node's SEA), from the assets
 * embedded in the binary, so that it reads no file beside itself.
 *
 * Callers name package files as they always have, by a path relative to their own module
 * (`new URL("../../rules/…", import.meta.url)`). The SEA bundle gives every module an
 * `import.meta.url` inside a directory that does not exist (`<executable's directory>/screen.sea/…`,
 * see scripts/package.mjs), so a package file's path there is `screen.sea/<its path in the package>`,
 * which is also its asset key; any other path (a user's --rules file) is read from disk as usual.
 *
 * This module sits two folders below the package root in src/, dist/ and dist/bundle/ alike, which
 * is what makes `../../` the package root everywhere.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The part of node:sea used here: an asset as text (with an encoding) or as bytes. */
export interface Sea {
  isSea(): boolean;
  getAsset(key: string, encoding?: string): string | ArrayBuffer;
}

let sea: Sea | null | undefined;

/** node:sea when this process is a single executable, else null (node:sea is absent before Node 20.12). */
function runningSea(): Sea | null {
  if (sea === undefined) {
    try {
      // process.getBuiltinModule (Node 20.16+) is much cheaper than making a require() for it.
      const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
      const mod = (builtin ? builtin("node:sea") : createRequire(import.meta.url)("node:sea")) as Sea;
      sea = mod.isSea() ? mod : null;
    } catch {
      sea = null;
    }
  }
  return sea;
}

/** The asset key of a package file ("rules/mappings/csv.json"), or undefined for any other path. */
function assetKey(path: string): string | undefined {
  const inPackage = relative(fileURLToPath(new URL("../../", import.meta.url)), path);
  if (inPackage === "" || inPackage.startsWith("..") || inPackage.includes(":")) return undefined;
  return inPackage.split(sep).join("/");
}

/**
 * A text file's content, like `readFileSync(path, "utf8")`: a package file from the executable's
 * assets when running as one. Throws like readFileSync (an error with `code` "ENOENT" when an
 * embedded file is missing), so callers' messages stay the same. `running`: node:sea when this
 * process is a single executable (given by tests).
 */
export function readDataFile(path: string | URL, running: Sea | null = runningSea()): string {
  const file = typeof path === "string" ? path : fileURLToPath(path);
  const key = running ? assetKey(file) : undefined;
  if (!running || key === undefined) return readFileSync(file, "utf8");
  try {
    return running.getAsset(key, "utf8") as string;
  } catch {
    throw Object.assign(new Error(`ENOENT: no such file embedded in the executable, '${key}'`), { code: "ENOENT" });
  }
}

/**
 * A binary file embedded in the single executable under `key` (e.g. a font for the PDF), or
 * undefined when this process is not one: the caller then reads it where npm installed it.
 */
export function embeddedBytes(key: string, running: Sea | null = runningSea()): Buffer | undefined {
  if (!running) return undefined;
  try {
    // Without an encoding, node:sea gives the asset's bytes.
    return Buffer.from(running.getAsset(key) as ArrayBuffer);
  } catch {
    throw Object.assign(new Error(`ENOENT: no such file embedded in the executable, '${key}'`), { code: "ENOENT" });
  }
}

/**
 * What `new Worker()` runs for a bundled worker script: its file, or in the single executable
 * (which has no file to give) the script's code from the assets, run with `eval: true`.
 */
export function workerScript(url: URL, running: Sea | null = runningSea()): { script: URL | string; eval: boolean } {
  const key = running ? assetKey(fileURLToPath(url)) : undefined;
  return running && key !== undefined ? { script: running.getAsset(key, "utf8") as string, eval: true } : { script: url, eval: false };
}
