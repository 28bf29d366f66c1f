// Writes rules/rules.schema.json from the rules file's zod schema (run after `npm run build`).
// A test checks the committed file is current, so editors always validate against the real schema.
import { writeFileSync } from "node:fs";
import { rulesJsonSchema } from "../dist/index.js";

const out = new URL("../rules/rules.schema.json", import.meta.url);
writeFileSync(out, JSON.stringify(rulesJsonSchema(), null, 2) + "\n");
console.log(`wrote ${out.pathname}`);
