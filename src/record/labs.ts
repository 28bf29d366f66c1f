/** Reading a lab result: its unit among the declared ones, a plausible value, and the ULN where the rules read it. */
import { fromNumber } from "../numbers/rational.js";
import type { CompiledLab } from "../rules/compiled.js";
import { shown } from "./describe.js";
import type { Fact } from "./facts.js";
import type { Reading } from "./reading.js";

type LabFact = Extract<Fact, { kind: "lab" }>;

export function readLab(r: Reading, lab: CompiledLab, value: { value: number; unit?: unknown; uln?: unknown }): Fact | undefined {
  const { errors, warnings } = r;
  const label = lab.decl.label;
  const before = errors.length;
  let unit: string | undefined;
  let plausible: readonly [number, number];
  if (lab.units.size === 0) {
    if (value.unit !== undefined) errors.push({ path: `${lab.path}.unit`, message: `${label} has no unit: remove it (got ${shown(value.unit)})` });
    plausible = lab.decl.plausible ?? [0, Infinity];
  } else {
    unit = value.unit as string;
    const def = lab.units.get(unit);
    if (!def) {
      errors.push({ path: `${lab.path}.unit`, message: `expected one of ${[...lab.units.keys()].map((u) => JSON.stringify(u)).join(", ")}, got ${shown(unit)}` });
      return undefined;
    }
    plausible = def.plausible;
  }
  const inUnit = unit ? ` ${unit}` : "";
  if (!inRange(value.value, plausible)) {
    errors.push({ path: `${lab.path}.value`, message: `${value.value}${inUnit} is not a plausible ${label} (expected ${plausible[0]}–${plausible[1]}${inUnit})${likelyUnit(lab, unit, value.value)}` });
  }
  let uln: Partial<Pick<LabFact, "uln" | "ulnText">> = {};
  if (value.uln !== undefined) {
    const given = value.uln as number; // the schema has checked it is a positive number
    if (!lab.decl.readsUln) {
      warnings.push({ path: `${lab.path}.uln`, message: `not read for ${label}: ignored` });
    } else if (!inRange(given, plausible)) {
      errors.push({ path: `${lab.path}.uln`, message: `${given}${inUnit} is not a plausible upper limit of normal for ${label} (expected ${plausible[0]}–${plausible[1]}${inUnit}, in the value's unit)${likelyUnit(lab, unit, given)}` });
    } else {
      uln = { uln: fromNumber(given), ulnText: String(given) };
    }
  }
  if (errors.length > before) return undefined;
  return { kind: "lab", value: fromNumber(value.value), valueText: String(Object.is(value.value, -0) ? 0 : value.value), ...(unit !== undefined ? { unit } : {}), ...uln };
}

function inRange(x: number, r: readonly [number, number]): boolean {
  return x >= r[0] && x <= r[1];
}

/** A number that fits another unit's range is most likely in that unit: say so. */
function likelyUnit(lab: CompiledLab, unit: string | undefined, x: number): string {
  const fits = [...lab.units].filter(([u, d]) => u !== unit && inRange(x, d.plausible)).map(([u]) => u);
  return fits.length ? `; it looks like a value in ${fits.join(" or ")}` : "";
}
