/**
 * Where the record's zod schema is found. The schema only words the errors of a record that the
 * quick structural check (structure.ts) does not pass, and zod is about a sixth of what a
 * one-record run would otherwise load: so record/schema.ts is not imported by the screening path.
 * Whoever may screen a malformed record registers it first: the library entry (src/index.ts) and
 * the `--jobs` worker at load, the CLI through `loadRecordSchema()` (screen.ts) before the first
 * record that needs it.
 */
import type { ZodMiniType } from "zod/mini";
import type { CompiledRules } from "../rules/compiled.js";

export type RecordSchema = ZodMiniType;
export type RecordSchemaBuilder = (rules: CompiledRules) => RecordSchema;

let builder: RecordSchemaBuilder | undefined;

export function registerRecordSchema(build: RecordSchemaBuilder): void {
  builder = build;
}

export function recordSchemaLoaded(): boolean {
  return builder !== undefined;
}

/** The schema for these rules; a caller that forgot to load it is a bug in this program, said so. */
export function recordSchemaFor(rules: CompiledRules): RecordSchema {
  if (!builder) throw new Error("the record schema was needed before it was loaded (see src/record/wording.ts)");
  return builder(rules);
}
