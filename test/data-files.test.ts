/**
 * The seam that reads the package's own data files: from disk normally, from the single
 * executable's assets when running as one (node:sea is replaced by a fake here; the real binary
 * is tested by `npm run test:package`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { DEFAULT_RULES_PATH } from "../src/rules/compile.js";
import { embeddedBytes, readDataFile, workerScript, type Sea } from "../src/text/data-files.js";

const dir = mkdtempSync(join(tmpdir(), "screen-data-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A single executable holding these assets; records the keys asked for. */
function fakeSea(assets: Record<string, string>): Sea & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isSea: () => true,
    getAsset(key: string, encoding?: string) {
      asked.push(key);
      if (!(key in assets)) throw new Error(`no asset ${key}`);
      // Like node:sea: text with an encoding, else the bytes.
      return encoding ? assets[key]! : new TextEncoder().encode(assets[key]).buffer;
    },
  };
}

describe("readDataFile", () => {
  it("reads from the file system when not a single executable", () => {
    expect(readDataFile(DEFAULT_RULES_PATH, null)).toBe(readFileSync(DEFAULT_RULES_PATH, "utf8"));
    expect(readDataFile(new URL(`file://${DEFAULT_RULES_PATH}`), null)).toBe(readFileSync(DEFAULT_RULES_PATH, "utf8"));
  });

  it("in a single executable, reads a package file from the asset named by its path in the package", () => {
    const sea = fakeSea({ "rules/NCT07232563.json": "embedded rules", "rules/mappings/csv.json": "embedded csv" });
    expect(readDataFile(DEFAULT_RULES_PATH, sea)).toBe("embedded rules");
    expect(readDataFile(join(DEFAULT_RULES_PATH, "..", "mappings", "csv.json"), sea)).toBe("embedded csv");
    expect(sea.asked).toEqual(["rules/NCT07232563.json", "rules/mappings/csv.json"]);
  });

  it("in a single executable, reads any other file (a user's --rules) from disk", () => {
    const own = join(dir, "my-rules.json");
    writeFileSync(own, "mine");
    const sea = fakeSea({});
    expect(readDataFile(own, sea)).toBe("mine");
    expect(sea.asked).toEqual([]);
  });

  it("a package file missing from the executable fails like a missing file (code ENOENT)", () => {
    const sea = fakeSea({});
    expect(() => readDataFile(join(DEFAULT_RULES_PATH, "..", "mappings", "absent.json"), sea)).toThrow(
      expect.objectContaining({ code: "ENOENT", message: expect.stringContaining("rules/mappings/absent.json") }),
    );
  });
});

describe("embeddedBytes", () => {
  it("is the asset's bytes in a single executable, and nothing otherwise", () => {
    expect(embeddedBytes("fonts/A.ttf", fakeSea({ "fonts/A.ttf": "font" }))?.toString()).toBe("font");
    expect(embeddedBytes("fonts/A.ttf", null)).toBeUndefined();
  });
});

describe("workerScript", () => {
  const url = pathToFileURL(join(DEFAULT_RULES_PATH, "..", "..", "dist", "bundle", "screen-worker.js"));

  it("is the worker's file normally", () => {
    expect(workerScript(url, null)).toEqual({ script: url, eval: false });
  });

  it("is the worker's embedded code, to run with eval, in a single executable", () => {
    const sea = fakeSea({ "dist/bundle/screen-worker.js": "worker code" });
    expect(workerScript(url, sea)).toEqual({ script: "worker code", eval: true });
    expect(sea.asked).toEqual(["dist/bundle/screen-worker.js"]);
  });
});
