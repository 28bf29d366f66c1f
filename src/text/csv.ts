/**
 * RFC 4180 quoting, the one rule for every CSV/TSV this program writes (the screening log and
 * sheet templates): a field holding the delimiter, a quote, CR or LF is quoted with its quotes
 * doubled; so is one with leading or trailing white space, since sheets are read trimmed.
 */
export function csvField(value: string | number | undefined, delimiter = ","): string {
  const s = value === undefined ? "" : String(value);
  const special = s.includes(delimiter) || /["\r\n]|^\s|\s$/.test(s);
  return special ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | undefined)[], delimiter = ","): string {
  return cells.map((c) => csvField(c, delimiter)).join(delimiter);
}
