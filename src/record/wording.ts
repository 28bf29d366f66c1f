/**
 * Where the record's zod schema is found. The schema only words the errors of a record that the
 * quick structural check (structure.ts) does not pass, and zod is about a sixth of what a
 * one-record run would otherwise load: so record/schema.ts is not imported by the screening path.
 * Whoever may screen a malformed record registers it first (the library entry src/index.ts, the
 * `--jobs` worker, the bedside mode, the FHIR adapter); in the CLI's batch, a record that needs it
 * throws LoadFirst, and the batch loads it and screens that record again (`soon`, result.ts).
 */
import type { ZodMiniType } from "zod/mini";
import { LoadFirst } from "../result.js";
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

/** Loads record/schema.ts (and zod) and registers it. */
export async function loadRecordSchema(): Promise<void> {
  builder ??= (await import("./schema.js")).buildRecordSchema;
}

export function recordSchemaFor(rules: CompiledRules): RecordSchema {
  if (!builder) throw new LoadFirst("the record schema", loadRecordSchema);
  return builder(rules);
}
