/**
 * Nothing typed is lost: the record so far, as JSON, in a file that can be resumed. Drafts and
 * saved records hold patient data, so every file written here is readable by its owner only (0600).
 */
import { accessSync, constants, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Owner read and write only: a record names a patient. */
export const PRIVATE_MODE = 0o600;

/** "screen-draft-20261124T010000Z.json" (UTC, from the injected clock). */
export function draftFileName(ms: number, attempt = 0): string {
  const stamp = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `screen-draft-${stamp}${attempt ? `-${attempt + 1}` : ""}.json`;
}

/** A file this mode wrote as a draft (by its name), so it may be removed once its record is saved. */
export function isDraftFileName(path: string): boolean {
  return /^screen-draft-\d{8}T\d{6}Z(?:-\d+)?\.json$/.test(basename(path));
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
      writeFileSync(path, recordJson(record), { flag: "wx", mode: PRIVATE_MODE });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 99) throw err;
    }
  }
}

/**
 * Writes the record as JSON, replacing the file. Written to a new 0600 file beside it and renamed
 * over it: a file that existed does not keep wider permissions, and a failed write leaves it whole.
 */
export function writeRecord(path: string, record: unknown): void {
  // Through a symlink, the file it points to is replaced, not the link.
  path = realOrSelf(path);
  const temp = join(dirname(path), `.${basename(path)}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temp, recordJson(record), { flag: "wx", mode: PRIVATE_MODE });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** The same file, also through another spelling or a symlink. */
export function sameFile(a: string, b: string): boolean {
  return realOrSelf(a) === realOrSelf(b);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Removes a draft whose record is now saved; the error message when it cannot be removed. */
export function removeDraft(path: string): string | undefined {
  try {
    unlinkSync(path);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? undefined : (err as Error).message;
  }
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
