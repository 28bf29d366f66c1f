/**
 * What a one-record run loads (issue 14, start-up): the figures live in `npm run bench`; these
 * tests hold the reasons in place. The CLI's static module graph (dist/bundle/main.js and the
 * chunks it imports) must not reach zod, chalk, wrap-ansi (whose string-width makes an
 * Intl.Segmenter at load: ICU's data, ≈ 8 ms), worker threads, node:fs/promises or the sheet and
 * FHIR readers. The record schema is loaded only for a record that needs it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordSchemaLoaded } from "../src/record/wording.js";
import { ROOT, screen, screenProcess, tempDir } from "./helpers/cli.js";

const BUNDLE = join(ROOT, "dist/bundle");

/** The text of every chunk main.js imports statically (not `import()`), main.js included. */
function staticGraph(): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(join(BUNDLE, file), "utf8");
    seen.set(file, text);
    for (const m of text.matchAll(/(?:^|[;}\n])\s*import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+)["']/g)) visit(m[1]!);
  };
  visit("main.js");
  return seen;
}

describe("a one-record run", () => {
  const graph = staticGraph();
  const all = [...graph.values()].join("\n");

  it("loads two files, and nothing of zod, chalk, worker threads, node:crypto or the sheet and FHIR readers", () => {
    // main.js and the one chunk of start-up code (scripts/core-chunk.mjs), nothing else to resolve and link.
    expect([...graph.keys()]).toEqual(["main.js", expect.stringMatching(/^chunk-\w+\.js$/)]);
    expect(all).toContain("commander"); // and reads their text: commander's messages are there
    expect(all).not.toMatch(/\$ZodType|ZodMini/); // zod's classes
    expect(all).not.toMatch(/"node:worker_threads"|"node:fs\/promises"|"node:crypto"/);
    expect(all).not.toContain("supportsColor"); // chalk's terminal detection
    // Each marker above is found in the bundle, in a chunk loaded only when it is needed.
    const every = readdirSync(BUNDLE).map((f) => readFileSync(join(BUNDLE, f), "utf8")).join("\n");
    for (const marker of ["$ZodType", '"node:worker_threads"', '"node:crypto"', "supportsColor", "INVALID_OPENING_QUOTE", "names no patient (subject)"]) expect(every).toContain(marker);
    expect(all).not.toContain("INVALID_OPENING_QUOTE"); // csv-parse's error codes (sheets)
    expect(all).not.toContain("names no patient (subject)"); // the FHIR adapter's words
  });

  it("makes no Intl.Segmenter (wrap-ansi is loaded only for text that is not narrow)", () => {
    expect(all).not.toContain("Intl.Segmenter");
    const every = readdirSync(BUNDLE).map((f) => readFileSync(join(BUNDLE, f), "utf8")).join("\n");
    expect(every).toContain("Intl.Segmenter");
  });

  it("wraps a narrow report itself, and loads wrap-ansi for one that is not", async () => {
    const record = JSON.parse(readFileSync(join(ROOT, "fixtures/incomplete.json"), "utf8")) as Record<string, unknown>;
    const plain = await screen(["-", "--verbose"], { input: JSON.stringify(record) });
    const named = await screen(["-", "--verbose"], { input: JSON.stringify({ ...record, id: "王小明-😀" }) });
    expect(named.stdout.split("\n").slice(1)).toEqual(plain.stdout.split("\n").slice(1));
    expect(named.stdout.split("\n")[0]).toBe(plain.stdout.split("\n")[0]!.replace(String(record.id), "王小明-😀"));
  });

  it("loads the record schema (zod) only for a record that needs its errors worded", async () => {
    const good = await screen(["fixtures/eligible.json"]);
    expect(good.code).toBe(0);
    expect(recordSchemaLoaded()).toBe(false);
    const bad = await screen(["-", "--format", "ndjson"], { input: '{"id":"A","demographics":{"age":"old"}}\n' });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).errors).toEqual([{ path: "demographics.age", message: 'expected an integer from 0 to 130, got "old"' }]);
    expect(recordSchemaLoaded()).toBe(true);
  });
});

describe("the rules the build verified", () => {
  const rulesText = readFileSync(join(ROOT, "rules/NCT07232563.json"), "utf8");
  const hash = (text: string) => createHash("sha256").update(text).digest("hex");

  it("are kept as text beside their sha256, so a run compares text instead of hashing", () => {
    const verified = JSON.parse(readFileSync(join(ROOT, "dist/verified-rules.json"), "utf8")) as { sha256: string; text: string }[];
    expect(verified).toEqual([{ sha256: hash(rulesText), text: rulesText }]);
  });

  it("give the file's sha256 in a result; an edited copy is checked in full and gives its own", async () => {
    const own = await screenProcess(["fixtures/eligible.json", "--format", "json"]);
    expect(JSON.parse(own.stdout).rules.sha256).toBe(hash(rulesText));
    const tmp = tempDir();
    try {
      const edited = rulesText.replace('"version": "1.0.1"', '"version": "1.0.1-local"');
      expect(edited).not.toBe(rulesText);
      const run = await screenProcess(["fixtures/eligible.json", "--format", "json", "--rules", tmp.write("rules.json", edited)]);
      expect(JSON.parse(run.stdout).rules).toMatchObject({ version: "1.0.1-local", sha256: hash(edited) });
      const broken = await screenProcess(["fixtures/eligible.json", "--rules", tmp.write("broken.json", edited.replace('"criteria"', '"criterias"'))]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain("invalid rules file");
    } finally {
      tmp.cleanup();
    }
  });
});
