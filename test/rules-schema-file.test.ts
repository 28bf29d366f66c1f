import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rulesJsonSchema } from "../src/index.js";

describe("rules/rules.schema.json", () => {
  it("is the JSON Schema generated from the rules file's zod schema (run `npm run rules-schema` when this fails)", () => {
    const committed = JSON.parse(readFileSync(new URL("../rules/rules.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(rulesJsonSchema())));
  });

  it("is referenced by the trial's rules file, so editors check it", () => {
    const rules = JSON.parse(readFileSync(new URL("../rules/NCT07232563.json", import.meta.url), "utf8"));
    expect(rules.$schema).toBe("./rules.schema.json");
  });
});
