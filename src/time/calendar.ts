/** Calendar dates (no time, no zone) and the arithmetic the criteria need on them. */
export interface CalendarDate {
  readonly y: number;
  readonly m: number; // 1-12
  readonly d: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(y: number, m: number): number {
  // Plain arithmetic: Date.UTC reads years 0–99 as 1900–1999 (0000 is a leap year, 1900 is not).
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Date.UTC with years 0–99 read as written (Date.UTC maps them to 1900–1999). */
export function utcMs(y: number, monthIndex: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (y >= 100) return Date.UTC(y, monthIndex, d, h, mi, s, ms);
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  t.setUTCFullYear(y, monthIndex, d);
  return t.getTime();
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
  // Plain calendar arithmetic: the machine's zone must not matter (a local Date skips whole days in
  // some zones, e.g. 2011-12-30 in Pacific/Apia, and reads years 0–99 as 19xx).
  const total = date.y * 12 + (date.m - 1) - months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return { y, m, d: Math.min(date.d, daysInMonth(y, m)) };
}
