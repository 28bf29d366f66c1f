/**
 * Treatments of the current event (thrombolysis, thrombectomy): a Procedure, or a medication given,
 * done after the event's onset and at or before screening.
 */
import type { ResourceSource } from "../../result.js";
import type { Coding } from "../../rules/mapping/codes.js";
import { episodeWindow } from "../../rules/mapping/episode.js";
import { firstMatch, label, type Clock, type PatientContext, type Res } from "./context.js";
import { procedureTime, type TimeElement, type When } from "./time.js";
import { codesOf, str, token } from "./values.js";

const DONE = ["completed", "in-progress", "stopped"];
const NOT_DONE = ["not-done"];

export interface TreatmentEvent {
  readonly path: string;
  readonly afterPath: string | undefined;
  readonly res: Res;
  readonly coding: Coding;
  readonly status: string | undefined;
  readonly time: TimeElement | undefined;
  /** The statuses that say it was done, and that it was not (by default a procedure's or an administration's). */
  readonly done?: readonly string[];
  readonly notDone?: readonly string[];
}

/** One resource's evidence for a treatment path: done for this event, not done, or unknown (a hold). */
export function treatment(pc: PatientContext, clock: Clock, onsets: ReadonlyMap<string, When>, e: TreatmentEvent): void {
  const { b } = pc;
  const { path, afterPath, res, coding, status } = e;
  const onset = afterPath ? onsets.get(afterPath) : undefined;
  const w = e.time ? clock.when(e.time.value) : undefined;
  const src: ResourceSource = { resource: res.ref, code: token(coding), element: `status=${status ?? "?"}`, ...(typeof w === "object" ? { effective: w.text } : {}) };
  const what = `${res.ref} (${label(pc, coding)}`;
  const done = e.done ?? DONE;
  if (status !== undefined && (e.notDone ?? NOT_DONE).includes(status)) {
    if (typeof w === "object" && onset && w.end < onset.start) return; // not done, before this event: says nothing about it
    b.add(path, false, src);
    return;
  }
  if (status === "preparation") return b.warn(path, `${what}) has status preparation (not started); not used`);
  const maybe = (v: unknown) => v === true;
  // on-hold (started, then paused), unknown, no status: it may have been done.
  if (status === undefined || !done.includes(status)) return b.block(path, `${what}) has status ${status ?? "(none)"}, so whether it was done cannot be told; left unknown`, maybe);
  if (typeof w !== "object") return b.block(path, `${what}) has no readable time, so whether it treated this stroke cannot be told; left unknown`, maybe);
  if (clock.afterScreening(w)) return b.warn(path, `${what} at ${w.text}) is after the screening time ${clock.screeningText}; not used`);
  if (afterPath && !onset) {
    // Before the earliest onset the criteria admit, it cannot have treated an event the trial screens for.
    const window = episodeWindow(pc.rules, afterPath);
    if (window && clock.screening && w.end < clock.screening.ms - window.ms) {
      return b.warn(path, `${what} at ${w.text}) is more than ${window.text} before screening, earlier than any ${afterPath} the criteria admit: not for this stroke; not used`);
    }
    return b.block(path, `${what} at ${w.text}): ${afterPath} is unknown, so whether it treated this stroke cannot be told; left unknown`, maybe);
  }
  if (afterPath && onset && w.end < onset.start) return b.warn(path, `${what} at ${w.text}) precedes ${afterPath} ${onset.text}: not for this stroke; not used`);
  b.add(path, true, src);
}

export function readProcedures(pc: PatientContext, clock: Clock, procedures: readonly Res[], onsets: ReadonlyMap<string, When>): void {
  const treatMaps = pc.mapping.file.treatments.map((spec) => ({ spec, matches: pc.mapping.matcher(spec.procedures) }));
  for (const res of procedures) {
    let any = false;
    for (const { spec, matches } of treatMaps) {
      const coding = firstMatch(res.json.code, matches);
      if (!coding) continue;
      any = true;
      pc.used.add(res);
      const status = str(res.json.status);
      if (status === "entered-in-error") continue;
      treatment(pc, clock, onsets, { path: spec.path, afterPath: spec.after, res, coding, status, time: procedureTime(res.json) });
    }
    if (!any) pc.unmapped.push(`${res.ref} (${codesOf(res.json.code, pc.mapping)})`);
  }
}
