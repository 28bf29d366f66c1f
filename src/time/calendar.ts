/** Calendar dates (no time, no zone) and the arithmetic the criteria need on them. */
import { subMonths } from "date-fns/subMonths";

export interface CalendarDate {
  readonly y: number;
  readonly m: number; // 1-12
  readonly d: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A real calendar date written YYYY-MM-DD, else null. */
export function parseDate(text: string): CalendarDate | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

export function formatDate(a: CalendarDate): string {
  return `${String(a.y).padStart(4, "0")}-${String(a.m).padStart(2, "0")}-${String(a.d).padStart(2, "0")}`;
}

/**
 * Completed years on `on`. The birthday counts from the day itself, and a 29 February birthday
 * is reached on 1 March in common years (comparing month/day pairs gives exactly that).
 */
export function completedYears(birth: CalendarDate, on: CalendarDate): number {
  const beforeBirthday = on.m < birth.m || (on.m === birth.m && on.d < birth.d);
  return on.y - birth.y - (beforeBirthday ? 1 : 0);
}

/** The same day `months` calendar months earlier, or that month's last day when it has none. */
export function monthsBefore(date: CalendarDate, months: number): CalendarDate {
  // Local noon: date-fns works in the local calendar, and noon is never skipped by a DST change.
  const shifted = subMonths(new Date(date.y, date.m - 1, date.d, 12), months);
  return { y: shifted.getFullYear(), m: shifted.getMonth() + 1, d: shifted.getDate() };
}
