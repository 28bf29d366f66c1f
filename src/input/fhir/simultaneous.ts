/**
 * Results of one lab taken at the same instant that disagree. When every value gives every
 * criterion the same outcome, the choice cannot change the screen: the least favourable is used
 * (the direction read from the criteria) and the warning says so. Otherwise the lab
 * stays unknown, and the warning lists the values.
 */
import { cmp, fromNumber, mul, type Rational } from "../../numbers/rational.js";
import type { ResourceSource } from "../../result.js";
import { unfavourableDirection } from "../../rules/mapping/direction.js";
import { buildRecordSchema } from "../../record/schema.js";
import { registerRecordSchema } from "../../record/wording.js";
import { screen } from "../../screen.js";
import { zoneName } from "../../time/instant.js";
import type { Clock, PatientContext } from "./context.js";
import type { AdaptedRecord } from "./evidence.js";
import { setAt } from "../../text/paths.js";
import { describeValue, type Json } from "./values.js";

// A record adapted from a Bundle may be malformed (a value out of range): zod words its errors (record/wording.ts).
registerRecordSchema(buildRecordSchema);

export interface SimultaneousValue {
  readonly value: unknown;
  readonly source: ResourceSource;
}

/** A value on one scale for ordering: a lab value in its lab's base unit, a score as it is. */
function scaled(pc: PatientContext, path: string, v: unknown): Rational | undefined {
  if (typeof v === "number") return fromNumber(v);
  if (v === null || typeof v !== "object") return undefined;
  const { value, unit } = v as { value?: unknown; unit?: unknown };
  if (typeof value !== "number") return undefined;
  const lab = [...pc.rules.labs.values()].find((l) => l.path === path);
  const factor = typeof unit === "string" ? lab?.units.get(unit)?.factor : undefined;
  return factor ? mul(fromNumber(value), factor) : fromNumber(value);
}

/** The value that decides least favourably: the lowest or highest, as the criteria reading the path say (the lowest when they do not say). */
function leastFavourable(pc: PatientContext, path: string, values: readonly SimultaneousValue[]): SimultaneousValue {
  const keyed = values.map((v) => ({ v, k: scaled(pc, path, v.value) }));
  if (keyed.some((x) => x.k === undefined)) return values[0]!;
  keyed.sort((a, b) => cmp(a.k!, b.k!));
  return (unfavourableDirection(pc.rules, path) === "high" ? keyed[keyed.length - 1]! : keyed[0]!).v;
}

/** Each criterion's outcome with the value in place, as one string to compare. */
function outcomes(record: Json, path: string, value: unknown, pc: PatientContext, clock: Clock): string {
  const copy = structuredClone(record);
  setAt(copy, path, value);
  const screening = clock.screening;
  const result = screen(copy, pc.rules, { ...(screening ? { asOf: screening } : {}), timeZone: zoneName(pc.zone) });
  return result.verdict === "error" ? `error:${result.errors.map((e) => e.message).join()}` : result.criteria.map((c) => `${c.id}=${c.outcome}`).join();
}

export function settleSimultaneous(pc: PatientContext, clock: Clock, out: AdaptedRecord, conflicts: ReadonlyMap<string, SimultaneousValue[]>): void {
  for (const [path, values] of conflicts) {
    if (out.sources[path] !== undefined) continue; // settled by other evidence (the screening questionnaire)
    const shown = values.map((v) => `${describeValue(v.value)} (${v.source.resource})`).join(", ");
    const first = outcomes(out.record, path, values[0]!.value, pc, clock);
    if (values.some((v) => outcomes(out.record, path, v.value, pc, clock) !== first)) {
      out.warnings.push({ path, message: `${values.length} results at the same time disagree and would decide differently: ${shown}; left unknown` });
      continue;
    }
    const chosen = leastFavourable(pc, path, values);
    setAt(out.record, path, chosen.value);
    out.sources[path] = chosen.source;
    out.warnings.push({ path, message: `${values.length} results at the same time (${shown}) give every criterion the same outcome; used the least favourable, ${describeValue(chosen.value)} from ${chosen.source.resource}` });
  }
}
