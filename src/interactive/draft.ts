/** Nothing typed is lost: the record so far, as JSON, in a file that can be resumed. */
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** "screen-draft-20261124T010000Z.json" (UTC, from the injected clock). */
export function draftFileName(ms: number, attempt = 0): string {
  const stamp = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `screen-draft-${stamp}${attempt ? `-${attempt + 1}` : ""}.json`;
}

/** Where drafts go: next to --save's file when given, else the current directory. */
export function draftDirectory(savePath: string | undefined, cwd: string): string {
  return savePath ? dirname(resolve(cwd, savePath)) : cwd;
}

export function recordJson(record: unknown): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Writes the draft without overwriting anything; returns its absolute path. */
export function writeDraft(record: unknown, dir: string, ms: number): string {
  for (let attempt = 0; ; attempt++) {
    const path = resolve(join(dir, draftFileName(ms, attempt)));
    try {
      writeFileSync(path, recordJson(record), { flag: "wx" });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 99) throw err;
    }
  }
}

/** Writes the record as JSON (replacing the file). */
export function writeRecord(path: string, record: unknown): void {
  writeFileSync(path, recordJson(record));
}

/** Why `path` cannot be written, as far as can be told before writing, else undefined. */
export function saveProblem(path: string, cwd: string): string | undefined {
  const full = resolve(cwd, path);
  const dir = dirname(full);
  const stat = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return undefined;
    }
  };
  const dirStat = stat(dir);
  if (!dirStat) return `the directory ${dir} does not exist`;
  if (!dirStat.isDirectory()) return `${dir} is not a directory`;
  if (stat(full)?.isDirectory()) return `${full} is a directory`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `the directory ${dir} is not writable`;
  }
  return undefined;
}
