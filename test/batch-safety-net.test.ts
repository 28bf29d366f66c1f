/**
 * One record that breaks a stage of the pipeline (here a FHIR Bundle nested deeper than a
 * recursive walk can follow) never loses the records around it: it gets a result of its own, in
 * its place, and the batch goes on.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNdjson, ROOT, screen, STACK_TRACE, tempDir } from "./helpers/cli.js";

describe("a record that breaks the pipeline spoils only itself", () => {
  it("a Bundle with a 20 000-level value between two good Bundles: three results, in order, no crash", async () => {
    const good = JSON.stringify(JSON.parse(readFileSync(`${ROOT}/test/fixtures/fhir/eligible.json`, "utf8")));
    let deepValue = "1";
    for (let i = 0; i < 20_000; i++) deepValue = `{"a":${deepValue}}`;
    const deep = good.replace(/"valueQuantity":\{"value":[0-9.]+/, `"valueQuantity":{"value":${deepValue}`);
    expect(deep).not.toBe(good);
    const tmp = tempDir();
    try {
      const file = tmp.write("deep.ndjson", [good, deep, good].join("\n") + "\n");
      const run = await screen([file, "--format", "ndjson"], { timeoutMs: 60_000 });
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stderr).not.toMatch(/internal error/);
      const out = parseNdjson(run.stdout);
      expect(out.map((r) => r.line)).toEqual([1, 2, 3]);
      expect([out[0].verdict, out[2].verdict]).toEqual(["eligible", "eligible"]);
      if (out[1].verdict === "error") expect(out[1].errors[0].message).toBe("cannot read this Bundle: it is nested too deeply");
      else expect(out[1].verdict).not.toBe("eligible"); // its ALT value is no number: never eligible
    } finally {
      tmp.cleanup();
    }
  });
});
