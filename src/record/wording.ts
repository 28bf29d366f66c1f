/**
 * Where the record's zod schema is found. The schema only words the errors of a record that the
 * quick structural check (structure.ts) does not pass, and zod is about a sixth of what a
 * one-record run would otherwise load: so record/schema.ts is not imported by the screening path.
 * Whoever may screen a malformed record registers it first: the library entry (src/index.ts) and
 * the `--jobs` worker at load; the CLI's batch loads it (`loadRecordSchema()`, screen.ts) when a
 * record turns out to need it, and screens that record again.
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

/** Thrown when a record needs its errors worded and no schema is registered: load it, and screen again. */
export class RecordSchemaNotLoaded extends Error {
  constructor() {
    super("the record schema was needed before it was loaded (see src/record/wording.ts)");
    this.name = "RecordSchemaNotLoaded";
  }
}

export function recordSchemaFor(rules: CompiledRules): RecordSchema {
  if (!builder) throw new RecordSchemaNotLoaded();
  return builder(rules);
}
