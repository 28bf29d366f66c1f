/**
 * Results of one lab taken at the same instant that disagree. When every value gives every
 * criterion the same outcome, the choice cannot change the screen: the least favourable is used
 * (the lowest, for a value all criteria treat alike) and the warning says so. Otherwise the lab
 * stays unknown, and the warning lists the values.
 */
import type { ResourceSource } from "../../result.js";
import { screen } from "../../screen.js";
import { zoneName } from "../../time/instant.js";
import type { Clock, PatientContext } from "./context.js";
import { setAt, type AdaptedRecord } from "./evidence.js";
import { describeValue, type Json } from "./values.js";

export interface SimultaneousValue {
  readonly value: unknown;
  readonly source: ResourceSource;
}

const numberOf = (v: unknown): number =>
  typeof v === "number" ? v : v !== null && typeof v === "object" && typeof (v as { value?: unknown }).value === "number" ? (v as { value: number }).value : NaN;

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
    const chosen = [...values].sort((a, b) => numberOf(a.value) - numberOf(b.value))[0]!;
    setAt(out.record, path, chosen.value);
    out.sources[path] = chosen.source;
    out.warnings.push({ path, message: `${values.length} results at the same time (${shown}) give every criterion the same outcome; used ${describeValue(chosen.value)} from ${chosen.source.resource}` });
  }
}
