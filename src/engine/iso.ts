import { formatOffset, MINUTE } from "../time/instant.js";

/** "2026-11-24T09:00:00.000+08:00": an instant as ISO 8601 in the given UTC offset. */
export function isoInOffset(ms: number, offsetMin: number): string {
  // toISOString always ends in its one "Z": cut it off rather than search for it.
  return new Date(ms + offsetMin * MINUTE).toISOString().slice(0, -1) + formatOffset(offsetMin);
}
